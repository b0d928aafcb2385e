// A backend-neutral digest of every row of every table, read beside the server (a read-only SQLite connection, or
// a PostgreSQL client), so a test can prove a refused call changed nothing, on either backend.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './server.ts';

export interface DbProbe {
  /** Changes whenever the database may have changed (cheap; a dump is needed only when it moves). */
  version(): Promise<string>;
  /** A digest of every row of every table. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

class SqliteProbe implements DbProbe {
  constructor(private readonly db: Database.Database) {}

  async version(): Promise<string> {
    return String(this.db.pragma('data_version', { simple: true }));
  }

  async dump(): Promise<string> {
    const hash = crypto.createHash('sha1');
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      hash.update(`\n#${t}\n`);
      for (const row of this.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().iterate()) {
        hash.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
      }
    }
    return hash.digest('hex');
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
      const { rows } = await this.client.query(
        "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
      );
      // One round trip: each table's rows as text, in a stable order, hashed by the server.
      this.statement = `select ${rows
        .map((r) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from "${r.table_name}" x)`)
        .join(" || ':' || ")} as d`;
    }
    return (await this.client.query(this.statement)).rows[0].d;
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
