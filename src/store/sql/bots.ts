import type { Kysely } from 'kysely';
import type { BotRow, Database, NewBot } from '../schema.ts';
import type { BotRepo } from '../store.ts';
import { precompiled } from './precompiled.ts';

export class SqlBotRepo implements BotRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: NewBot): Promise<BotRow> {
    await this.db.insertInto('bots').values(row).execute();
    return (await this.get(row.id))!;
  }

  /** One more message written by the bot (a no-op for a user who is not a bot). */
  async countMessage(id: number): Promise<void> {
    await this.db.updateTable('bots').set((eb) => ({ count_message: eb('count_message', '+', 1) })).where('id', '=', id).execute();
  }

  /** Chats the bot is a member of, and of them the one-to-one dialogs (the users it talks with). */
  async chatCounts(id: number): Promise<{ chats: number; dialogs: number }> {
    const rows = await this.db
      .selectFrom('members')
      .select((eb) => ['item_type', eb.fn.countAll().as('n')])
      .where('user_id', '=', id)
      .groupBy('item_type')
      .execute();
    let chats = 0;
    let dialogs = 0;
    for (const r of rows) {
      chats += Number(r.n);
      if (r.item_type === 'P') dialogs += Number(r.n);
    }
    return { chats, dialogs };
  }

  // Asked for the author and the recipients of every message: compiled once (see precompiled.ts).
  async get(id: number): Promise<BotRow | undefined> {
    return (await precompiled<BotRow>(this.db, 'bots.get', [id], () => this.db.selectFrom('bots').selectAll().where('id', '=', id)))[0];
  }

  byCode(code: string): Promise<BotRow | undefined> {
    return this.db.selectFrom('bots').selectAll().where('code', '=', code).executeTakeFirst();
  }

  list(appId?: number): Promise<BotRow[]> {
    let q = this.db.selectFrom('bots').selectAll().orderBy('id');
    if (appId !== undefined) q = q.where('app_id', '=', appId);
    return q.execute();
  }

  async getMany(ids: readonly number[]): Promise<BotRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('bots').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  }

  async membersOf(chatId: number, botIds: readonly number[]): Promise<number[]> {
    if (botIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('members')
      .select('user_id')
      .where('chat_id', '=', chatId)
      .where('user_id', 'in', [...new Set(botIds)])
      .execute();
    return rows.map((r) => r.user_id);
  }

  async update(id: number, patch: Partial<Omit<BotRow, 'id'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('bots').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('bots').where('id', '=', id).execute();
  }
}
