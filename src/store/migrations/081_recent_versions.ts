// Versions of what an im.recent.get answer is made of, bumped by triggers in the transaction of every write, so a
// cached answer (src/app/recent-cache.ts) is checked against the database at read time: exact across processes and
// nodes, and no write path (CLI, another node, a future method) can forget a bump.
//
//   recent_user_versions(user_id)  one row per user whose list changed: any change of one of their members rows, and
//                                  any change of a small chat they belong to (fan-out, as posting already does);
//                                  user_id 0 is the portal-wide version of user profiles (peers, authors and mentioned
//                                  users are shown in every list).
//   recent_chat_versions(chat_id)  large chats (over B24IM_FANOUT_LIMIT members): a change bumps the chat only; a
//                                  reader sums the versions of their own few large chats.
//
// A chat changes when its row changes, when a message's shown fields change (the last message's text, files, date,
// author or delivered status; a deletion anywhere: counters), or when its open-line session changes. A message
// insert needs no trigger: its seq is taken from chats.last_seq in the same transaction, which bumps the chat.
// Rows are upserted (the first bump makes them), so nothing needs to be populated here or on user creation.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

/** Message columns the recent list shows (last message) or counts with (counters). */
const MESSAGE_COLUMNS = ['text', 'has_file', 'has_attach', 'author_id', 'date', 'notify_read', 'uuid', 'deleted', 'seq', 'chat_id'];

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const id = ctx.idType;
  await db.schema.createTable('recent_user_versions').addColumn('user_id', id, (c) => c.primaryKey()).addColumn('version', 'bigint', (c) => c.notNull()).execute();
  await db.schema.createTable('recent_chat_versions').addColumn('chat_id', id, (c) => c.primaryKey()).addColumn('version', 'bigint', (c) => c.notNull()).execute();
  if (ctx.dialect === 'postgres') await postgres(db);
  else await sqlite(db);
}

const raw = (db: Kysely<any>, text: string) => sql.raw(text).execute(db);

