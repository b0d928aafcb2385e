// b24im backup / restore: an SQLite database copied while the server runs, and put back with the server stopped.
import type { Command } from 'commander';
import { backupSqlite, restoreSqlite } from '../store/backup.ts';
import { isPostgresUrl } from '../store/open.ts';
import { configFrom, withDbOptions, type DbOptions } from './options.ts';

function sqlitePath(opts: DbOptions): string {
  const config = configFrom(opts);
  if (config.databaseUrl || isPostgresUrl(config.dbPath)) {
    throw new Error('This database is PostgreSQL: back it up with pg_dump and restore it with pg_restore (docs/deploy.md)');
  }
  return config.dbPath;
}

export function registerBackup(program: Command): void {
  withDbOptions(
    program
      .command('backup')
      .description('Copy the SQLite database to FILE, consistent as of one moment, while the server keeps running')
      .requiredOption('--out <file>', 'the backup file to write (must not exist)'),
  ).action(async (opts: DbOptions & { out: string }) => {
    const r = await backupSqlite(sqlitePath(opts), opts.out);
    process.stdout.write(`${JSON.stringify({ out: opts.out, ...r })}\n`);
  });

  withDbOptions(
    program
      .command('restore')
      .description('Replace the SQLite database with a backup (stop the server first; the backup is checked before)')
      .requiredOption('--from <file>', 'a file written by b24im backup'),
  ).action(async (opts: DbOptions & { from: string }) => {
    const target = sqlitePath(opts);
    const r = restoreSqlite(opts.from, target);
    process.stdout.write(`${JSON.stringify({ restored: target, ...r })}\n`);
  });
}
