// Bot commands (imbot.command.*) and the short-lived grants that let a bot answer a command in a dialog.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('bot_commands'))
    .addColumn('bot_id', 'integer', (c) => c.notNull())
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id'))
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('common', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extranet_support', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON [{LANGUAGE_ID, TITLE, PARAMS}], as registered.
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bot_commands_command').on('bot_commands').column('command').execute();
  await db.schema.createIndex('bot_commands_bot').on('bot_commands').column('bot_id').execute();

  // A portal's bot token: a command sent in a dialog lets the command's bot answer there for ten minutes.
  await db.schema
    .createTable('bot_grants')
    .addColumn('bot_id', 'integer', (c) => c.notNull())
    .addColumn('dialog_id', 'text', (c) => c.notNull())
    .addColumn('date_expire', dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_grants_pk', ['bot_id', 'dialog_id'])
    .execute();
}
