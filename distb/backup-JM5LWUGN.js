import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import "./chunk-AGWMCOCW.js";

// src/store/backup.ts
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
async function backupSqlite(dbPath, outPath) {
  if (!fs.existsSync(dbPath)) throw new Error(`No SQLite database at ${dbPath}`);
  if (fs.existsSync(outPath)) throw new Error(`${outPath} exists: choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const started = Date.now();
  const source = new SQLite(dbPath, { fileMustExist: true });
  const partial = `${outPath}.partial`;
  try {
    source.pragma("busy_timeout = 10000");
    const { totalPages } = await source.backup(partial, { progress: () => Number.MAX_SAFE_INTEGER });
    checkIntegrity(partial);
    fs.renameSync(partial, outPath);
    return { bytes: fs.statSync(outPath).size, pages: totalPages, ms: Date.now() - started };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
}
function restoreSqlite(backupPath, dbPath) {
  if (!fs.existsSync(backupPath)) throw new Error(`No backup at ${backupPath}`);
  checkIntegrity(backupPath);
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const incoming = `${dbPath}.restoring`;
  fs.copyFileSync(backupPath, incoming);
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${dbPath}${suffix}`, { force: true });
  fs.renameSync(incoming, dbPath);
  return { bytes: fs.statSync(dbPath).size };
}
function checkIntegrity(file) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`${file} is damaged: ${String(result)}`);
    if (!db.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get()) throw new Error(`${file} is not a b24im database`);
  } finally {
    db.close();
  }
}
export {
  backupSqlite,
  restoreSqlite
};
//# sourceMappingURL=backup-JM5LWUGN.js.map
