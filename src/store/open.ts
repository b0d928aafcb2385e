// Opens the configured backend and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, sql, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type SqliteDialectConfig } from 'kysely';
import { migrationProvider, type Dialect } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { advisoryLockKey, UNICODE_LOWER } from './sql/dialect.ts';
import { SqlStore } from './sql/index.ts';
import { cachingDatabase } from './statement-cache.ts';

export interface StoreOptions {
  dbPath: string;
  databaseUrl?: string;
  /** Largest number of PostgreSQL connections this process opens (default 10). */
  poolSize?: number;
}

/** True for postgres:// and postgresql:// URLs: they select the PostgreSQL backend. */
export function isPostgresUrl(value: string | undefined): value is string {
  return !!value && /^postgres(ql)?:\/\//i.test(value);
}

/** PostgreSQL when a postgres:// URL is given (databaseUrl, or dbPath itself), SQLite otherwise. */
export async function openStore(opts: StoreOptions): Promise<SqlStore> {
  const url = isPostgresUrl(opts.databaseUrl) ? opts.databaseUrl : isPostgresUrl(opts.dbPath) ? opts.dbPath : undefined;
  if (opts.databaseUrl && !url) throw new Error('B24IM_DATABASE_URL must start with postgres:// or postgresql://');
  return url ? openPostgres(url, { poolSize: opts.poolSize }) : openSqlite(opts.dbPath);
}

/** One argument for scripts (bench, migration): a postgres:// URL or an SQLite file path. */
export function openStoreAt(target: string): Promise<SqlStore> {
  return openStore({ dbPath: target });
}

/** SQLite in WAL mode; synchronous=NORMAL survives process crashes (see docs/deploy.md on durability). */
export async function openSqlite(dbPath: string, opts: { onQuery?: (sql: string, parameters: readonly unknown[]) => void } = {}): Promise<SqlStore> {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const sqlite = new SQLite(dbPath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's lower() folds ASCII only; text search (likeLowerCi) needs Cyrillic and other letters folded as
  // PostgreSQL's lower() folds them.
  sqlite.function(UNICODE_LOWER, { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
  const onQuery = opts.onQuery;
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }),
    // Tools (bench/explain.ts) watch the statements the app runs.
    log: onQuery ? (e) => onQuery(e.query.sql, e.query.parameters) : undefined,
  });
  await migrate(db, 'sqlite');
  return new SqlStore('sqlite', db);
}

// Transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never has to
// upgrade a stale read snapshot (SQLITE_BUSY_SNAPSHOT) when another process (the CLI, a second server on the
// same file) wrote in between; it waits up to busy_timeout instead. Within one process Kysely's single
// connection already runs transactions one after another.
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// SQLite DDL is transactional: the Migrator then runs all pending migrations in one BEGIN IMMEDIATE transaction,
// which is also the lock that keeps two processes opening a new file at once from migrating it twice, and a
// failed migration leaves nothing behind.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

// Every column is integer, bigint or text: int8 (bigint dates and ids, count(*), sum(int)) and numeric
// (sum(bigint), avg) come back as JS numbers like SQLite's integers. Values stay far below 2^53.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
function pgTypes(pg: typeof import('pg').default): import('pg').CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (v: string) => (v === null ? null : Number(v));
      return pg.types.getTypeParser(oid, format as 'text');
    },
  } as import('pg').CustomTypesConfig;
}

/**
 * PostgreSQL through a pg pool. Store transactions run SERIALIZABLE and are retried on serialization
 * failures (see SqlStore.transaction and docs/deploy.md), so they behave like SQLite's serialized ones.
 */
export async function openPostgres(url: string, opts: { poolSize?: number } = {}): Promise<SqlStore> {
  // Imported here: a deployment on SQLite (and every CLI start) never loads the PostgreSQL driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    types: pgTypes(pg),
    application_name: 'b24im',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection error: ${err.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db, 'postgres');
    await widenIntegers(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const store = new SqlStore('postgres', db);
  store.poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 });
  return store;
}

/**
 * SQLite integers are 64-bit; PostgreSQL's `integer` is 32-bit, and comparing an int4 column with a larger
 * parameter (an id a client made up) is an error there instead of "not found". So after the migrations every
 * `integer` column becomes `bigint`: one rewrite per table, done by the first node that finds one.
 */
async function widenIntegers(db: Kysely<Database>): Promise<void> {
  const narrow = sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'integer' and table_name not like 'kysely\_%'
    order by table_name, ordinal_position`;
  if ((await narrow.execute(db)).rows.length === 0) return;
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${advisoryLockKey('b24im:widen-integers')}::bigint)`.execute(tx);
    const byTable = new Map<string, string[]>();
    for (const r of (await narrow.execute(tx)).rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
    for (const [table, columns] of byTable) {
      const changes = columns.map((c) => sql`alter column ${sql.ref(c)} type bigint`);
      await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(tx);
    }
  });
}

export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  // Number ranges belong to features that land in any order (bots 020-029 after open lines 040): a database that
  // already ran a higher number still gets a lower one added later.
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
