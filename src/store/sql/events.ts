import type { Kysely } from 'kysely';
import type { Database, EventHandlerRow, EventLogRow, NewOutboxRow, OutboxRow } from '../schema.ts';
import type { EventRepo, HandlerFilter } from '../store.ts';

/** PostgreSQL returns bigint columns as strings; every date here is a number to the app. */
function outboxRow(r: OutboxRow): OutboxRow {
  return {
    ...r,
    next_attempt_at: Number(r.next_attempt_at),
    locked_until: r.locked_until === null ? null : Number(r.locked_until),
    date_create: Number(r.date_create),
    date_done: r.date_done === null ? null : Number(r.date_done),
  };
}

export class SqlEventRepo implements EventRepo {
  constructor(private readonly db: Kysely<Database>) {}

  handlers(f: HandlerFilter): Promise<EventHandlerRow[]> {
    let q = this.db.selectFrom('event_handlers').selectAll().orderBy('id');
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    if (f.event !== undefined) q = q.where('event', '=', f.event);
    if (f.handler !== undefined) q = q.where('handler', '=', f.handler);
    if (f.authType !== undefined) q = q.where('auth_type', '=', f.authType);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.offline !== undefined) q = q.where('offline', '=', f.offline ? 1 : 0);
    return q.execute();
  }

  addHandler(row: Omit<EventHandlerRow, 'id' | 'offline'> & { offline?: number }): Promise<EventHandlerRow> {
    return this.db.insertInto('event_handlers').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async deleteHandlers(f: HandlerFilter & { appId: number }): Promise<number> {
    let q = this.db.deleteFrom('event_handlers').where('app_id', '=', f.appId);
    if (f.event !== undefined) q = q.where('event', '=', f.event);
    if (f.handler !== undefined) q = q.where('handler', '=', f.handler);
    if (f.authType !== undefined) q = q.where('auth_type', '=', f.authType);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.offline !== undefined) q = q.where('offline', '=', f.offline ? 1 : 0);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async enqueue(rows: NewOutboxRow[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const out = await this.db.insertInto('event_outbox').values(rows).returning('id').execute();
    return out.map((r) => r.id);
  }

  async get(ids: number[]): Promise<OutboxRow[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('event_outbox').selectAll().where('id', 'in', ids).orderBy('id').execute()).map(outboxRow);
  }

  async claim(node: string, nowMs: number, leaseMs: number, limit: number, ids?: number[]): Promise<OutboxRow[]> {
    if (ids && ids.length === 0) return [];
    // One statement: a row is taken by exactly one node even when several poll the same database
    // (SQLite serialises writers; PostgreSQL re-checks the WHERE on rows another node just updated).
    const rows = await this.db
      .updateTable('event_outbox')
      .set((eb) => ({ locked_by: node, locked_until: nowMs + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) => {
        let q = eb
          .selectFrom('event_outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', nowMs)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', nowMs)]))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit);
        if (ids) q = q.where('id', 'in', ids);
        return q;
      })
      .where('status', '=', 'pending')
      .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', nowMs)]))
      .returningAll()
      .execute();
    return rows.map(outboxRow).sort((a, b) => a.id - b.id);
  }

  async finish(id: number, node: string, patch: Pick<OutboxRow, 'status' | 'next_attempt_at' | 'last_error' | 'date_done'>): Promise<void> {
    await this.db
      .updateTable('event_outbox')
      .set({ ...patch, locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('locked_by', '=', node)
      .execute();
  }

  async release(node: string): Promise<void> {
    await this.db.updateTable('event_outbox').set({ locked_by: null, locked_until: null }).where('locked_by', '=', node).execute();
  }

  async claimants(nowMs: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('event_outbox')
      .select('locked_by')
      .distinct()
      .where('status', '=', 'pending')
      .where('locked_until', '>=', nowMs)
      .execute();
    return rows.map((r) => r.locked_by).filter((n): n is string => n !== null);
  }

  async nextDue(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('event_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  async outbox(f: { status?: string; appId?: number; limit: number }): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('event_outbox').selectAll().orderBy('id', 'desc').limit(f.limit);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    return (await q.execute()).map(outboxRow);
  }

  async outboxStats(): Promise<{ byStatus: Record<string, number>; failedAttempts: number }> {
    const rows = await this.db
      .selectFrom('event_outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const failed = await this.db
      .selectFrom('event_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ok', '=', 0)
      .executeTakeFirstOrThrow();
    return { byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), failedAttempts: Number(failed.n) };
  }

  async retry(id: number, nowMs: number): Promise<boolean> {
    const res = await this.db
      .updateTable('event_outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: nowMs, date_done: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async prune(beforeSec: number): Promise<number> {
    await this.db.deleteFrom('event_log').where('date', '<', beforeSec).execute();
    const res = await this.db
      .deleteFrom('event_outbox')
      .where('status', 'in', ['done', 'failed'])
      .where('date_done', '<', beforeSec)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async log(row: Omit<EventLogRow, 'id'>): Promise<void> {
    await this.db.insertInto('event_log').values(row).execute();
  }

  async logs(f: { appId?: number; outboxId?: number; limit: number }): Promise<EventLogRow[]> {
    let q = this.db.selectFrom('event_log').selectAll().orderBy('id', 'desc').limit(f.limit);
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    if (f.outboxId !== undefined) q = q.where('outbox_id', '=', f.outboxId);
    return (await q.execute()).map((r) => ({ ...r, date: Number(r.date) }));
  }
}
