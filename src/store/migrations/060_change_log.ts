// The change log: one row per committed change that something outside the transaction reacts to (bot and
// application events today). It is written in the transaction of the change itself, so a crash can never keep
// the change and lose its events; a dispatcher turns each row into outbox rows afterwards.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('change_log'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'text', (c) => c.notNull())
    // 1 until the classic event dispatcher has turned the row into outbox rows (or failed on it for good).
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_log_pending').on('change_log').columns(['pending', 'id']).execute();
}
