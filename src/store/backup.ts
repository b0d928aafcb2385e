// Backups of an SQLite database while the server writes to it, and restoring one (PostgreSQL: pg_dump, docs/deploy.md).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export interface BackupResult {
  bytes: number;
  pages: number;
  ms: number;
}

/**
 * SQLite's online backup API: a consistent copy of the database as of one moment, taken beside a running server.
 * The copy runs as one step (one read transaction, which WAL mode lets writers run beside), because a copy made in
 * several steps starts over whenever another process writes between them, and a busy server always does.
 */
export async function backupSqlite(dbPath: string, outPath: string): Promise<BackupResult> {
  if (!fs.existsSync(dbPath)) throw new Error(`No SQLite database at ${dbPath}`);
  if (fs.existsSync(outPath)) throw new Error(`${outPath} exists: choose a new file`);
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const started = Date.now();
  const source = new SQLite(dbPath, { fileMustExist: true });
  const partial = `${outPath}.partial`;
  try {
    source.pragma('busy_timeout = 10000');
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

/**
 * Puts a backup in place of a database (the server must be stopped): the backup is checked first, copied beside the
 * target and renamed over it, and the target's old WAL files are removed so they cannot be replayed onto it.
 */
export function restoreSqlite(backupPath: string, dbPath: string): { bytes: number } {
  if (!fs.existsSync(backupPath)) throw new Error(`No backup at ${backupPath}`);
  checkIntegrity(backupPath);
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const incoming = `${dbPath}.restoring`;
  fs.copyFileSync(backupPath, incoming);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${dbPath}${suffix}`, { force: true });
  fs.renameSync(incoming, dbPath);
  return { bytes: fs.statSync(dbPath).size };
}

function checkIntegrity(file: string): void {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file} is damaged: ${String(result)}`);
    if (!db.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get()) throw new Error(`${file} is not a b24im database`);
  } finally {
    db.close();
  }
}
