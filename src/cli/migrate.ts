// b24im migrate-to-postgres: copies the SQLite database into a new PostgreSQL database (see docs/deploy.md).
import type { Command } from 'commander';

export function registerMigrate(program: Command): void {
  program
    .command('migrate-to-postgres')
    .description('Copy the SQLite database (ids, sequences and all) into an empty PostgreSQL database; stop the server first')
    .option('--db <path>', 'SQLite database file to copy (default: $B24IM_DB or ./data/b24im.sqlite)')
    .option('--database-url <url>', 'postgres://... of the new database (default: $B24IM_DATABASE_URL)')
    .action(async (opts: { db?: string; databaseUrl?: string }) => {
      const [{ loadConfig }, { copySqliteToPostgres }, { isPostgresUrl }] = await Promise.all([
        import('../config.ts'),
        import('../store/copy.ts'),
        import('../store/open.ts'),
      ]);
      const config = loadConfig({ dbPath: opts.db });
      const url = opts.databaseUrl ?? process.env.B24IM_DATABASE_URL;
      if (!isPostgresUrl(url)) throw new Error('--database-url postgres://... (or B24IM_DATABASE_URL) is required');
      if (isPostgresUrl(config.dbPath)) throw new Error('--db must be an SQLite file');
      const started = Date.now();
      const report = await copySqliteToPostgres(config.dbPath, url, (name, rows) => process.stdout.write(`${name}: ${rows} rows\n`));
      const total = report.tables.reduce((n, t) => n + t.rows, 0);
      process.stdout.write(`copied ${total} rows in ${report.tables.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      // File bytes move into the shared store, so every node on the new database serves them.
      const [{ openPostgres }, { copyBlobsToPostgres }] = await Promise.all([import('../store/open.ts'), import('../store/blobs/copy.ts')]);
      const pgStore = await openPostgres(url);
      try {
        const files = await copyBlobsToPostgres(pgStore, config.files.dir);
        process.stdout.write(`copied ${files.copied} file contents into PostgreSQL\n`);
        if (files.missing.length) process.stderr.write(`warning: ${files.missing.length} file contents were not in ${config.files.dir}\n`);
      } finally {
        await pgStore.close();
      }
    });
}
