import { sql, type Kysely } from 'kysely';
import type { Database, MessagePatch, MessageRow, NewMessage } from '../schema.ts';
import type { MessageListQuery, MessageRepo, MessageSearchQuery } from '../store.ts';
import { precompiled } from './precompiled.ts';

/** How far back a connector may edit or delete its messages: the newest this many that came from connectors. */
const CONNECTOR_MID_REACH = 1000;

export class SqlMessageRepo implements MessageRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres' = 'sqlite',
  ) {}

  /**
   * Messages of a chat holding every word (as a word prefix, any case), through the full-text index: FTS5 on SQLite,
   * the GIN index over to_tsvector('simple', text) on PostgreSQL (the expression must match the index's).
   */
  search(q: MessageSearchQuery): Promise<MessageRow[]> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', q.chatId)
      .where('seq', '>=', q.fromSeq)
      .where('deleted', '=', 0);
    if (q.words.length) {
      // Words are letters and digits only (the caller splits the text), so they are safe inside either query syntax.
      if (this.dialect === 'postgres') {
        const tsquery = q.words.map((w) => `${w}:*`).join(' & ');
        query = query.where(sql<boolean>`to_tsvector('simple', text) @@ to_tsquery('simple', ${tsquery})`);
      } else {
        const match = [`chat:"c${q.chatId}"`, ...q.words.map((w) => `text:"${w}"*`)].join(' AND ');
        query = query.where(sql<boolean>`id in (select rowid from messages_fts where messages_fts match ${match})`);
      }
    }
    if (q.from !== undefined) query = query.where('date', '>=', q.from);
    if (q.to !== undefined) query = query.where('date', '<', q.to);
    if (q.afterId !== undefined) query = query.where('id', '>', q.afterId);
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    return query.orderBy('id', q.ascending ? 'asc' : 'desc').limit(q.limit).execute();
  }

  insert(msg: NewMessage): Promise<MessageRow> {
    return this.db.insertInto('messages').values(msg).returningAll().executeTakeFirstOrThrow();
  }

  get(id: number): Promise<MessageRow | undefined> {
    return this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getMany(ids: readonly number[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    const list = [...new Set(ids)];
    return precompiled<MessageRow>(this.db, `messages.getMany:${list.length}`, list, () => this.db.selectFrom('messages').selectAll().where('id', 'in', list));
  }

  async update(id: number, patch: MessagePatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('messages').set(patch).where('id', '=', id).execute();
  }

  list(q: MessageListQuery): Promise<MessageRow[]> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', q.chatId)
      .where('seq', '>=', q.fromSeq)
      .where('deleted', '=', 0);
    if (q.afterId !== undefined) {
      return query.where('id', '>', q.afterId).orderBy('seq', 'asc').limit(q.limit).execute();
    }
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    return query.orderBy('seq', 'desc').limit(q.limit).execute();
  }

  async byConnectorMid(chatId: number, mid: string): Promise<MessageRow | undefined> {
    // The pattern is a constant (the key), the id is compared after parsing: no user text reaches the LIKE.
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('deleted', '=', 0)
      .where('params', 'like', '%"CONNECTOR_MID"%')
      .orderBy('seq', 'desc')
      .limit(CONNECTOR_MID_REACH)
      .execute();
    return rows.find((r) => ((JSON.parse(r.params) as { CONNECTOR_MID?: unknown[] }).CONNECTOR_MID ?? []).map(String).includes(mid));
  }

  latest(chatId: number): Promise<MessageRow | undefined> {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('deleted', '=', 0)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  latestUpTo(chatId: number, seq: number): Promise<MessageRow | undefined> {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('seq', '<=', seq)
      .where('deleted', '=', 0)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  range(chatId: number, afterSeq: number, toSeq: number, limit: number): Promise<MessageRow[]> {
    let q = this.db.selectFrom('messages').selectAll().where('chat_id', '=', chatId).where('seq', '>', afterSeq).where('deleted', '=', 0);
    if (toSeq > 0) q = q.where('seq', '<=', toSeq);
    return q.orderBy('seq', 'desc').limit(limit).execute();
  }

  async seqAtOrBefore(chatId: number, messageId: number): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select('seq')
      .where('chat_id', '=', chatId)
      .where('id', '<=', messageId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }

  async countDeletedAfter(chatId: number, seq: number): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('chat_id', '=', chatId)
      .where('seq', '>', seq)
      .where('deleted', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countOwnAfter(chatId: number, authorId: number, seq: number): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('chat_id', '=', chatId)
      .where('author_id', '=', authorId)
      .where('seq', '>', seq)
      .where('deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markNotifyRead(chatId: number, fromSeq: number, toSeq: number, readerId: number): Promise<void> {
    if (toSeq <= fromSeq) return;
    await this.db
      .updateTable('messages')
      .set({ notify_read: 1 })
      .where('chat_id', '=', chatId)
      .where('seq', '>', fromSeq)
      .where('seq', '<=', toSeq)
      .where('author_id', '!=', readerId)
      .where('notify_read', '=', 0)
      .execute();
  }
}
