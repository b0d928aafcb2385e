// Folders, file records, blob reference counts and (PostgreSQL) blob chunks.
import { sql, type Kysely } from 'kysely';
import type { Database, FilePatch, FileRow, FolderRow, NewFile } from '../schema.ts';
import type { FileRepo, FileUsage } from '../store.ts';

export class SqlFileRepo implements FileRepo {
  constructor(private readonly db: Kysely<Database>) {}

  folder(id: number): Promise<FolderRow | undefined> {
    return this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  folderOf(kind: 'chat' | 'saved', chatId: number, userId: number): Promise<FolderRow | undefined> {
    return this.db
      .selectFrom('folders')
      .selectAll()
      .where('kind', '=', kind)
      .where('chat_id', '=', chatId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async ensureFolder(kind: 'chat' | 'saved', chatId: number, userId: number, name: string, now: number): Promise<FolderRow> {
    const found = await this.folderOf(kind, chatId, userId);
    if (found) return found;
    await this.db
      .insertInto('folders')
      .values({ kind, chat_id: chatId, user_id: userId, name, date_create: now })
      .onConflict((oc) => oc.columns(['kind', 'chat_id', 'user_id']).doNothing())
      .execute();
    return (await this.folderOf(kind, chatId, userId))!;
  }

  insert(file: NewFile): Promise<FileRow> {
    return this.db.insertInto('files').values(file).returningAll().executeTakeFirstOrThrow();
  }

  get(id: number): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getMany(ids: readonly number[]): Promise<FileRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('files').selectAll().where('id', 'in', [...ids]).orderBy('id').execute();
  }

  async ofMessages(messageIds: readonly number[]): Promise<FileRow[]> {
    const ids = messageIds.filter((id) => id > 0);
    if (ids.length === 0) return [];
    return this.db.selectFrom('files').selectAll().where('message_id', 'in', ids).orderBy('id').execute();
  }

  async namesIn(folderId: number): Promise<string[]> {
    return (await this.db.selectFrom('files').select('name').where('folder_id', '=', folderId).execute()).map((r) => r.name);
  }

  async update(id: number, patch: FilePatch): Promise<void> {
    await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('files').where('id', '=', id).execute();
  }

  async addBlobRef(key: string, size: number, now: number): Promise<void> {
    await this.db
      .insertInto('blobs')
      .values({ key, size, refs: 1, date_create: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ refs: sql`blobs.refs + 1` }))
      .execute();
  }

  async releaseBlob(key: string): Promise<number> {
    const row = await this.db
      .updateTable('blobs')
      .set({ refs: sql`case when refs > 0 then refs - 1 else 0 end` })
      .where('key', '=', key)
      .returning('refs')
      .executeTakeFirst();
    return Number(row?.refs ?? 0);
  }

  async unreferencedBlobs(limit: number): Promise<string[]> {
    return (await this.db.selectFrom('blobs').select('key').where('refs', '<=', 0).orderBy('key').limit(limit).execute()).map((r) => r.key);
  }

  async deleteBlob(key: string): Promise<void> {
    await this.db.deleteFrom('blobs').where('key', '=', key).execute();
  }

  async blob(key: string) {
    const row = await this.db.selectFrom('blobs').select(['key', 'size', 'refs']).where('key', '=', key).executeTakeFirst();
    return row ? { key: row.key, size: Number(row.size), refs: Number(row.refs) } : undefined;
  }

  async usage(): Promise<FileUsage> {
    const f = await this.db
      .selectFrom('files')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('bytes')])
      .executeTakeFirstOrThrow();
    const b = await this.db
      .selectFrom('blobs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('bytes')])
      .executeTakeFirstOrThrow();
    return { files: Number(f.n), fileBytes: Number(f.bytes), blobs: Number(b.n), blobBytes: Number(b.bytes) };
  }

  async blobKeys(): Promise<string[]> {
    return (await this.db.selectFrom('blobs').select('key').execute()).map((r) => r.key);
  }

  async chunkWrite(key: string, seq: number, data: Buffer): Promise<void> {
    await this.db.insertInto('blob_chunks').values({ key, seq, data }).execute();
  }

  chunkRead(key: string, fromSeq: number, toSeq: number): Promise<{ seq: number; data: Buffer }[]> {
    return this.db
      .selectFrom('blob_chunks')
      .select(['seq', 'data'])
      .where('key', '=', key)
      .where('seq', '>=', fromSeq)
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .execute();
  }

  async chunkCount(key: string): Promise<number> {
    const row = await this.db.selectFrom('blob_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('key', '=', key).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async chunkRename(from: string, to: string): Promise<void> {
    await this.db.updateTable('blob_chunks').set({ key: to }).where('key', '=', from).execute();
  }

  async chunkDelete(key: string): Promise<void> {
    await this.db.deleteFrom('blob_chunks').where('key', '=', key).execute();
  }

  async stagingAdd(key: string, now: number): Promise<void> {
    await this.db.insertInto('blob_staging').values({ key, date_create: now }).execute();
  }

  async stagingRemove(key: string): Promise<void> {
    await this.db.deleteFrom('blob_staging').where('key', '=', key).execute();
  }

  async stagingOlderThan(date: number): Promise<string[]> {
    return (await this.db.selectFrom('blob_staging').select('key').where('date_create', '<', date).execute()).map((r) => r.key);
  }
}
