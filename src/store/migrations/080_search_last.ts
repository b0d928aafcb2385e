// The recent searches of each user (im.search.last.*): dialogs picked from search results, newest first.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('search_last')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('dialog_id', 'text', (c) => c.notNull())
    .addColumn('date', ctx.dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('search_last_pk', ['user_id', 'dialog_id'])
    .execute();
}
