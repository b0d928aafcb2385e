// The change dispatcher: turns change log rows into what they cause (outbox rows for bots and applications),
// one row per transaction, in id order. Marking a row handled commits together with the outbox rows it made, so
// each change is handled exactly once whatever crashes when. One runs per server process; on PostgreSQL several
// processes share the work (rows are taken FOR UPDATE SKIP LOCKED).
import type { Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import type { MessengerEvents } from '../events.ts';
import type { WorkerLog } from './worker.ts';
import { SerialDrain } from '../serial-drain.ts';

/** A row whose listeners keep failing is given up after this many tries (its error stays in the change log). */
const MAX_TRIES = 3;
/** Rows handled in one transaction. */
const BATCH = 20;
/** Handled rows are kept this long, then pruned. */
const KEEP_SECONDS = 24 * 3600;
const PRUNE_EVERY_MS = 3600_000;

const silent: WorkerLog = { info() {}, warn() {}, error() {} };

export class ChangeDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private readonly serial = new SerialDrain(() => this.drain(), () => this.started && !this.stopped, () => this.scheduleIn(this.pollMs));
  private log: WorkerLog = silent;
  private readonly failures = new Map<number, number>();
  /** Rows still to take one at a time after a batch failed. */
  private singles = 0;
  private prunedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: MessengerEvents,
    private readonly pollMs: number,
    /** Called after a transaction that handled changes commits (wakes the delivery worker for the new outbox rows). */
    private readonly afterCommit: () => void = () => {},
  ) {}

  start(log: WorkerLog = silent): void {
    if (this.started) return;
    this.started = true;
    this.log = log;
    this.wake();
  }

  wake(): void {
    this.serial.wake();
  }


  /** Finishes the row in hand and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.serial.current;
  }

  /** Handles pending rows until none is left (rows recorded by other processes too). */
  async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.handleOne())) {}
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.store.changes.prune(this.clock() - KEEP_SECONDS);
      }
    } catch (err) {
      this.log.error({ err }, 'change dispatcher: cannot read the change log');
    }
  }

  /**
   * A batch of rows in one transaction (a burst of messages costs one commit, not one each); false when nothing more
   * is pending. After a failure the next tries take one row at a time, so a bad row fails alone.
   */
  private async handleOne(): Promise<boolean> {
    let taken: number | undefined;
    const batch = this.singles > 0 || this.failures.size > 0 ? 1 : BATCH;
    try {
      const handled = await this.store.transaction(async (tx) => {
        const rows = await tx.changes.takePending(batch);
        for (const row of rows) {
          taken = row.id;
          await this.events.handle(tx, row);
          await tx.changes.finish(row.id);
        }
        if (batch === 1 && taken !== undefined) {
          this.failures.delete(taken);
          this.singles = Math.max(0, this.singles - 1);
        }
        return rows.length;
      });
      if (handled > 0) this.afterCommit();
      // A short batch took every pending row: rows recorded since wake the dispatcher again (SerialDrain), so no
      // second transaction is spent finding nothing (one per message otherwise).
      return handled === batch;
    } catch (err) {
      if (taken === undefined) throw err;
      if (batch > 1) {
        // Which row failed is not certain (the batch rolled back as a whole): find it one row at a time.
        this.singles = BATCH;
        this.log.warn({ err }, 'change dispatcher: a batch failed, handling rows one by one');
        return true;
      }
      // The transaction rolled back: nothing of this row was queued. Try again, and give up on a row that keeps failing.
      const tries = (this.failures.get(taken) ?? 0) + 1;
      this.failures.set(taken, tries);
      this.log.error({ err, change: taken, tries }, 'change dispatcher: a listener failed');
      if (tries >= MAX_TRIES) {
        this.failures.delete(taken);
        await this.store.changes.finish(taken, String((err as Error)?.message ?? err).slice(0, 500));
      }
      // Wait for the next poll before trying it again (a locked database, say, may have cleared by then).
      return false;
    }
  }

  private scheduleIn(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
}
