import type { Kysely } from 'kysely';
import type { Database, NewOfflineEvent, OfflineEventRow } from '../schema.ts';
import type { OfflineQuery, OfflineRepo } from '../store.ts';

function row(r: OfflineEventRow): OfflineEventRow {
  return { ...r, id: Number(r.id), date_create: Number(r.date_create) };
}

export class SqlOfflineRepo implements OfflineRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(rows: NewOfflineEvent[]): Promise<void> {
    if (rows.length) await this.db.insertInto('event_offline').values(rows).execute();
  }

  private filtered(q: Omit<OfflineQuery, 'limit' | 'order'>) {
    let s = this.db.selectFrom('event_offline').where('app_id', '=', q.appId);
    for (const c of q.where) s = s.where(c.column, c.op === '!=' ? '<>' : c.op, c.value);
    return s;
  }

  async list(q: OfflineQuery): Promise<OfflineEventRow[]> {
    let s = this.filtered(q).selectAll();
    for (const o of q.order) s = s.orderBy(o.column, o.desc ? 'desc' : 'asc');
    s = s.orderBy('id').limit(q.limit);
    if (q.offset) s = s.offset(q.offset);
    return (await s.execute()).map(row);
  }

  async count(q: Omit<OfflineQuery, 'limit' | 'order'>): Promise<number> {
    const r = await this.filtered(q).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async reserve(appId: number, ids: number[], processId: string): Promise<void> {
    if (ids.length) await this.db.updateTable('event_offline').set({ process_id: processId }).where('app_id', '=', appId).where('id', 'in', ids).execute();
  }

  async delete(appId: number, f: { ids?: number[]; processId?: string; messageIds?: string[] }): Promise<number> {
    if (f.ids?.length === 0 || f.messageIds?.length === 0) return 0;
    let q = this.db.deleteFrom('event_offline').where('app_id', '=', appId);
    if (f.processId !== undefined) q = q.where('process_id', '=', f.processId);
    if (f.ids) q = q.where('id', 'in', f.ids);
    else if (f.messageIds) q = q.where('message_id', 'in', f.messageIds);
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }

  async markError(appId: number, processId: string, messageIds?: string[]): Promise<number> {
    if (messageIds?.length === 0) return 0;
    let q = this.db.updateTable('event_offline').set({ error: 1, process_id: '' }).where('app_id', '=', appId).where('process_id', '=', processId);
    if (messageIds) q = q.where('message_id', 'in', messageIds);
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }
}
