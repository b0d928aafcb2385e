// The delivery worker: claims due outbox rows, POSTs them as a portal does, retries with backoff, logs attempts.
// Several server processes may run one each over the same database: a row is claimed atomically with a lease.
import crypto from 'node:crypto';
import os from 'node:os';
import qs from 'qs';
import type { AppRow, OutboxRow, Store } from '../../store/store.ts';
import type { AuthService } from '../auth.ts';
import type { Clock } from '../clock.ts';
import { TOKENLESS_AUTH, type BotRef } from './outbox.ts';
import { postForm } from './post.ts';
import { authBlock, botBlock, webhookAuthBlock, formData, type FormData, type PortalIdentity } from './payload.ts';

export interface DeliveryOptions {
  timeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
  /** Deliveries in flight at once per process. */
  concurrency?: number;
}

export interface WorkerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeliveryOutcome {
  id: number;
  ok: boolean;
  status: 'done' | 'pending' | 'failed';
  httpStatus: number | null;
  error: string;
}

const MAX_DELAY_MS = 3600_000;
/** Finished events and their log are kept this long (b24im event log), then pruned. */
const KEEP_SECONDS = 7 * 24 * 3600;
const PRUNE_EVERY_MS = 3600_000;
const USER_AGENT = 'Bitrix24 Webhook Engine';

