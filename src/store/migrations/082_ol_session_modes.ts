// Open-line sessions: pin and silent modes, the head's rating, the session's message range; quick answers.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<any>, { idColumn, idType, dateType }: MigrationContext): Promise<void> {
  // New columns of ol_sessions are covered by migration 081's row triggers (any update bumps the chat's members).
  await db.schema.alterTable('ol_sessions').addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ol_sessions').addColumn('silent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ol_sessions').addColumn('vote_head', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ol_sessions').addColumn('comment_head', 'text').execute();
  // The session's messages are the chat's with start_seq < seq <= end_seq (end_seq 0 while open).
  await db.schema.alterTable('ol_sessions').addColumn('start_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ol_sessions').addColumn('end_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Sessions from before: their range by dates (a message posted in the second a session began or closed may fall
  // on either side).
  await sql`update ol_sessions set start_seq = coalesce((select max(m.seq) from messages m where m.chat_id = ol_sessions.chat_id and m.date < ol_sessions.date_create), 0)`.execute(db);
  await sql`update ol_sessions set end_seq = coalesce((select max(m.seq) from messages m where m.chat_id = ol_sessions.chat_id and m.date <= ol_sessions.date_close), 0) where date_close is not null`.execute(db);

  // imopenlines.message.quick.save: a line's quick answers (a portal keeps them in a list per line).
  await idColumn(db.schema.createTable('ol_quick_answers'))
    .addColumn('line_id', 'integer', (c) => c.notNull())
    .addColumn('message_id', idType, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.notNull())
    .addColumn('date_create', dateType, (c) => c.notNull())
    .addColumn('date_modify', dateType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ol_quick_answers_message').on('ol_quick_answers').columns(['line_id', 'message_id']).execute();
  await db.schema.createIndex('ol_sessions_operator').on('ol_sessions').columns(['operator_id', 'status']).execute();
}
