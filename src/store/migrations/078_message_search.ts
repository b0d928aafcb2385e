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
  // Contentless, with the chat as a second column: a search matches the chat's token with the words, so FTS5 walks
  // one chat's postings instead of every message holding a common word.
  await sql`create virtual table messages_fts using fts5(text, chat, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  await sql`insert into messages_fts(rowid, text, chat) select id, text, 'c' || chat_id from messages`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts(rowid, text, chat) values (new.id, new.text, 'c' || new.chat_id);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin
    delete from messages_fts where rowid = old.id;
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of text on messages begin
    delete from messages_fts where rowid = old.id;
    insert into messages_fts(rowid, text, chat) values (new.id, new.text, 'c' || new.chat_id);
  end`.execute(db);
}
