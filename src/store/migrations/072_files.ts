// Files in chats (im.disk.*, disk.folder.uploadfile): folders (a chat's, a user's "Saved files"), file records and
// the content-addressed blobs they point at. A blob row counts the file records that reference it, so deleting the
// last one frees the bytes. On PostgreSQL the bytes themselves live in blob_chunks (the store every node shares).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, dialect, dateType, idType }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('folders'))
    // 'chat' (one per chat) or 'saved' (one per user: im.disk.file.save copies land there).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('folders_owner').on('folders').columns(['kind', 'chat_id', 'user_id']).unique().execute();

  await db.schema
    .createTable('blobs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('refs', 'integer', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('files'))
    .addColumn('folder_id', 'integer', (c) => c.notNull())
    // The folder's chat (0 in a user's own folder): who may see the file follows from it.
    .addColumn('chat_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('extension', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('height', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('author_id', 'integer', (c) => c.notNull())
    // The message that carries it (0 until im.disk.file.commit); AS_FILE shows an image as a plain file.
    .addColumn('message_id', idType, (c) => c.notNull().defaultTo(0))
    .addColumn('as_file', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_create', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_folder').on('files').columns(['folder_id', 'id']).execute();
  await db.schema.createIndex('files_message').on('files').columns(['message_id']).execute();
  await db.schema.createIndex('files_blob').on('files').columns(['blob_key']).execute();

  if (dialect === 'postgres') {
    // Bytes of the shared store: a blob is its chunks in seq order. An upload writes under a staging key
    // ('tmp:...', listed in blob_staging with its start) and is renamed to the content hash when it commits.
    await db.schema
      .createTable('blob_chunks')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data', 'bytea', (c) => c.notNull())
      .addPrimaryKeyConstraint('blob_chunks_pk', ['key', 'seq'])
      .execute();
    await db.schema
      .createTable('blob_staging')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('date_create', dateType, (c) => c.notNull())
      .execute();
  }
}
