import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  openPostgres,
  openSqlite
} from "./chunk-SYHKNLY7.js";
import "./chunk-OLGWREFJ.js";
import {
  sql
} from "./chunk-QJHNPULM.js";
import "./chunk-AGWMCOCW.js";

// src/store/copy.ts
var INTERNAL = /* @__PURE__ */ new Set(["kysely_migration", "kysely_migration_lock"]);
var MAX_PARAMS = 6e4;
var READ_BATCH = 2e3;
async function sqliteTables(db) {
  const { rows } = await sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
  return rows.map((r) => r.name).filter((n) => !INTERNAL.has(n));
}
async function sqliteColumns(db, table) {
  const { rows } = await sql`select name from pragma_table_info(${table}) order by cid`.execute(db);
  return rows.map((r) => r.name);
}
async function dependencyOrder(db, tables) {
  const deps = /* @__PURE__ */ new Map();
  for (const t of tables) {
    const { rows } = await sql`select "table" from pragma_foreign_key_list(${t})`.execute(db);
    deps.set(t, new Set(rows.map((r) => r.table).filter((d) => d !== t && tables.includes(d))));
  }
  const out = [];
  const done = /* @__PURE__ */ new Set();
  while (out.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...deps.get(t)].every((d) => done.has(d)));
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among: ${tables.filter((t) => !done.has(t)).join(", ")}`);
    for (const t of ready) {
      out.push(t);
      done.add(t);
    }
  }
  return out;
}
async function postgresColumns(db, table) {
  const { rows } = await sql`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return rows.map((r) => r.column_name);
}
async function sqliteSequences(db) {
  const exists = await sql`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(db);
  if (!Number(exists.rows[0].n)) return /* @__PURE__ */ new Map();
  const { rows } = await sql`select name, seq from sqlite_sequence`.execute(db);
  return new Map(rows.map((r) => [r.name, Number(r.seq)]));
}
async function copySqliteToPostgres(sqlitePath, url, onTable) {
  const source = await openSqlite(sqlitePath);
  try {
    const target = await openPostgres(url, { poolSize: 2 });
    try {
      const src = source.kysely;
      const tables = await dependencyOrder(src, await sqliteTables(src));
      const sequences = await sqliteSequences(src);
      const report = { tables: [] };
      await src.transaction().execute(async (from) => {
        await target.kysely.transaction().execute(async (to) => {
          const users = await sql`select count(*) as n from users`.execute(to);
          if (Number(users.rows[0].n) > 0) throw new Error("The PostgreSQL database is not empty (it has users): copy into a new database");
          for (const table of [...tables].reverse()) await sql`delete from ${sql.table(table)}`.execute(to);
          for (const table of tables) {
            const columns = await sqliteColumns(from, table);
            const targetColumns = new Set(await postgresColumns(to, table));
            const missing = columns.filter((c) => !targetColumns.has(c));
            if (targetColumns.size === 0) throw new Error(`Table ${table} does not exist in the PostgreSQL database`);
            else if (missing.length) throw new Error(`Table ${table}: PostgreSQL lacks column(s) ${missing.join(", ")}`);
            const chunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
            let copied = 0;
            let lastRowid = -Infinity;
            for (; ; ) {
              const { rows } = await sql`
                select rowid as ${sql.ref("__rowid")}, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}
                where rowid > ${lastRowid === -Infinity ? -9007199254740991 : lastRowid} order by rowid limit ${READ_BATCH}`.execute(from);
              if (rows.length === 0) break;
              lastRowid = Number(rows[rows.length - 1].__rowid);
              const values = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
              for (let i = 0; i < values.length; i += chunk) {
                await to.insertInto(table).values(values.slice(i, i + chunk)).execute();
              }
              copied += rows.length;
            }
            if (columns.includes("id")) {
              const seq = await sql`select pg_get_serial_sequence(${table}, 'id') as s`.execute(to);
              const name = seq.rows[0]?.s;
              if (name) {
                const max = await sql`select max(id) as m from ${sql.table(table)}`.execute(to);
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
export {
  copySqliteToPostgres
};
//# sourceMappingURL=copy-HRTYK7EO.js.map
