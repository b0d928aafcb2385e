// Bots 2.0 (imbot.v2): the same bots table serves both APIs, with what a 2.0 bot adds (its API version, how it
// takes its events, its profile flags); and the durable fetch queues of `eventMode: "fetch"` bots and of users
// subscribed with im.v2.Event.subscribe. A queue row's event_id comes from one sequence row that each enqueuing
// transaction locks until its commit, so event ids become visible in id order on every backend (an offset never
// skips a row that commits late).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, idType, dateType }: MigrationContext): Promise<void> {
  await db.schema.alterTable('bots').addColumn('api_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('bots').addColumn('v2_type', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('bots').addColumn('event_mode', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('bots').addColumn('webhook_url', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('bots').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('bots').addColumn('reactions', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('bots').addColumn('background_id', 'text').execute();
  await db.schema.alterTable('bots').addColumn('count_message', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // Streams: kind 'bot' (a fetch-mode bot) or 'user' (im.v2.Event.subscribe); dropped counts events removed at the cap.
  await db.schema
    .createTable('fetch_streams')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('fetch_streams_pk', ['kind', 'owner_id'])
    .execute();
  await idColumn(db.schema.createTable('fetch_events'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('event_id', idType, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fetch_events_stream').on('fetch_events').columns(['kind', 'owner_id', 'event_id']).unique().execute();
  await db.schema
    .createTable('fetch_sequence')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', idType, (c) => c.notNull())
    .execute();
  await db.insertInto('fetch_sequence').values({ name: 'events', value: 0 }).execute();
}
