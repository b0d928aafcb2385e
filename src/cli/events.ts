// Applications' installation and the event outbox: app install, event queue / log / retry.
import type { Command } from 'commander';
import { intArg } from './main.ts';
import { print, withDbOptions, withRuntime, type DbOptions } from './options.ts';

export function registerEventCommands(program: Command): void {
  const appCmd = program.commands.find((c) => c.name() === 'app') ?? program.command('app').description('Manage local applications');
  withDbOptions(
    appCmd
      .command('install')
      .description('Install an application: POST ONAPPINSTALL with a fresh auth block to its handler, as a portal does')
      .requiredOption('--code <code>', 'application code')
      .option('--user <id>', 'user who installs it (default 1, the administrator)', intArg)
      .option('--handler <url>', 'handler URL (default: the one given to app add)'),
  ).action(async (opts: DbOptions & { code: string; user?: number; handler?: string }) => {
    await withRuntime(opts, async ({ app }) => {
      // Queued already claimed by this process, which makes the attempt itself so its result shows here (bounded by
      // B24IM_EVENT_TIMEOUT_MS whatever the handler does); the same for update and uninstall below.
      const ids = await app.apps.install(opts.code, opts.user ?? 1, opts.handler, app.worker.claimedBy());
      print({ installed: true, events: await app.worker.deliverClaimed(ids) });
    });
  });
  withDbOptions(
    appCmd
      .command('update')
      .description('Update an installed application to a new version: POST ONAPPUPDATE to the handlers it bound')
      .requiredOption('--code <code>', 'application code')
      .option('--version <n>', 'the new version (default: the current one + 1)', intArg)
      .option('--user <id>', 'user who updates it (default 1, the administrator)', intArg),
  ).action(async (opts: DbOptions & { code: string; version?: number; user?: number }) => {
    await withRuntime(opts, async ({ app }) => {
      const { version, events } = await app.lifecycle.update(opts.code, opts.user ?? 1, opts.version, app.worker.claimedBy());
      print({ updated: true, version, events: await app.worker.deliverClaimed(events) });
    });
  });
  withDbOptions(
    appCmd
      .command('uninstall')
      .description('Uninstall an application: POST ONAPPUNINSTALL to the handlers it bound, revoke its tokens, remove its bots')
      .requiredOption('--code <code>', 'application code')
      .option('--clean', 'also forget its data (app.option / user.option; CLEAN=1 in the event)'),
  ).action(async (opts: DbOptions & { code: string; clean?: boolean }) => {
    await withRuntime(opts, async ({ app }) => {
      const done = await app.lifecycle.uninstall(opts.code, opts.clean === true, app.worker.claimedBy());
      print({ uninstalled: true, revokedTokens: done.revokedTokens, removedBots: done.removedBots, events: await app.worker.deliverClaimed(done.events) });
    });
  });

  const event = program.command('event').description('Inspect outgoing events (bots, event.bind handlers)');
  withDbOptions(
    event
      .command('queue')
      .description('List outbox rows, newest first, as JSON')
      .option('--status <status>', 'pending, done or failed')
      .option('--app <code>', 'only this application\'s events')
      .option('--limit <n>', 'how many (default 50)', intArg),
  ).action(async (opts: DbOptions & { status?: string; app?: string; limit?: number }) => {
    await withRuntime(opts, async ({ app }) => {
      const appId = opts.app ? (await app.apps.byCode(opts.app)).id : undefined;
      const rows = await app.store.events.outbox({ status: opts.status, appId, limit: opts.limit ?? 50 });
      print(rows.map((r) => ({ ...r, data: JSON.parse(r.data), bots: JSON.parse(r.bots) })));
    });
  });
  withDbOptions(
    event
      .command('log')
      .description('List delivery attempts, newest first, as JSON')
      .option('--app <code>', 'only this application\'s events')
      .option('--id <n>', 'only attempts of this outbox row', intArg)
      .option('--limit <n>', 'how many (default 50)', intArg),
  ).action(async (opts: DbOptions & { app?: string; id?: number; limit?: number }) => {
    await withRuntime(opts, async ({ app }) => {
      const appId = opts.app ? (await app.apps.byCode(opts.app)).id : undefined;
      print(await app.store.events.logs({ appId, outboxId: opts.id, limit: opts.limit ?? 50 }));
    });
  });
  withDbOptions(
    event
      .command('retry')
      .description('Queue a failed event again (its attempts start over)')
      .requiredOption('--id <n>', 'outbox row id', intArg),
  ).action(async (opts: DbOptions & { id: number }) => {
    await withRuntime(opts, async ({ app }) => {
      if (!(await app.store.events.retry(opts.id, Date.now()))) throw new Error(`No failed event ${opts.id}`);
      print({ id: opts.id, status: 'pending' });
    });
  });
}
