// Application lifecycle: the installed version (app update sends ONAPPUPDATE with the previous one), and the
// settings an application keeps on the portal (app.option.*, per user user.option.*).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable('app_options')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_options_pk', ['app_id', 'name'])
    .execute();
  await db.schema
    .createTable('user_options')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_options_pk', ['app_id', 'user_id', 'name'])
    .execute();
}
