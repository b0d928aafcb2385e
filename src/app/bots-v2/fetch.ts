// Fetch queues (imbot.v2.Event.get, im.v2.Event.get): durable, bounded, read by offset. An event's id is its
// position in one sequence shared by every queue, so a bot's events and its user's (withUserEvents) merge under one
// offset; `offset` acknowledges (deletes) everything below it, and what is not acknowledged is returned again, even
// after a restart. A queue over its cap drops its oldest events, leaving one B24IM_EVENTS_DROPPED marker in their
// place that says how many and which ids (so a bot knows it missed some and can re-read the chats). A user's queue
// (im.v2) also keeps its events for a day only, and unsubscribing stops the recording but leaves what was recorded
// readable until then (the docs' im.v2 limits and Event.unsubscribe).
import type { FetchEventRow, FetchStream, Store } from '../../store/store.ts';
import { DROPPED_MARKER } from '../../store/sql/fetch.ts';
import { atom } from '../../present/dates.ts';
import type { Clock } from '../clock.ts';

export { DROPPED_MARKER };

/** Events one Event.get returns at most / by default (the docs' 1–1000, default 100). */
export const FETCH_LIMIT = { min: 1, max: 1000, default: 100 } as const;

/** How long a user's queue keeps an event, in seconds (im.v2: 24 hours). */
export const USER_EVENTS_TTL = 24 * 3600;

export interface FetchedEvent {
  eventId: number;
  type: string;
  date: string;
  data: unknown;
}

export interface FetchPage {
  events: FetchedEvent[];
  nextOffset: number;
  hasMore: boolean;
}

export class FetchQueues {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Most events a queue holds; beyond it the oldest are dropped (B24IM_FETCH_QUEUE_CAP). */
    readonly cap: number,
    private readonly zone: string,
  ) {}

  async open(tx: Store, s: FetchStream): Promise<void> {
    await this.expire(tx, [s]);
    await tx.fetch.open(s, this.clock());
  }

  close(tx: Store, s: FetchStream): Promise<void> {
    return tx.fetch.close(s);
  }

  /** im.v2.Event.unsubscribe: no more recording; the recorded events stay until read or expired. */
  stop(tx: Store, s: FetchStream): Promise<void> {
    return tx.fetch.stop(s);
  }

  async isOpen(s: FetchStream): Promise<boolean> {
    return (await this.store.fetch.stream(s)) !== undefined;
  }

  /** Inside the dispatcher's transaction: one event into each open stream of `to`. */
  async append(tx: Store, to: FetchStream[], type: string, data: Record<string, unknown>): Promise<void> {
    await tx.fetch.append(to, type, JSON.stringify(data), this.clock(), this.cap);
  }

  /**
   * One Event.get: acknowledges what is below `offset` (when given), then returns up to `limit` events at or after
   * it. One transaction, so two fetchers of one queue never see an acknowledged event again.
   */
  async fetch(streams: FetchStream[], offset: number | undefined, limit: number): Promise<FetchPage> {
    return this.store.transaction(async (tx) => {
      const from = offset ?? 0;
      await this.expire(tx, streams);
      if (offset !== undefined && offset > 0) await tx.fetch.acknowledge(streams, offset);
      const rows = await tx.fetch.read(streams, from, limit + 1);
      const page = rows.slice(0, limit);
      return {
        events: page.map((r) => this.event(r)),
        nextOffset: page.length > 0 ? page[page.length - 1].event_id + 1 : from,
        hasMore: rows.length > limit,
      };
    });
  }

  /** Drops what users' queues among `streams` have kept longer than a day (a bot's queue keeps events until read). */
  private async expire(tx: Store, streams: FetchStream[]): Promise<void> {
    const users = streams.filter((s) => s.kind === 'user');
    if (users.length) await tx.fetch.expire(users, this.clock() - USER_EVENTS_TTL);
  }

  private event(r: FetchEventRow): FetchedEvent {
    return { eventId: r.event_id, type: r.type, date: atom(r.date_create, this.zone), data: JSON.parse(r.data) as unknown };
  }
}
