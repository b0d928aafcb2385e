import type { Kysely } from 'kysely';
import type { ChatPatch, ChatRow, Database, NewChat } from '../schema.ts';
import type { ChatRepo, ChatSearchQuery } from '../store.ts';
import { escapeLike, lowerLike } from './dialect.ts';
import { precompiled } from './precompiled.ts';

export class SqlChatRepo implements ChatRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  searchOfMember(q: ChatSearchQuery): Promise<ChatRow[]> {
    return this.memberMatches(q).selectAll('chats').orderBy('chats.id', 'desc').limit(q.limit).offset(q.offset).execute();
  }

  async countSearchOfMember(q: ChatSearchQuery): Promise<number> {
    const r = await this.memberMatches(q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  private memberMatches(q: ChatSearchQuery) {
    let query = this.db
      .selectFrom('chats')
      .innerJoin('members', 'members.chat_id', 'chats.id')
      .where('members.user_id', '=', q.userId)
      .where('chats.type', 'in', [...q.types]);
    // Folded as JavaScript folds it on both backends (Cyrillic titles too).
    for (const w of q.words) query = query.where(lowerLike(this.dialect, 'chats.title', `%${escapeLike(w.toLowerCase())}%`));
    return query;
  }

  create(chat: NewChat): Promise<ChatRow> {
    return this.db.insertInto('chats').values(chat).returningAll().executeTakeFirstOrThrow();
  }

  // Read by every post, read and event (twice per message): compiled once (see precompiled.ts).
  async get(id: number): Promise<ChatRow | undefined> {
    return (await precompiled<ChatRow>(this.db, 'chats.get', [id], () => this.db.selectFrom('chats').selectAll().where('id', '=', id)))[0];
  }

  getForUpdate(id: number): Promise<ChatRow | undefined> {
    const q = this.db.selectFrom('chats').selectAll().where('id', '=', id);
    // SQLite has one writer at a time already; PostgreSQL needs the row lock.
    return (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
  }

  async getMany(ids: readonly number[]): Promise<ChatRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('chats').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  }

  byDialogKey(key: string): Promise<ChatRow | undefined> {
    return this.db.selectFrom('chats').selectAll().where('dialog_key', '=', key).executeTakeFirst();
  }

  byEntity(type: string, id: string): Promise<ChatRow | undefined> {
    return this.db.selectFrom('chats').selectAll().where('entity_type', '=', type).where('entity_id', '=', id).orderBy('id').limit(1).executeTakeFirst();
  }

  async update(id: number, patch: ChatPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('chats').set(patch).where('id', '=', id).execute();
  }

  async nextSeq(id: number): Promise<number> {
    const row = await this.db
      .updateTable('chats')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('id', '=', id)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }
}
