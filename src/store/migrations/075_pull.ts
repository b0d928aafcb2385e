// Push & Pull: the users' channels (what a pull client connects with) and the durable log of published messages
// (what a reconnecting client replays from its last message id, within the retention window).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('pull_channels'))
    // 0 for the portal-wide shared channel and an application's shared channel.
    .addColumn('user_id', 'integer', (c) => c.notNull())
    // 'private', 'shared', or an application's client_id (pull.application.config.get).
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_id', 'text', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_expire', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pull_channels_owner').on('pull_channels').columns(['user_id', 'type', 'date_expire']).execute();
  await idColumn(db.schema.createTable('pull_messages'))
    // The channel type the message goes to ('private' or an application's client_id).
    .addColumn('channel_type', 'text', (c) => c.notNull())
    // ',1,2,3,': the receiving users (0 = the type's shared channel: everybody connected with that type).
    .addColumn('user_ids', 'text', (c) => c.notNull())
    // {module_id, command, params, extra} as JSON, the same for every receiver ...
    .addColumn('body', 'text', (c) => c.notNull())
    // ... and {"<userId>": {params merged over body.params}} for what differs per receiver (counter, dialogId).
    .addColumn('user_params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_expire', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pull_messages_expire').on('pull_messages').columns(['date_expire']).execute();
}
