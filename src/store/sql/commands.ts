import type { Kysely } from 'kysely';
import type { BotCommandRow, Database, NewBotCommand } from '../schema.ts';
import type { CommandRepo } from '../store.ts';

export class SqlCommandRepo implements CommandRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(row: NewBotCommand): Promise<BotCommandRow> {
    const { id } = await this.db.insertInto('bot_commands').values(row).returning('id').executeTakeFirstOrThrow();
    return { ...row, id: Number(id) } as BotCommandRow;
  }

  get(id: number): Promise<BotCommandRow | undefined> {
    return this.db.selectFrom('bot_commands').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byName(command: string): Promise<BotCommandRow[]> {
    return this.db.selectFrom('bot_commands').selectAll().where('command', '=', command).orderBy('id').execute();
  }

  list(f: { botId?: number; appId?: number }): Promise<BotCommandRow[]> {
    let q = this.db.selectFrom('bot_commands').selectAll().orderBy('id');
    if (f.botId !== undefined) q = q.where('bot_id', '=', f.botId);
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    return q.execute();
  }

  async update(id: number, patch: Partial<Omit<BotCommandRow, 'id'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('bot_commands').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('bot_commands').where('id', '=', id).execute();
  }

  async deleteByBot(botId: number): Promise<void> {
    await this.db.deleteFrom('bot_commands').where('bot_id', '=', botId).execute();
    await this.db.deleteFrom('bot_grants').where('bot_id', '=', botId).execute();
  }

  async grant(botId: number, dialogId: string, expire: number): Promise<void> {
    await this.db
      .insertInto('bot_grants')
      .values({ bot_id: botId, dialog_id: dialogId, date_expire: expire })
      .onConflict((oc) => oc.columns(['bot_id', 'dialog_id']).doUpdateSet({ date_expire: expire }))
      .execute();
  }

  async grantedUntil(botId: number, dialogId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('bot_grants')
      .select('date_expire')
      .where('bot_id', '=', botId)
      .where('dialog_id', '=', dialogId)
      .executeTakeFirst();
    return row ? Number(row.date_expire) : undefined;
  }
}
