// b24im backup / restore: an SQLite database copied while the server runs, and put back with the server stopped.
import type { Command } from 'commander';
import { configFrom, withDbOptions, type DbOptions } from './options.ts';

// The store modules are imported when a command runs, so the CLI starts fast.
async function sqlitePath(opts: DbOptions): Promise<string> {
  const [config, { isPostgresUrl }] = await Promise.all([configFrom(opts), import('../store/open.ts')]);
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
    const { backupSqlite } = await import('../store/backup.ts');
    const r = await backupSqlite(await sqlitePath(opts), opts.out);
    process.stdout.write(`${JSON.stringify({ out: opts.out, ...r })}\n`);
  });

  withDbOptions(
    program
      .command('restore')
      .description('Replace the SQLite database with a backup (stop the server first; the backup is checked before)')
      .requiredOption('--from <file>', 'a file written by b24im backup'),
  ).action(async (opts: DbOptions & { from: string }) => {
    const target = await sqlitePath(opts);
    const { restoreSqlite } = await import('../store/backup.ts');
    const r = restoreSqlite(opts.from, target);
    process.stdout.write(`${JSON.stringify({ restored: target, ...r })}\n`);
  });
}
