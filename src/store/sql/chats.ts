import type { Kysely } from 'kysely';
import type { ChatPatch, ChatRow, Database, NewChat } from '../schema.ts';
import type { ChatRepo } from '../store.ts';

export class SqlChatRepo implements ChatRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  create(chat: NewChat): Promise<ChatRow> {
    return this.db.insertInto('chats').values(chat).returningAll().executeTakeFirstOrThrow();
  }

  get(id: number): Promise<ChatRow | undefined> {
    return this.db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
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
