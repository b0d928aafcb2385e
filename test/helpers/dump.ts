// A backend-neutral digest of every row of every table, read beside the server (a read-only SQLite connection, or
// a PostgreSQL client), so a test can prove a refused call changed nothing, on either backend.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './server.ts';

/**
 * Columns a background worker moves after the call that made the row has answered (the change-log dispatcher marks
 * a row processed just after its commit): not part of "what a call stored".
 */
const BACKGROUND_COLUMNS: Record<string, string[]> = { change_log: ['pending', 'error'] };
/**
 * Tables the change-log dispatcher fills after the call has answered (Push & Pull messages made from a committed
 * change), and derived indexes and versions (the recent-list versions the triggers of migration 081 keep): not part
 * of "what a call stored" either.
 */
const BACKGROUND_TABLES = (t: string) => t === 'pull_messages' || t.startsWith('messages_fts') || t === 'recent_user_versions' || t === 'recent_chat_versions';

export interface DbProbe {
  /** Changes whenever the database may have changed (cheap; a dump is needed only when it moves). */
  version(): Promise<string>;
  /** A digest of every row of every table, table by table ("name:hash ..."), so a difference names its table. */
  dump(): Promise<string>;
  /** 'ok' when the database is sound: SQLite's integrity and foreign-key checks; on PostgreSQL, which checks
   * constraints on every write, the constraints are re-validated and every table read through. */
  integrity(): Promise<string>;
  /**
   * Counted from the stored rows, not by the server: messages of a chat after the member's read position that the
   * member did not write (deleted ones excluded), the definition of a counter (decision 10).
   */
  unread(chatId: number, userId: number): Promise<number>;
  close(): Promise<void>;
}

const UNREAD_SQL = (chat: string, user: string) => `
  select count(*) as n from messages m join members r on r.chat_id = m.chat_id and r.user_id = ${user}
  where m.chat_id = ${chat} and m.seq > r.read_seq and m.author_id <> ${user} and m.deleted = 0`;

class SqliteProbe implements DbProbe {
  constructor(private readonly db: Database.Database) {}

  async version(): Promise<string> {
    return String(this.db.pragma('data_version', { simple: true }));
  }

  async dump(): Promise<string> {
    // The full-text index (messages_fts and its shadow tables) is derived from messages: not part of the state.
    const tables = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).filter((t) => !BACKGROUND_TABLES(t));
    return tables
      .map((t) => {
        const hash = crypto.createHash('md5');
        const skip = BACKGROUND_COLUMNS[t] ?? [];
        const cols = (this.db.pragma(`table_info("${t}")`) as { name: string }[]).map((c) => c.name).filter((c) => !skip.includes(c));
        for (const row of this.db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t}" ORDER BY rowid`).raw().iterate()) {
          hash.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
        }
        return `${t}:${hash.digest('hex').slice(0, 12)}`;
      })
      .join(' ');
  }

  async unread(chatId: number, userId: number): Promise<number> {
    return Number((this.db.prepare(UNREAD_SQL('@chat', '@user')).get({ chat: chatId, user: userId }) as { n: number }).n);
  }

  async integrity(): Promise<string> {
    const result = String(this.db.pragma('integrity_check', { simple: true }));
    const orphans = this.db.pragma('foreign_key_check') as unknown[];
    if (orphans.length) return `foreign_key_check: ${JSON.stringify(orphans.slice(0, 3))}`;
    const mode = this.db.pragma('journal_mode', { simple: true });
    return mode === 'wal' ? result : `journal_mode ${String(mode)}`;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

class PostgresProbe implements DbProbe {
  private statement?: string;

  constructor(private readonly client: pg.Client) {}

  async version(): Promise<string> {
    // The WAL position moves with every write of the cluster (other databases too: that only costs extra dumps).
    return (await this.client.query('select pg_current_wal_insert_lsn()::text as v')).rows[0].v;
  }

  async dump(): Promise<string> {
    if (!this.statement) {
      const { rows } = await this.client.query(`
        select c.table_name as t, array_agg(c.column_name::text order by c.ordinal_position) as cols
        from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE' group by c.table_name order by c.table_name`);
      // One round trip: each table's rows as text, in a stable order, hashed by the server.
      this.statement = `select ${rows
        .filter((r) => !BACKGROUND_TABLES(r.t))
        .map((r) => {
          const cols = (r.cols as string[]).filter((c) => !(BACKGROUND_COLUMNS[r.t] ?? []).includes(c)).map((c) => `"${c}"`).join(', ');
          return `'${r.t}:' || (select left(md5(coalesce(string_agg(x::text, '|' order by x::text), '')), 12) from (select ${cols} from "${r.t}") x)`;
        })
        .join(" || ' ' || ")} as d`;
    }
    return (await this.client.query(this.statement)).rows[0].d;
  }

  async unread(chatId: number, userId: number): Promise<number> {
    return Number((await this.client.query(UNREAD_SQL('$1', '$2'), [chatId, userId])).rows[0].n);
  }

  async integrity(): Promise<string> {
    // PostgreSQL's own foreign_key_check: rows whose key names no row of the referenced table (PostgreSQL enforces
    // keys on write; this catches a key dropped or a write that went around it), then every table read through.
    const { rows } = await this.client.query(`
      select c.conname, c.conrelid::regclass::text as t, c.confrelid::regclass::text as ft,
        (select array_agg(a.attname::text order by k.i) from unnest(c.conkey) with ordinality k(n, i)
           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as cols,
        (select array_agg(a.attname::text order by k.i) from unnest(c.confkey) with ordinality k(n, i)
           join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n) as fcols
      from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
    for (const r of rows) {
      const notNull = r.cols.map((c: string) => `x."${c}" is not null`).join(' and ');
      const match = r.cols.map((c: string, i: number) => `y."${r.fcols[i]}" = x."${c}"`).join(' and ');
      const orphans = await this.client.query(`select count(*)::int as n from ${r.t} x where ${notNull} and not exists (select 1 from ${r.ft} y where ${match})`);
      if (orphans.rows[0].n > 0) return `${r.conname}: ${orphans.rows[0].n} orphan row(s) in ${r.t}`;
    }
    await this.dump();
    return 'ok';
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

export async function openProbe(srv: TestServer): Promise<DbProbe> {
  if (srv.databaseUrl) {
    const client = new pg.Client({ connectionString: srv.databaseUrl });
    await client.connect();
    return new PostgresProbe(client);
  }
  return new SqliteProbe(new Database(srv.dbPath, { readonly: true, fileMustExist: true }));
}
