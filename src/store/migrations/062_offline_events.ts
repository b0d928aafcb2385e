// Offline events (event.bind with event_type=offline): the application fetches them with event.offline.get instead
// of receiving a POST. A binding is an event_handlers row with offline = 1 (and no URL); each event is a row of
// event_offline until the application clears it.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  await db.schema.alterTable('event_handlers').addColumn('offline', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await idColumn(db.schema.createTable('event_offline'))
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('additional', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    // '' while free; the process_id of the event.offline.get (clear=0) that reserved it.
    .addColumn('process_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('error', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_offline_app').on('event_offline').columns(['app_id', 'process_id', 'id']).execute();
}
