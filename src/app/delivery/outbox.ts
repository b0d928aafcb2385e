// Outgoing events: written to the outbox in the caller's transaction, delivered later by the worker.
import type { AppRow, NewOfflineEvent, Store } from '../../store/store.ts';
import { randomHex } from '../secrets.ts';
import { formData } from './payload.ts';
import type { Clock } from '../clock.ts';

export interface BotRef {
  id: number;
  code: string;
  /** The data key the bot blocks go under: BOT (default) or COMMAND (ONIMCOMMANDADD). */
  group?: string;
  /** The block's key within the group (default: the bot id; ONIMCOMMANDADD uses the command id). */
  key?: string;
  /** Fields appended to the bot's auth block (COMMAND, COMMAND_ID, ... of ONIMCOMMANDADD). */
  extra?: Record<string, string>;
  /** A 2.0 bot (ONIMBOTV2*): its auth block goes into data[bot][auth] instead. */
  v2?: boolean;
}

/** authUserId of an event whose auth block carries no tokens (ONAPPUNINSTALL: the application is gone). */
export const TOKENLESS_AUTH = -1;

export interface OutboxItem {
  app: AppRow;
  event: string;
  url: string;
  /** The event_handlers row that asked for it (sent as event_handler_id). */
  handlerId?: number;
  /** The form's `data` object; values are turned into strings. */
  data: Record<string, unknown>;
  /** User whose auth block goes into `auth` (0: the application's installer context is not sent). */
  authUserId: number;
  /** Bots whose auth blocks go into data[BOT][id]. */
  bots?: BotRef[];
}

export interface EventPayloadBuilder {
  data: Record<string, unknown>;
  authUserId: number;
  bots?: BotRef[];
}

/** Queues events; `onQueued` wakes the local worker (other nodes find the rows by polling). */
export class Outbox {
  private waker: () => void = () => {};
  /** Rows queued by this process so far: the change dispatcher wakes the worker only after a batch that queued some. */
  queued = 0;

  constructor(private readonly clock: Clock) {}

  /** The local worker's wake-up call. */
  setWaker(fn: () => void): void {
    this.waker = fn;
  }

  /** Queues events; with `claim` the rows start claimed by that worker, which delivers them itself first. */
  async enqueue(store: Store, items: OutboxItem[], claim?: { node: string; leaseMs: number }): Promise<number[]> {
    if (items.length === 0) return [];
    const now = this.clock();
    const ids = await store.events.enqueue(
      items.map((it) => ({
        app_id: it.app.id,
        handler_id: it.handlerId ?? null,
        event: it.event,
        handler_url: it.url,
        data: JSON.stringify(it.data),
        auth_user_id: it.authUserId,
        bots: JSON.stringify(it.bots ?? []),
        status: 'pending',
        attempts: claim ? 1 : 0,
        next_attempt_at: Date.now(),
        locked_until: claim ? Date.now() + claim.leaseMs : null,
        locked_by: claim?.node ?? null,
        last_error: '',
        date_create: now,
        date_done: null,
      })),
    );
    this.queued += items.length;
    // Rows written inside a transaction become visible at commit; the short delay lets it land.
    setTimeout(() => this.waker(), 5).unref();
    return ids;
  }

  /** Queues one delivery per handler an installed application bound to `event`. */
  async emit(store: Store, app: AppRow, event: string, payload: EventPayloadBuilder, claim?: { node: string; leaseMs: number }): Promise<number[]> {
    if (!app.installed) return [];
    const handlers = await store.events.handlers({ appId: app.id, event });
    // Offline bindings keep the event for event.offline.get instead (same transaction, so exactly once).
    if (handlers.some((h) => h.offline === 1)) await store.offline.add([offlineRow(app, event, payload, this.clock())]);
    return this.enqueue(
      store,
      handlers
        .filter((h) => h.offline !== 1)
        .map((h) => ({
          app,
          event,
          url: h.handler,
          handlerId: h.id,
          data: payload.data,
          authUserId: h.auth_type > 0 ? h.auth_type : payload.authUserId,
          bots: payload.bots,
        })),
      claim,
    );
  }
}

/**
 * An offline event as event.offline.get shows it: EVENT_DATA is the `data` an online handler gets, with the bots'
 * blocks reduced to BOT_ID / BOT_CODE (no tokens are stored); EVENT_ADDITIONAL names the user who caused it.
 */
function offlineRow(app: AppRow, event: string, payload: EventPayloadBuilder, now: number): NewOfflineEvent {
  const data: Record<string, unknown> = { ...payload.data };
  if (payload.bots?.length) {
    const group: Record<string, unknown> = {};
    for (const b of payload.bots) group[b.key ?? String(b.id)] = { BOT_ID: String(b.id), BOT_CODE: b.code, ...(b.extra ?? {}) };
    data[payload.bots[0].group ?? 'BOT'] = group;
  }
  return {
    app_id: app.id,
    event,
    data: JSON.stringify(formData(data)),
    additional: JSON.stringify({ user_id: String(payload.authUserId) }),
    message_id: randomHex(16),
    process_id: '',
    error: 0,
    date_create: now,
  };
}
