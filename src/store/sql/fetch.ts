// Fetch queues of Bots 2.0 (fetch-mode bots, im.v2 subscribers): one table of events keyed by stream and event id.
import type { Kysely } from 'kysely';
import type { Database, FetchEventRow, FetchStreamRow } from '../schema.ts';
import type { FetchRepo, FetchStream } from '../store.ts';

/** The event type of the marker that stands where a full queue dropped its oldest events. */
export const DROPPED_MARKER = 'B24IM_EVENTS_DROPPED';

function eventRow(r: FetchEventRow): FetchEventRow {
  return { ...r, id: Number(r.id), event_id: Number(r.event_id), owner_id: Number(r.owner_id), date_create: Number(r.date_create) };
}

function streamRow(r: FetchStreamRow): FetchStreamRow {
  return { ...r, owner_id: Number(r.owner_id), queued: Number(r.queued), dropped: Number(r.dropped), date_create: Number(r.date_create) };
}

export class SqlFetchRepo implements FetchRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async open(s: FetchStream, date: number): Promise<void> {
    const kept = await this.db
      .selectFrom('fetch_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', s.kind)
      .where('owner_id', '=', s.ownerId)
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('fetch_streams')
      .values({ kind: s.kind, owner_id: s.ownerId, queued: Number(kept.n), dropped: 0, date_create: date })
      .onConflict((oc) => oc.columns(['kind', 'owner_id']).doNothing())
      .execute();
  }

  async close(s: FetchStream): Promise<void> {
    await this.db.deleteFrom('fetch_events').where('kind', '=', s.kind).where('owner_id', '=', s.ownerId).execute();
    await this.stop(s);
  }

  async stop(s: FetchStream): Promise<void> {
    await this.db.deleteFrom('fetch_streams').where('kind', '=', s.kind).where('owner_id', '=', s.ownerId).execute();
  }

  async expire(streams: readonly FetchStream[], date: number): Promise<number> {
    return this.deleteEvents(streams, 'date_create', date);
  }

  async streams(kind?: 'bot' | 'user'): Promise<FetchStreamRow[]> {
    let q = this.db.selectFrom('fetch_streams').selectAll().orderBy('kind').orderBy('owner_id');
    if (kind) q = q.where('kind', '=', kind);
    return (await q.execute()).map(streamRow);
  }

  async stream(s: FetchStream): Promise<FetchStreamRow | undefined> {
    const row = await this.db.selectFrom('fetch_streams').selectAll().where('kind', '=', s.kind).where('owner_id', '=', s.ownerId).executeTakeFirst();
    return row && streamRow(row);
  }

  async subscribersIn(chatId: number, exclude: readonly number[]): Promise<number[]> {
    let q = this.db
      .selectFrom('fetch_streams')
      .innerJoin('members', 'members.user_id', 'fetch_streams.owner_id')
      .select('fetch_streams.owner_id')
      .where('fetch_streams.kind', '=', 'user')
      .where('members.chat_id', '=', chatId);
    if (exclude.length > 0) q = q.where('fetch_streams.owner_id', 'not in', [...exclude]);
    return (await q.orderBy('fetch_streams.owner_id').execute()).map((r) => Number(r.owner_id));
  }

  async append(to: readonly FetchStream[], type: string, data: string, date: number, cap: number): Promise<number[]> {
    const open: FetchStream[] = [];
    for (const s of to) if (await this.stream(s)) open.push(s);
    if (open.length === 0) return [];
    // The sequence row stays locked until this transaction commits: a later id cannot become visible before it.
    const seq = await this.db
      .updateTable('fetch_sequence')
      .set((eb) => ({ value: eb('value', '+', open.length) }))
      .where('name', '=', 'events')
      .returning('value')
      .executeTakeFirstOrThrow();
    const last = Number(seq.value);
    const ids = open.map((_, i) => last - open.length + 1 + i);
    await this.db
      .insertInto('fetch_events')
      .values(open.map((s, i) => ({ kind: s.kind, owner_id: s.ownerId, event_id: ids[i], type, data, date_create: date })))
      .execute();
    for (const s of open) {
      const row = await this.db
        .updateTable('fetch_streams')
        .set((eb) => ({ queued: eb('queued', '+', 1) }))
        .where('kind', '=', s.kind)
        .where('owner_id', '=', s.ownerId)
        .returning('queued')
        .executeTakeFirstOrThrow();
      if (Number(row.queued) > cap) await this.dropOldest(s, Number(row.queued) - cap + 1, date);
    }
    return ids;
  }

  /** A full queue: its oldest events give way to one marker that says how many were dropped, where they were. */
  private async dropOldest(s: FetchStream, count: number, date: number): Promise<void> {
    const oldest = (
      await this.db
        .selectFrom('fetch_events')
        .selectAll()
        .where('kind', '=', s.kind)
        .where('owner_id', '=', s.ownerId)
        .orderBy('event_id')
        .limit(count)
        .execute()
    ).map(eventRow);
    if (oldest.length === 0) return;
    let dropped = 0;
    let fresh = 0;
    let first = oldest[0].event_id;
    for (const r of oldest) {
      if (r.type === DROPPED_MARKER) {
        const d = JSON.parse(r.data) as { count: number; firstEventId: number };
        dropped += d.count;
        first = Math.min(first, d.firstEventId);
      } else {
        dropped += 1;
        fresh += 1;
      }
    }
    const lastRow = oldest[oldest.length - 1];
    await this.db
      .deleteFrom('fetch_events')
      .where('kind', '=', s.kind)
      .where('owner_id', '=', s.ownerId)
      .where('event_id', '<=', lastRow.event_id)
      .execute();
    await this.db
      .insertInto('fetch_events')
      .values({
        kind: s.kind,
        owner_id: s.ownerId,
        event_id: lastRow.event_id,
        type: DROPPED_MARKER,
        data: JSON.stringify({ count: dropped, firstEventId: first, lastEventId: lastRow.event_id }),
        date_create: date,
      })
      .execute();
    await this.db
      .updateTable('fetch_streams')
      .set((eb) => ({ queued: eb('queued', '-', oldest.length - 1), dropped: eb('dropped', '+', fresh) }))
      .where('kind', '=', s.kind)
      .where('owner_id', '=', s.ownerId)
      .execute();
  }

  async acknowledge(streams: readonly FetchStream[], offset: number): Promise<number> {
    return this.deleteEvents(streams, 'event_id', offset);
  }

  /** Deletes the events of each stream whose `column` is below `bound`, keeping the streams' counts. */
  private async deleteEvents(streams: readonly FetchStream[], column: 'event_id' | 'date_create', bound: number): Promise<number> {
    let total = 0;
    for (const s of streams) {
      const res = await this.db
        .deleteFrom('fetch_events')
        .where('kind', '=', s.kind)
        .where('owner_id', '=', s.ownerId)
        .where(column, '<', bound)
        .executeTakeFirst();
      const n = Number(res.numDeletedRows);
      if (n > 0) {
        await this.db
          .updateTable('fetch_streams')
          .set((eb) => ({ queued: eb('queued', '-', n) }))
          .where('kind', '=', s.kind)
          .where('owner_id', '=', s.ownerId)
          .execute();
      }
      total += n;
    }
    return total;
  }

  async read(streams: readonly FetchStream[], offset: number, limit: number): Promise<FetchEventRow[]> {
    if (streams.length === 0) return [];
    const rows = await this.db
      .selectFrom('fetch_events')
      .selectAll()
      .where((eb) => eb.or(streams.map((s) => eb.and([eb('kind', '=', s.kind), eb('owner_id', '=', s.ownerId)]))))
      .where('event_id', '>=', offset)
      .orderBy('event_id')
      .limit(limit)
      .execute();
    return rows.map(eventRow);
  }
}

/** Reactions other than "like" (message_reactions). */
export class SqlReactionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(messageId: number, userId: number, reaction: string, date: number): Promise<boolean> {
    const res = await this.db
      .insertInto('message_reactions')
      .values({ message_id: messageId, user_id: userId, reaction, date_create: date })
      .onConflict((oc) => oc.columns(['message_id', 'user_id', 'reaction']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async remove(messageId: number, userId: number, reaction: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('message_reactions')
      .where('message_id', '=', messageId)
      .where('user_id', '=', userId)
      .where('reaction', '=', reaction)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
