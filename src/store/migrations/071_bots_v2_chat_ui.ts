// Bots 2.0: a chat's text field can be switched off by a bot (imbot.v2.Chat.TextField.enabled), and messages carry
// reactions other than the classic like (imbot.v2.Chat.Message.Reaction.*; "like" stays the LIKE list of params).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idType, dateType }: MigrationContext): Promise<void> {
  await db.schema.alterTable('chats').addColumn('text_field', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable('message_reactions')
    .addColumn('message_id', idType, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('reaction', 'text', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('message_reactions_pk', ['message_id', 'user_id', 'reaction'])
    .execute();
}
