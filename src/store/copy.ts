// Copies a whole SQLite database into an empty PostgreSQL one (b24im migrate-to-postgres): every table the
// migrations made, rows with their ids, then each identity sequence moved past the highest id ever used.
import { sql, type Kysely } from 'kysely';
import { openPostgres, openSqlite } from './open.ts';

export interface CopyReport {
  /** Rows copied per table, in copy order. */
  tables: { name: string; rows: number }[];
}

const INTERNAL = new Set(['kysely_migration', 'kysely_migration_lock']);
/** Kept by triggers (migration 081) as the copied rows arrive: copying them too would collide. */
const DERIVED = new Set(['recent_user_versions', 'recent_chat_versions']);
/** PostgreSQL takes at most 65535 parameters per statement. */
const MAX_PARAMS = 60_000;
const READ_BATCH = 2_000;

type AnyDb = Kysely<any>;

async function sqliteTables(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  // Full-text indexes (virtual tables and their shadow tables) are SQLite's own: PostgreSQL indexes the copied rows.
  const virtual = rows.filter((r) => /^create virtual table/i.test(r.sql ?? '')).map((r) => r.name);
  const isIndex = (name: string) => virtual.some((v) => name === v || name.startsWith(`${v}_`));
  return rows.map((r) => r.name).filter((n) => !INTERNAL.has(n) && !DERIVED.has(n) && !isIndex(n));
}

async function sqliteColumns(db: AnyDb, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) order by cid`.execute(db);
  return rows.map((r) => r.name);
}

/** Tables ordered so that every table comes after the tables its foreign keys point at. */
async function dependencyOrder(db: AnyDb, tables: string[]): Promise<string[]> {
  const deps = new Map<string, Set<string>>();
  for (const t of tables) {
    const { rows } = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${t})`.execute(db);
    deps.set(t, new Set(rows.map((r) => r.table).filter((d) => d !== t && tables.includes(d))));
  }
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...deps.get(t)!].every((d) => done.has(d)));
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among: ${tables.filter((t) => !done.has(t)).join(', ')}`);
    for (const t of ready) {
      out.push(t);
      done.add(t);
    }
  }
  return out;
}

async function postgresColumns(db: AnyDb, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.map((r) => r.column_name);
}

/** SQLite's AUTOINCREMENT high-water marks: ids handed out once are never reused, even after deletes. */
async function sqliteSequences(db: AnyDb): Promise<Map<string, number>> {
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(db);
  if (!Number(exists.rows[0].n)) return new Map();
  const { rows } = await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(db);
  return new Map(rows.map((r) => [r.name, Number(r.seq)]));
}

/**
 * Copies sqlitePath into the PostgreSQL database at url, which must hold no rows yet (both are migrated to the
 * current schema first). One PostgreSQL transaction: on any error nothing is kept. Stop the servers first.
 */
export async function copySqliteToPostgres(sqlitePath: string, url: string, onTable?: (name: string, rows: number) => void): Promise<CopyReport> {
  const source = await openSqlite(sqlitePath);
  try {
    const target = await openPostgres(url, { poolSize: 2 });
    try {
      const src = source.kysely as AnyDb;
      const tables = await dependencyOrder(src, await sqliteTables(src));
      const sequences = await sqliteSequences(src);
      const report: CopyReport = { tables: [] };
      // One read transaction on the source: a consistent snapshot even if something still writes to it.
      await src.transaction().execute(async (from) => {
        await (target.kysely as AnyDb).transaction().execute(async (to) => {
          const users = await sql<{ n: number }>`select count(*) as n from users`.execute(to);
          if (Number(users.rows[0].n) > 0) throw new Error('The PostgreSQL database is not empty (it has users): copy into a new database');
          // Rows a migration may have seeded are replaced by the source's.
          for (const table of [...tables].reverse()) await sql`delete from ${sql.table(table)}`.execute(to);
          for (const table of tables) {
            const columns = await sqliteColumns(from, table);
            const targetColumns = new Set(await postgresColumns(to, table));
            const missing = columns.filter((c) => !targetColumns.has(c));
            if (targetColumns.size === 0) throw new Error(`Table ${table} does not exist in the PostgreSQL database`);
            else if (missing.length) throw new Error(`Table ${table}: PostgreSQL lacks column(s) ${missing.join(', ')}`);
            const chunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
            let copied = 0;
            let lastRowid = -Infinity;
            for (;;) {
              const { rows } = await sql<Record<string, unknown>>`
                select rowid as ${sql.ref('__rowid')}, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}
                where rowid > ${lastRowid === -Infinity ? -9007199254740991 : lastRowid} order by rowid limit ${READ_BATCH}`.execute(from);
              if (rows.length === 0) break;
              lastRowid = Number(rows[rows.length - 1].__rowid);
              const values = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
              for (let i = 0; i < values.length; i += chunk) {
                await to.insertInto(table).values(values.slice(i, i + chunk)).execute();
              }
              copied += rows.length;
            }
            // Identity columns: the next id continues after the highest one SQLite ever handed out.
            if (columns.includes('id')) {
              const seq = await sql<{ s: string | null }>`select pg_get_serial_sequence(${table}, 'id') as s`.execute(to);
              const name = seq.rows[0]?.s;
              if (name) {
                const max = await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(to);
                const next = Math.max(Number(max.rows[0].m ?? 0), sequences.get(table) ?? 0);
                if (next > 0) await sql`select setval(${name}, ${next}, true)`.execute(to);
              }
            }
            report.tables.push({ name: table, rows: copied });
            onTable?.(table, copied);
          }
        });
      });
      return report;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
