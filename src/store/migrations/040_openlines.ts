// Open lines: lines with their operator queues, custom connectors, external customers and sessions.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dateType }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('ol_lines'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('queue_type', 'text', (c) => c.notNull().defaultTo('evenly'))
    .addColumn('welcome_message', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('welcome_message_text', 'text', (c) => c.notNull().defaultTo(''))
    // Every other PARAMS field, as the client gave it (JSON object).
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    // The queue as configured: [{ENTITY_TYPE, ENTITY_ID}] (users and departments).
    .addColumn('config_queue', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('author_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('modify_user_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_modify', dateType, (c) => c.notNull())
    .execute();

  // The operators of a line in queue order (departments expanded when the line is saved).
  await idColumn(db.schema.createTable('ol_queue'))
    .addColumn('line_id', 'integer', (c) => c.notNull().references('ol_lines.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('department_id', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ol_queue_line').on('ol_queue').columns(['line_id', 'sort']).execute();

  await db.schema
    .createTable('ol_connectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('icon', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('icon_disabled', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('placement_handler', 'text', (c) => c.notNull().defaultTo(''))
    // DEL_EXTERNAL_MESSAGES, CHAT_GROUP, ... as given (JSON object).
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ol_connector_lines')
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_update', dateType, (c) => c.notNull())
    .addPrimaryKeyConstraint('ol_connector_lines_pk', ['connector_id', 'line_id'])
    .execute();

  // An external customer of a connector is one portal user (connector=1), whatever line they write to.
  await db.schema
    .createTable('ol_customers')
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('ol_customers_pk', ['connector_id', 'external_id'])
    .execute();

  await idColumn(db.schema.createTable('ol_sessions'))
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id'))
    .addColumn('line_id', 'integer', (c) => c.notNull())
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('user_code', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('operator_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_operator', dateType)
    .addColumn('date_modify', dateType, (c) => c.notNull())
    .addColumn('date_close', dateType)
    .execute();
  await db.schema.createIndex('ol_sessions_chat').on('ol_sessions').columns(['chat_id', 'id']).execute();
  await db.schema.createIndex('ol_sessions_line').on('ol_sessions').columns(['line_id', 'status', 'operator_id']).execute();
}
