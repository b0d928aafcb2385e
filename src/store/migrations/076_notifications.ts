// Notifications (im.notify.*): the bell's items, each addressed to one user, kept apart from chat messages.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await ctx
    .idColumn(db.schema.createTable('notifications'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('sub_tag', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_out', 'text', (c) => c.notNull())
    .addColumn('attach', 'text', (c) => c.notNull())
    .addColumn('buttons', 'text', (c) => c.notNull())
    .addColumn('answer', 'integer', (c) => c.notNull())
    .addColumn('is_read', 'integer', (c) => c.notNull())
    .addColumn('date', ctx.dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'is_read']).execute();
  await db.schema.createIndex('notifications_tag').on('notifications').columns(['tag']).execute();
  await db.schema.createIndex('notifications_sub_tag').on('notifications').columns(['sub_tag']).execute();
}