async function sqlite(db: Kysely<any>): Promise<void> {
  const bumpUser = (who: string) =>
    `insert into recent_user_versions (user_id, version) values (${who}, 1) on conflict (user_id) do update set version = version + 1;`;
  // A chat by id, small (every member's list) or large (the chat's own version), whichever it is now.
  const bumpChat = (chat: string) => `
    insert into recent_user_versions (user_id, version) select user_id, 1 from members
      where chat_id = ${chat} and (select large from chats where id = ${chat}) = 0
      on conflict (user_id) do update set version = version + 1;
    insert into recent_chat_versions (chat_id, version) select id, 1 from chats where id = ${chat} and large = 1
      on conflict (chat_id) do update set version = version + 1;`;
  await raw(db, `create trigger recent_members_insert after insert on members begin ${bumpUser('new.user_id')} end`);
  await raw(db, `create trigger recent_members_update after update on members begin ${bumpUser('new.user_id')} end`);
  await raw(db, `create trigger recent_members_delete after delete on members begin ${bumpUser('old.user_id')} end`);
  // A chat's row: its members' lists while it is small, its own version while it is large (both while it flips).
  await raw(db, `create trigger recent_chats_small after update on chats when old.large = 0 or new.large = 0 begin
    insert into recent_user_versions (user_id, version) select user_id, 1 from members where chat_id = new.id
      on conflict (user_id) do update set version = version + 1;
  end`);
  await raw(db, `create trigger recent_chats_large after update on chats when old.large = 1 or new.large = 1 begin
    insert into recent_chat_versions (chat_id, version) values (new.id, 1) on conflict (chat_id) do update set version = version + 1;
  end`);
  const changed = MESSAGE_COLUMNS.map((c) => `old.${c} is not new.${c}`).join(' or ');
  // Marking a chat's older messages delivered (many rows) reaches the chat only through its last message.
  await raw(db, `create trigger recent_messages_update after update of ${MESSAGE_COLUMNS.join(', ')} on messages
    when (${changed}) and (old.deleted is not new.deleted or old.seq is not new.seq or old.author_id is not new.author_id
      or new.id = (select last_message_id from chats where id = new.chat_id))
    begin ${bumpChat('new.chat_id')} end`);
  await raw(db, `create trigger recent_messages_delete after delete on messages begin ${bumpChat('old.chat_id')} end`);
  await raw(db, `create trigger recent_sessions_insert after insert on ol_sessions begin ${bumpChat('new.chat_id')} end`);
  await raw(db, `create trigger recent_sessions_update after update on ol_sessions begin ${bumpChat('new.chat_id')} end`);
  await raw(db, `create trigger recent_sessions_delete after delete on ol_sessions begin ${bumpChat('old.chat_id')} end`);
  // Users: any change of a column (SQLite has no row comparison; the columns are those of today's table).
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info('users')`.execute(db);
  const userChanged = rows.map((r) => `old."${r.name}" is not new."${r.name}"`).join(' or ');
  await raw(db, `create trigger recent_users_insert after insert on users begin ${bumpUser('0')} end`);
  await raw(db, `create trigger recent_users_update after update on users when ${userChanged} begin ${bumpUser('0')} end`);
  await raw(db, `create trigger recent_users_delete after delete on users begin ${bumpUser('0')} end`);
}

async function postgres(db: Kysely<any>): Promise<void> {
  // Upserts in user_id order, so two transactions bumping the same users lock them in the same order.
  const bumpUsers = (from: string) => `
    insert into recent_user_versions (user_id, version) select distinct user_id, 1 from ${from} order by 1
      on conflict (user_id) do update set version = recent_user_versions.version + 1;`;
  await raw(db, `create function recent_bump_chat(c bigint) returns void language plpgsql as $$
    begin
      if (select large from chats where id = c) = 1 then
        insert into recent_chat_versions (chat_id, version) values (c, 1)
          on conflict (chat_id) do update set version = recent_chat_versions.version + 1;
      else
        insert into recent_user_versions (user_id, version) select user_id, 1 from members where chat_id = c order by 1
          on conflict (user_id) do update set version = recent_user_versions.version + 1;
      end if;
    end $$`);
  // Members: one statement-level trigger per event (transition tables), so a fan-out UPDATE costs one call.
  await raw(db, `create function recent_members_new() returns trigger language plpgsql as $$
    begin ${bumpUsers('recent_new')} return null; end $$`);
  await raw(db, `create function recent_members_old() returns trigger language plpgsql as $$
    begin ${bumpUsers('recent_old')} return null; end $$`);
  await raw(db, `create trigger recent_members_insert after insert on members referencing new table as recent_new
    for each statement execute function recent_members_new()`);
  await raw(db, `create trigger recent_members_update after update on members referencing new table as recent_new
    for each statement execute function recent_members_new()`);
  await raw(db, `create trigger recent_members_delete after delete on members referencing old table as recent_old
    for each statement execute function recent_members_old()`);
  await raw(db, `create function recent_chats_update() returns trigger language plpgsql as $$
    begin
      if old is not distinct from new then return null; end if;
      if new.large = 1 or old.large = 1 then
        insert into recent_chat_versions (chat_id, version) values (new.id, 1)
          on conflict (chat_id) do update set version = recent_chat_versions.version + 1;
      end if;
      if new.large = 0 or old.large = 0 then
        insert into recent_user_versions (user_id, version) select user_id, 1 from members where chat_id = new.id order by 1
          on conflict (user_id) do update set version = recent_user_versions.version + 1;
      end if;
      return null;
    end $$`);
  await raw(db, `create trigger recent_chats_update after update on chats for each row execute function recent_chats_update()`);
  // Messages: shown or counted columns only, and then the last message or a counted change. (No WHEN clauses on
  // PostgreSQL: a column a trigger's WHEN names cannot change type, and widenIntegers in open.ts changes them.)
  const changed = MESSAGE_COLUMNS.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
  await raw(db, `create function recent_messages_update() returns trigger language plpgsql as $$
    begin
      if not (${changed}) then return null; end if;
      if old.deleted is distinct from new.deleted or old.seq is distinct from new.seq or old.author_id is distinct from new.author_id
        or exists (select 1 from chats where id = new.chat_id and last_message_id = new.id) then
        perform recent_bump_chat(new.chat_id);
      end if;
      return null;
    end $$`);
  await raw(db, `create trigger recent_messages_update after update on messages for each row execute function recent_messages_update()`);
  await raw(db, `create function recent_row_chat() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then perform recent_bump_chat(old.chat_id); else perform recent_bump_chat(new.chat_id); end if;
      return null;
    end $$`);
  await raw(db, `create trigger recent_messages_delete after delete on messages for each row execute function recent_row_chat()`);
  await raw(db, `create trigger recent_sessions_change after insert or update or delete on ol_sessions for each row
    execute function recent_row_chat()`);
  await raw(db, `create function recent_users_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old is not distinct from new then return null; end if;
      insert into recent_user_versions (user_id, version) values (0, 1)
        on conflict (user_id) do update set version = recent_user_versions.version + 1;
      return null;
    end $$`);
  await raw(db, `create trigger recent_users_change after insert or update or delete on users for each row execute function recent_users_change()`);
}
