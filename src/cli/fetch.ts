// b24im event fetch: the Bots 2.0 fetch queues (fetch-mode bots, im.v2 subscribers) and what waits in them.
import type { Command } from 'commander';
import { intArg } from './main.ts';
import { print, withDbOptions, withRuntime, type DbOptions } from './options.ts';
import { atom } from '../present/dates.ts';

export function registerFetchCommands(program: Command): void {
  const event = program.commands.find((c) => c.name() === 'event') ?? program.command('event').description('Inspect outgoing events');
  withDbOptions(
    event
      .command('fetch')
      .description('List the Bots 2.0 fetch queues (imbot.v2 / im.v2 Event.get) as JSON; with --bot or --user, peek at its events (nothing is acknowledged)')
      .option('--bot <id>', 'one fetch-mode bot\'s queue', intArg)
      .option('--user <id>', 'one subscribed user\'s queue (im.v2.Event.subscribe)', intArg)
      .option('--limit <n>', 'events to show with --bot / --user (default 20)', intArg),
  ).action(async (opts: DbOptions & { bot?: number; user?: number; limit?: number }) => {
    await withRuntime(opts, async ({ app }) => {
      const zone = app.config.timezone;
      const one = opts.bot !== undefined ? ({ kind: 'bot', ownerId: opts.bot } as const) : opts.user !== undefined ? ({ kind: 'user', ownerId: opts.user } as const) : undefined;
      const rows = one ? [await app.store.fetch.stream(one)].filter((r) => r !== undefined) : await app.store.fetch.streams();
      if (one && rows.length === 0) throw new Error(`No fetch queue for ${one.kind} ${one.ownerId}`);
      const out = [];
      for (const r of rows) {
        const stream = { kind: r.kind as 'bot' | 'user', ownerId: r.owner_id };
        const events = await app.store.fetch.read([stream], 0, one ? (opts.limit ?? 20) : 1);
        out.push({
          kind: r.kind,
          ownerId: r.owner_id,
          queued: r.queued,
          cap: app.config.fetchQueueCap,
          dropped: r.dropped,
          oldestEventId: events[0]?.event_id ?? null,
          oldestDate: events[0] ? atom(events[0].date_create, zone) : null,
          ...(one ? { events: events.map((e) => ({ eventId: e.event_id, type: e.type, date: atom(e.date_create, zone), data: JSON.parse(e.data) })) } : {}),
        });
      }
      print(one ? out[0] : out);
    });
  });
}
