// better-sqlite3 under Kysely, tuned for the hot paths:
// - Kysely prepares a statement on every query; the same few SQL texts repeat, so prepared statements are kept
//   (LRU) and reused. Kysely runs each statement to completion (all/run) under its connection lock, never
//   interleaving two uses of one statement, which makes reuse safe.
// - better-sqlite3 builds each result row object in C++ key by key, which dominates wide reads (a recent list
//   row has 43 columns); fetching rows as arrays and building the objects here is about twice as fast.
import type { Database as SqliteDb, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

function wrap(stmt: Statement): SqliteStatement {
  if (!stmt.reader) return stmt as unknown as SqliteStatement;
  let names: string[] | undefined;
  return {
    reader: true,
    all(parameters: ReadonlyArray<unknown>): unknown[] {
      names ??= stmt.columns().map((c) => c.name);
      const rows = stmt.raw(true).all(...(parameters as unknown[])) as unknown[][];
      stmt.raw(false);
      // A schema change under a cached `select *` changes its columns: read the names again.
      if (rows.length && rows[0].length !== names.length) names = stmt.columns().map((c) => c.name);
      const out = new Array<Record<string, unknown>>(rows.length);
      const keys = names;
      const n = keys.length;
      for (let r = 0; r < rows.length; r++) {
        const values = rows[r];
        const row: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) row[keys[i]] = values[i];
        out[r] = row;
      }
      return out;
    },
    run: (parameters) => stmt.run(...(parameters as unknown[])),
    iterate: (parameters) => stmt.iterate(...(parameters as unknown[])) as IterableIterator<unknown>,
  };
}

export function cachingDatabase(db: SqliteDb, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Most recently used goes last; the first key is the one to evict.
        cache.delete(sql);
      } else {
        stmt = wrap(db.prepare(sql));
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
