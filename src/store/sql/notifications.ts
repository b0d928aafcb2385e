import { sql, type Kysely } from 'kysely';
import type { Database, NewNotification, NotificationRow } from '../schema.ts';
import { escapeLike, lowerLike, type SqlDialect } from './dialect.ts';
import type { NotificationPageQuery, NotificationRepo, NotificationSearch } from '../store.ts';

export class SqlNotificationRepo implements NotificationRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async add(row: NewNotification): Promise<number> {
    const r = await this.db.insertInto('notifications').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  get(id: number): Promise<NotificationRow | undefined> {
    return this.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  page(q: NotificationPageQuery): Promise<NotificationRow[]> {
    let query = this.db.selectFrom('notifications').selectAll().where('user_id', '=', q.userId);
    query = q.confirms ? query.where('type', '=', 1) : query.where('type', '<>', 1);
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  }

  search(q: NotificationSearch): Promise<NotificationRow[]> {
    let query = this.matching(q).selectAll();
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  }

  async countMatching(q: NotificationSearch): Promise<number> {
    const r = await this.matching(q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  private matching(q: NotificationSearch) {
    let query = this.db.selectFrom('notifications').where('user_id', '=', q.userId).where('type', '<>', 1);
    // Folded as JavaScript folds it on both backends, so Cyrillic text matches whatever its case.
    if (q.text) query = query.where(lowerLike(this.dialect, 'text', `%${escapeLike(q.text.toLowerCase())}%`));
    if (q.types?.length) {
      const modules = q.types.filter(([, event]) => !event).map(([module]) => module);
      const pairs = q.types.filter(([, event]) => event).map(([module, event]) => `${module}|${event}`);
      // Two flat IN lists, not an OR per type: a long SEARCH_TYPES list would make an expression tree deeper than
      // SQLite allows (1,000).
      query = query.where((eb) =>
        eb.or([
          ...(modules.length ? [eb('module', 'in', modules)] : []),
          ...(pairs.length ? [eb(sql<string>`module || '|' || event`, 'in', pairs)] : []),
        ]),
      );
    }
    if (q.tag) query = query.where('tag', '=', q.tag);
    if (q.from !== undefined) query = query.where('date', '>=', q.from);
    if (q.to !== undefined) query = query.where('date', '<', q.to);
    if (q.authors?.length) query = query.where('author_id', 'in', q.authors);
    return query;
  }

  async counts(userId: number): Promise<{ total: number; unread: number }> {
    const r = await this.db
      .selectFrom('notifications')
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>('is_read').as('read')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    const total = Number(r.total);
    return { total, unread: total - Number(r.read ?? 0) };
  }

  async setRead(userId: number, fromId: number, orNewer: boolean, read: boolean): Promise<number> {
    let q = this.db.updateTable('notifications').set({ is_read: read ? 1 : 0 }).where('user_id', '=', userId).where('is_read', '=', read ? 0 : 1);
    q = orNewer ? q.where('id', '>=', fromId) : q.where('id', '=', fromId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('notifications').where('id', '=', id).execute();
  }

  async deleteByTag(field: 'tag' | 'sub_tag', value: string, userId?: number): Promise<number> {
    let q = this.db.deleteFrom('notifications').where(field, '=', value);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
