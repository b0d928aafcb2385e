// Initial schema: auth, users, chats, memberships (which double as recent-list rows), messages.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, idType, dateType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('portal')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('users'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('second_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('work_position', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('color', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('avatar', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('gender', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('birthday', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('extranet', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('network', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('connector', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_auth_id', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('online'))
    .addColumn('idle', dateType)
    .addColumn('last_activity_date', dateType)
    .addColumn('mobile_last_date', dateType)
    .addColumn('desktop_last_date', dateType)
    .addColumn('absent', dateType)
    .addColumn('departments', 'text', (c) => c.notNull().defaultTo('[1]'))
    .addColumn('website', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('date_register', dateType, (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('webhooks'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_user').on('webhooks').column('user_id').execute();

  await idColumn(db.schema.createTable('apps'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('client_secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('handler_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('application_token', 'text', (c) => c.notNull())
    .addColumn('installed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('tokens'))
    .addColumn('access_hash', 'text', (c) => c.notNull().unique())
    .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('app_id', 'integer', (c) => c.references('apps.id'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', dateType, (c) => c.notNull())
    .addColumn('refresh_expires_at', dateType, (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('chats'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('dialog_key', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('color', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('avatar', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('entity_type', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_data_1', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_data_2', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_data_3', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_update', dateType, (c) => c.notNull())
    .addColumn('last_message_id', idType, (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_date', dateType)
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_seq_max', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('large', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extranet', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('chats_entity').on('chats').columns(['entity_type', 'entity_id']).execute();

  await db.schema
    .createTable('members')
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('large', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('MEMBER'))
    .addColumn('date_join', dateType, (c) => c.notNull())
    .addColumn('read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('read_message_id', idType, (c) => c.notNull().defaultTo(0))
    .addColumn('last_own_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unread', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden_mid', idType, (c) => c.notNull().defaultTo(0))
    .addColumn('date_update', dateType, (c) => c.notNull())
    .addColumn('date_last_activity', dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['chat_id', 'user_id'])
    .execute();
  // The recent list: a user's small-chat rows by date_update, and their (few) large-chat rows.
  await db.schema.createIndex('members_recent').on('members').columns(['user_id', 'large', 'date_update']).execute();
  await db.schema.createIndex('members_item').on('members').columns(['user_id', 'item_type', 'item_id']).execute();

  await idColumn(db.schema.createTable('messages'))
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('system', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('has_file', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_attach', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uuid', 'text')
    .addColumn('date', dateType, (c) => c.notNull())
    .addColumn('date_edit', dateType)
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notify_read', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('messages_chat_seq').on('messages').columns(['chat_id', 'seq']).unique().execute();
  await db.schema.createIndex('messages_chat_author').on('messages').columns(['chat_id', 'author_id', 'seq']).execute();
}
