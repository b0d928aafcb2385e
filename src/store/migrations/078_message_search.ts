// Full-text search over message text (im.dialog.messages.search): an FTS5 index kept by triggers on SQLite, a GIN
// index over to_tsvector('simple', text) on PostgreSQL. Both fold case and split words on letters and digits, and
// neither strips accents, so a query finds the same messages on either backend.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    await sql`create index messages_text_search on messages using gin (to_tsvector('simple', text))`.execute(db);
    return;
  }
  await sql`create virtual table messages_fts using fts5(text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`.execute(db);
  await sql`insert into messages_fts(messages_fts) values ('rebuild')`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts(rowid, text) values (new.id, new.text);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts(messages_fts, rowid, text) values ('delete', old.id, old.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of text on messages begin
    insert into messages_fts(messages_fts, rowid, text) values ('delete', old.id, old.text);
    insert into messages_fts(rowid, text) values (new.id, new.text);
  end`.execute(db);
}
