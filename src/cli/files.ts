// File store commands: what the portal's files take (quota), and cleaning what crashes left behind.
import type { Command } from 'commander';
import { print, withDbOptions, withRuntime, type DbOptions } from './options.ts';

export function registerFileCommands(program: Command): void {
  const files = program.command('files').description('Files in chats: usage and cleanup');
  withDbOptions(
    files.command('quota').description('Print the file store usage of the portal as JSON (records, distinct contents, bytes)'),
  ).action(async (opts: DbOptions) => {
    await withRuntime(opts, async ({ app }) => {
      const usage = await app.store.files.usage();
      print({ store: app.files.blobs.backend, fileLimit: app.files.maxFileBytes, ...usage });
    });
  });
  withDbOptions(
    files
      .command('gc')
      .description('Remove staging leftovers of interrupted uploads, free unreferenced contents, and delete stored bytes no record knows'),
  ).action(async (opts: DbOptions) => {
    await withRuntime(opts, async ({ app }) => {
      const staging = await app.files.blobs.sweep();
      const freed = await app.files.collect();
      const known = new Set(await app.store.files.blobKeys());
      let orphans = 0;
      for (const key of await app.files.blobs.storedKeys()) {
        if (known.has(key)) continue;
        await app.store.transaction(async (tx) => {
          await tx.lock(`blob:${key}`);
          if (!(await tx.files.blob(key))) await app.files.blobs.remove(tx, key);
        });
        orphans++;
      }
      print({ staging, freed, orphans });
    });
  });
}
