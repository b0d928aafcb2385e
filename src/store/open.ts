// Opens the configured backend and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider, type Dialect } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { SqlStore } from './sql/index.ts';
import { cachingDatabase } from './statement-cache.ts';

export interface StoreOptions {
  dbPath: string;
  databaseUrl?: string;
}

export async function openStore(opts: StoreOptions): Promise<SqlStore> {
  if (opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
    throw new Error('PostgreSQL backend is not available yet');
  }
  return openSqlite(opts.dbPath);
}

/** SQLite in WAL mode; synchronous=NORMAL survives process crashes (see docs/deploy.md on durability). */
export async function openSqlite(dbPath: string, opts: { onQuery?: (sql: string, parameters: readonly unknown[]) => void } = {}): Promise<SqlStore> {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const sqlite = new SQLite(dbPath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const onQuery = opts.onQuery;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }),
    // Tools (bench/explain.ts) watch the statements the app runs.
    log: onQuery ? (e) => onQuery(e.query.sql, e.query.parameters) : undefined,
  });
  await migrate(db, 'sqlite');
  return new SqlStore('sqlite', db);
}

export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