/** Delay before attempt n+1 after n failed ones: base * 3^(n-1), capped at an hour, with +-20% jitter. */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  const raw = Math.min(MAX_DELAY_MS, baseMs * 3 ** Math.max(0, failedAttempts - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

const silent: WorkerLog = { info() {}, warn() {}, error() {} };

export class DeliveryWorker {
  readonly node = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly inflight = new Map<number, AbortController>();
  private readonly pending = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private started = false;
  private stopped = false;
  private log: WorkerLog = silent;
  private prunedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    /** Read at each delivery: `serve` learns its public URL only once it listens (port 0). */
    private readonly portal: () => PortalIdentity,
    private readonly opts: DeliveryOptions,
  ) {}

  private get concurrency(): number {
    return this.opts.concurrency ?? 8;
  }

  private get leaseMs(): number {
    return this.opts.timeoutMs + 30_000;
  }

  start(log: WorkerLog = silent): void {
    if (this.started) return;
    this.started = true;
    this.log = log;
    void this.releaseDeadClaims()
      .catch((err) => this.log.error({ err }, 'event worker: cannot release the claims of stopped processes'))
      .finally(() => this.wake());
  }

  /**
   * Rows claimed by a process of this machine that is gone (killed mid-delivery) are taken back at once instead of
   * when their lease runs out: an attempt a crash cut off is made again right after the restart (DECISIONS 17).
   */
  private async releaseDeadClaims(): Promise<void> {
    const host = os.hostname();
    for (const node of await this.store.events.claimants(Date.now())) {
      const [nodeHost, pidText] = node.split(':');
      const pid = Number(pidText);
      if (node === this.node || nodeHost !== host || !Number.isInteger(pid)) continue;
      if (pid === process.pid || !processAlive(pid)) {
        await this.store.events.release(node);
        this.log.warn({ node }, 'event worker: took back the deliveries of a stopped process');
      }
    }
  }

  /** Looks for due rows now (called when this process queued something). */
  wake(): void {
    if (!this.started || this.stopped) return;
    void this.pump();
  }

  /** Stops claiming, aborts deliveries in flight and hands their rows back to the queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const ctl of this.inflight.values()) ctl.abort(new Error('server shutting down'));
    await Promise.allSettled([...this.pending]);
    await this.store.events.release(this.node);
  }

  /** A claim for rows queued by this process that it delivers itself (`claimedBy`, then `deliverClaimed`). */
  claimedBy(): { node: string; leaseMs: number } {
    return { node: this.node, leaseMs: this.leaseMs };
  }

  /** Delivers rows this process queued already claimed, once, now (the CLI's `app install`). */
  async deliverClaimed(ids: number[]): Promise<DeliveryOutcome[]> {
    const rows = (await this.store.events.get(ids)).filter((r) => r.locked_by === this.node);
    return Promise.all(rows.map((r) => this.deliver(r)));
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.inflight.size < this.concurrency) {
          const rows = await this.store.events.claim(this.node, Date.now(), this.leaseMs, this.concurrency - this.inflight.size);
          if (rows.length === 0) break;
          for (const row of rows) this.track(this.deliver(row));
        }
      } while (this.again && !this.stopped);
      await this.schedule();
    } catch (err) {
      this.log.error({ err }, 'event worker: cannot read the outbox');
      this.scheduleIn(this.opts.pollMs);
    } finally {
      this.pumping = false;
    }
  }

  private track(p: Promise<unknown>): void {
    const done = p.catch((err) => this.log.error({ err }, 'event worker: cannot record a delivery')).finally(() => {
      this.pending.delete(done);
      this.wake();
    });
    this.pending.add(done);
  }

  /** Next look: when the earliest retry is due, and at least every pollMs (rows other nodes queued). */
  private async schedule(): Promise<void> {
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      // Every event mints tokens; expired ones and old deliveries are dropped so the tables stay small.
      await this.store.events.prune(this.clock() - KEEP_SECONDS);
      await this.store.auth.pruneTokens(this.clock());
    }
    const due = await this.store.events.nextDue();
    const wait = due === undefined ? this.opts.pollMs : Math.max(10, Math.min(this.opts.pollMs, due - Date.now()));
    this.scheduleIn(wait);
  }

  private scheduleIn(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }

  private async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
    const ctl = new AbortController();
    this.inflight.set(row.id, ctl);
    const started = Date.now();
    let httpStatus: number | null = null;
    let error = '';
    let permanent = false;
    try {
      const app = row.app_id === null ? undefined : await this.store.auth.app(row.app_id);
      if (!app) {
        permanent = true;
        throw new Error('application no longer exists');
      }
      const body = await this.form(row, app);
      httpStatus = await postForm(row.handler_url, body, { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': USER_AGENT }, this.opts.timeoutMs, ctl.signal);
      if (httpStatus < 200 || httpStatus >= 300) error = `HTTP ${httpStatus}`;
    } catch (err) {
      error = describe(err);
    } finally {
      this.inflight.delete(row.id);
    }
    if (ctl.signal.aborted) {
      // Shutdown: stop() releases the claim, so the row is retried at once after a restart.
      return { id: row.id, ok: false, status: 'pending', httpStatus, error: 'interrupted by shutdown' };
    }
    const ok = error === '';
    const nowMs = Date.now();
    const status: DeliveryOutcome['status'] = ok ? 'done' : permanent || row.attempts >= this.opts.maxAttempts ? 'failed' : 'pending';
    await this.store.events.log({
      outbox_id: row.id,
      app_id: row.app_id,
      event: row.event,
      handler_url: row.handler_url,
      attempt: row.attempts,
      ok: ok ? 1 : 0,
      http_status: httpStatus,
      error,
      duration_ms: nowMs - started,
      date: this.clock(),
    });
    await this.store.events.finish(row.id, this.node, {
      status,
      next_attempt_at: status === 'pending' ? nowMs + retryDelayMs(row.attempts, this.opts.retryBaseMs) : row.next_attempt_at,
      last_error: error,
      date_done: status === 'pending' ? null : this.clock(),
    });
    const fields = { id: row.id, event: row.event, url: row.handler_url, attempt: row.attempts, status, http: httpStatus, error };
    if (ok) this.log.info(fields, 'event delivered');
    else this.log.warn(fields, status === 'failed' ? 'event delivery failed for good' : 'event delivery failed, will retry');
    return { id: row.id, ok, status, httpStatus, error };
  }

  /** The POST body: event, event_handler_id, data (with fresh bot tokens), ts, auth (a fresh user token). */
  private async form(row: OutboxRow, app: AppRow): Promise<string> {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const bots = JSON.parse(row.bots) as BotRef[];
    const body: FormData = { event: row.event };
    if (row.handler_id !== null) body.event_handler_id = String(row.handler_id);
    const form = formData(data);
    // No tokens for a webhook's bot (it answers through its webhook, DECISIONS 18), nor for an application that is
    // uninstalled (ONAPPUNINSTALL) or an event that asks for none.
    const viaWebhook = (app.webhook_id !== null && app.webhook_id !== undefined) || app.installed !== 1 || row.auth_user_id === TOKENLESS_AUTH;
    if (bots.length === 1 && bots[0].v2) {
      // Bots 2.0 webhook mode: data.bot is {id, code, auth} (events.md, "bot" in webhook mode).
      const bot = bots[0];
      const auth = viaWebhook ? webhookAuthBlock(app, this.portal()) : authBlock(await this.auth.issueToken(bot.id, app), app, this.portal(), true);
      body.data = { ...form, bot: { id: String(bot.id), code: bot.code, auth } };
    } else if (bots.length > 0) {
      const blocks: FormData = {};
      for (const bot of bots) {
        const block = botBlock(viaWebhook ? undefined : await this.auth.issueToken(bot.id, app), app, this.portal(), bot);
        blocks[bot.key ?? String(bot.id)] = { ...block, ...(bot.extra ?? {}) };
      }
      body.data = { [bots[0].group ?? 'BOT']: blocks, ...form };
    } else {
      body.data = form;
    }
    body.ts = String(this.clock());
    if (row.auth_user_id > 0 || row.auth_user_id === TOKENLESS_AUTH) {
      body.auth = viaWebhook ? webhookAuthBlock(app, this.portal()) : authBlock(await this.auth.issueToken(row.auth_user_id, app), app, this.portal(), false);
    }
    return qs.stringify(body);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  const code = (err as { code?: string })?.code;
  if (code) return e?.message?.includes(code) ? e.message : `${e?.message ?? 'error'}: ${code}`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? 'error'}: ${cause}` : (e?.message ?? String(err));
}
