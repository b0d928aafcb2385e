// The local side of Push & Pull: the connections this node holds, and the fan-out of the message log to them.
// Every node reads the log in id order from where it stopped (woken by its own dispatcher's commits, by the
// other nodes' NOTIFY on PostgreSQL, and by a poll as a safety net). Writers append under one lock, so ids commit
// in order and "id > last" never skips a row that commits late. A reconnecting client names its last message
// id and gets what it missed from the same log.
import type { PullMessageRow, Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import { SerialDrain } from '../serial-drain.ts';

/** One message as a connection sends it: the body (JSON text) already holds the receiver's own params. */
export interface PullDelivery {
  id: number;
  /** 26 digits: creation second (10) + log id (16); the client's resume point. */
  mid: string;
  created: number;
  expire: number;
  /** `{module_id, command, params, extra}` as JSON. */
  body: string;
}

export interface PullBody {
  module_id: string;
  command: string;
  params: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/** A subscription (WebSocket or long poll) as the hub sees it. */
export interface PullConnection {
  readonly userId: number;
  readonly channelType: string;
  deliver(batch: PullDelivery[]): void;
}

export interface HubLog {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const PAGE = 500;
/** A resuming client gets at most this many log rows scanned for it (older gaps: it reloads, as after a long absence). */
const REPLAY_SCAN_LIMIT = 20_000;
const PRUNE_EVERY_MS = 600_000;
/**
 * Connections written to between two turns of the event loop: a large chat's message is a socket write per member,
 * and 5,000 of them in one go would hold every other request (and the heartbeats) for their whole length.
 */
const WRITES_PER_TURN = 250;

export function midOf(id: number, created: number): string {
  return String(Math.max(0, Math.floor(created))).padStart(10, '0').slice(-10) + String(id).padStart(16, '0');
}

/** The log id inside a mid; undefined for anything that is not one of ours. */
export function idOfMid(mid: string | undefined | null): number | undefined {
  if (!mid || !/^\d{26}$/.test(mid)) return undefined;
  const id = Number(mid.slice(10));
  return Number.isSafeInteger(id) ? id : undefined;
}

function receivers(row: PullMessageRow): number[] {
  return row.user_ids.split(',').filter(Boolean).map(Number);
}

/**
 * A log row prepared for its receivers: the shared part of the body is serialized once, and each receiver's body is
 * that text with the receiver's own params (counter, dialogId) put in front — a 5,000-member chat's message is not
 * serialized 5,000 times. Receivers whose own params are alike (most members of a chat share a counter) get one
 * delivery object, which the connections then encode once (http/pull/framing.ts).
 */
class PreparedRow {
  private readonly head: string;
  private readonly shared: string;
  private readonly tail: string;
  private readonly ownKeys: string[];
  private readonly defaults: Record<string, unknown>;
  private readonly userParams: Record<string, Record<string, unknown>>;
  private plain: string | undefined;
  private readonly deliveries = new Map<string, PullDelivery>();

  constructor(private readonly row: PullMessageRow) {
    const body = JSON.parse(row.body) as PullBody;
    this.userParams = JSON.parse(row.user_params) as Record<string, Record<string, unknown>>;
    const keys = new Set<string>();
    for (const p of Object.values(this.userParams)) for (const k of Object.keys(p)) keys.add(k);
    this.ownKeys = [...keys];
    // Nothing differs per receiver: the stored text is the body as it is.
    if (keys.size === 0) this.plain = row.body;
    this.defaults = {};
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body.params ?? {})) {
      if (keys.has(k)) this.defaults[k] = v;
      else rest[k] = v;
    }
    this.head = `{"module_id":${JSON.stringify(body.module_id)},"command":${JSON.stringify(body.command)},"params":{`;
    this.shared = JSON.stringify(rest).slice(1, -1);
    this.tail = `},"extra":${JSON.stringify(body.extra ?? {})}}`;
  }

  /** The receiver's own params as JSON members ('' when nothing differs per receiver). */
  private ownPart(userId: number): string {
    if (this.ownKeys.length === 0) return '';
    const own = this.userParams[String(userId)] ?? {};
    const values: Record<string, unknown> = {};
    for (const k of this.ownKeys) values[k] = k in own ? own[k] : this.defaults[k];
    return JSON.stringify(values).slice(1, -1);
  }

  private bodyWith(mine: string): string {
    if (this.ownKeys.length === 0) return (this.plain ??= this.head + this.shared + this.tail);
    return this.head + mine + (mine && this.shared ? ',' : '') + this.shared + this.tail;
  }

  deliveryFor(userId: number): PullDelivery {
    const mine = this.ownPart(userId);
    let d = this.deliveries.get(mine);
    if (!d) {
      const row = this.row;
      d = { id: row.id, mid: midOf(row.id, row.date_create), created: row.date_create, expire: row.date_expire, body: this.bodyWith(mine) };
      this.deliveries.set(mine, d);
    }
    return d;
  }
}

interface Attached {
  /** Live messages held back while the connection's replay runs. */
  held: PullDelivery[] | undefined;
}

export class PullHub {
  private readonly byUser = new Map<string, Set<PullConnection>>();
  private readonly byType = new Map<string, Set<PullConnection>>();
  private readonly attached = new Map<PullConnection, Attached>();
  private lastId = 0;
  private started = false;
  private stopped = false;
  private readonly serial = new SerialDrain(() => this.drain(), () => this.started && !this.stopped);
  private timer: NodeJS.Timeout | undefined;
  private prunedAt = 0;
  private log: HubLog = { warn() {}, error() {} };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pollMs: number,
    readonly limits: { maxPerUser: number; maxConnections: number },
  ) {}

  get size(): number {
    return this.attached.size;
  }

  /** The last log id this node has fanned out: where a client with no resume point of its own starts. */
  get position(): number {
    return this.lastId;
  }

  /** Starts at the log's end: a node that was down has no connections to catch up for. */
  async start(log?: HubLog): Promise<void> {
    if (this.started) return;
    if (log) this.log = log;
    this.lastId = await this.store.pull.maxId();
    this.started = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.serial.current;
  }

  /** Called on every wake but the poll's: `serve --workers` tells the other workers (SQLite has no NOTIFY). */
  onWake?: () => void;

  /** New rows may be in the log (a local commit or another node's notification). */
  wake(): void {
    this.serial.wake();
    this.onWake?.();
  }

  /** Another worker of this server committed log rows: read them, without telling anyone again. */
  wakeFromPeer(): void {
    this.serial.wake();
  }


  connectionsOf(userId: number, channelType: string): number {
    return this.byUser.get(`${channelType}\n${userId}`)?.size ?? 0;
  }

  /** Why a new connection is refused (the per-user or node-wide limit), or undefined. */
  refusal(userId: number, channelType: string): string | undefined {
    if (this.attached.size >= this.limits.maxConnections) return 'server connection limit reached';
    if (this.connectionsOf(userId, channelType) >= this.limits.maxPerUser) return 'too many connections of this user';
    return undefined;
  }

  /**
   * Adds a connection; with `resumeAfter` (the id in the client's last mid) it first gets every unexpired message
   * for it after that id, then the live ones, in order and without duplicates.
   */
  async attach(conn: PullConnection, resumeAfter?: number): Promise<void> {
    const entry: Attached = { held: resumeAfter !== undefined ? [] : undefined };
    this.attached.set(conn, entry);
    addTo(this.byUser, `${conn.channelType}\n${conn.userId}`, conn);
    addTo(this.byType, conn.channelType, conn);
    if (resumeAfter === undefined) return;
    let sent = resumeAfter;
    try {
      const missed = await this.missed(conn, resumeAfter);
      if (missed.length) conn.deliver(missed);
      if (missed.length) sent = missed[missed.length - 1].id;
    } catch (err) {
      this.log.error({ err }, 'pull: cannot replay missed messages');
    } finally {
      const held = (entry.held ?? []).filter((d) => d.id > sent);
      entry.held = undefined;
      if (held.length && this.attached.has(conn)) conn.deliver(held);
    }
  }

  detach(conn: PullConnection): void {
    if (!this.attached.delete(conn)) return;
    removeFrom(this.byUser, `${conn.channelType}\n${conn.userId}`, conn);
    removeFrom(this.byType, conn.channelType, conn);
  }

  /** The messages for a subscriber after a log id (long polling reads this directly). */
  async missed(sub: { userId: number; channelType: string }, afterId: number): Promise<PullDelivery[]> {
    const now = this.clock();
    const out: PullDelivery[] = [];
    let from = afterId;
    for (let scanned = 0; scanned < REPLAY_SCAN_LIMIT; ) {
      const rows = await this.store.pull.after(from, PAGE, { channelType: sub.channelType, notExpiredAt: now });
      for (const row of rows) {
        const users = receivers(row);
        if (users.includes(sub.userId) || users.includes(0)) {
          out.push(new PreparedRow(row).deliveryFor(sub.userId));
        }
      }
      scanned += rows.length;
      if (rows.length < PAGE) break;
      from = rows[rows.length - 1].id;
    }
    return out;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.store.pull.after(this.lastId, PAGE);
        if (rows.length === 0) break;
        await this.fanOut(rows);
        this.lastId = rows[rows.length - 1].id;
        if (rows.length < PAGE) break;
      }
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.store.pull.prune(this.clock());
      }
    } catch (err) {
      this.log.error({ err }, 'pull: cannot read the message log');
    }
  }

  /** One drain runs at a time (SerialDrain), so a connection's batches still go out in log order across yields. */
  private async fanOut(rows: PullMessageRow[]): Promise<void> {
    if (this.attached.size === 0) return;
    const batches = new Map<PullConnection, PullDelivery[]>();
    const now = this.clock();
    for (const row of rows) {
      if (row.date_expire <= now) continue;
      let prepared: PreparedRow | undefined;
      for (const userId of receivers(row)) {
        const conns = userId === 0 ? this.byType.get(row.channel_type) : this.byUser.get(`${row.channel_type}\n${userId}`);
        if (!conns) continue;
        prepared ??= new PreparedRow(row);
        for (const conn of conns) {
          const d = prepared.deliveryFor(conn.userId);
          const entry = this.attached.get(conn);
          if (entry?.held) entry.held.push(d);
          else {
            const list = batches.get(conn);
            if (list) list.push(d);
            else batches.set(conn, [d]);
          }
        }
      }
    }
    let written = 0;
    for (const [conn, list] of batches) {
      if (++written % WRITES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      // Gone while the loop yielded: nothing to write to.
      if (!this.attached.has(conn)) continue;
      try {
        conn.deliver(list);
      } catch (err) {
        this.log.warn({ err }, 'pull: a connection refused a message');
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.serial.wake();
      this.schedule();
    }, this.pollMs);
    this.timer.unref();
  }
}

function addTo<K>(map: Map<K, Set<PullConnection>>, key: K, conn: PullConnection): void {
  const set = map.get(key);
  if (set) set.add(conn);
  else map.set(key, new Set([conn]));
}

function removeFrom<K>(map: Map<K, Set<PullConnection>>, key: K, conn: PullConnection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
