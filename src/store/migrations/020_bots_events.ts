// Chat bots, applications' event handlers, and the event outbox with its delivery log.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  // A bot is a user (users.bot = 1) owned by the application that registered it; id = the user's id.
  await db.schema
    .createTable('bots')
    .addColumn('id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('B'))
    .addColumn('openline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bots_app').on('bots').column('app_id').execute();

  // event.bind rows, and the handlers imbot.register binds for an application (as a portal stores both).
  await idColumn(db.schema.createTable('event_handlers'))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('handler', 'text', (c) => c.notNull())
    .addColumn('auth_type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_handlers_app_event').on('event_handlers').columns(['app_id', 'event']).execute();

  // The outbox: one row per (event, handler URL), written in the transaction that caused the event.
  // Tokens are minted at delivery time, so no secret is stored here.
  await idColumn(db.schema.createTable('event_outbox'))
    .addColumn('app_id', 'integer')
    .addColumn('handler_id', 'integer')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('handler_url', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('auth_user_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bots', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', dateType, (c) => c.notNull())
    .addColumn('locked_until', dateType)
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_done', dateType)
    .execute();
  await db.schema.createIndex('event_outbox_due').on('event_outbox').columns(['status', 'next_attempt_at']).execute();

  // One row per delivery attempt.
  await idColumn(db.schema.createTable('event_log'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('app_id', 'integer')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('handler_url', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('date', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_log_outbox').on('event_log').column('outbox_id').execute();
}
