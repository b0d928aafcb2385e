// Bots 2.0 fetch-mode benchmark against a real b24im server (child process; SQLite, or PostgreSQL with
// B24IM_TEST_BACKEND=postgres). Two measurements:
//   latency  a bot polls imbot.v2.Event.get continuously (each call right after the previous answer); a user sends
//            N messages with im.message.add, one at a time; for each, the time from the end of the im.message.add
//            call until the poller holds its ONIMBOTV2MESSAGEADD (p50 / p99 / max)
//   backlog  Q messages queued while the bot is away (im.message.add in batches of 50), then the bot pages through
//            them with limit 1000 and nextOffset: every event exactly once, in order; the time to drain
// Run it on a quiet machine (it prints the load average it ran under):
//   npm run bench:fetch -- [--messages 200] [--backlog 10000]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ok, startServer } from '../test/helpers/server.ts';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '200' }, backlog: { type: 'string', default: '10000' } } });
const MESSAGES = Number(args.messages);
const BACKLOG = Number(args.backlog);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const srv = await startServer({ env: { B24IM_FETCH_QUEUE_CAP: String(Math.max(50000, BACKLOG * 2)) } });
try {
  const owner = await srv.addUser('Bench', 'Owner');
  const user = await srv.addUser('Bench', 'User');
  const hook = await srv.webhook(owner.id, 'imbot,im');
  const userHook = await srv.webhook(user.id, 'im');
  const token = 'bench_token';
  const { bot } = await ok(hook, 'imbot.v2.Bot.register', { botToken: token, fields: { code: 'bench', properties: { name: 'Bench' } } });
  console.log(`b24im fetch benchmark, ${srv.databaseUrl ? 'PostgreSQL' : 'SQLite'}, load average before: ${load()}`);

  // latency: the poller records when each message's event arrives.
  const arrived = new Map<number, number>();
  let offset: number | undefined;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const page = await ok(hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: token, limit: 1000, ...(offset !== undefined ? { offset } : {}) });
      const now = performance.now();
      for (const e of page.events) if (e.type === 'ONIMBOTV2MESSAGEADD') arrived.set(e.data.message.id, now);
      offset = page.nextOffset;
    }
  })();
  const latencies: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const id: number = await ok(userHook, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: `latency ${i}` });
    const sent = performance.now();
    while (!arrived.has(id)) await new Promise((resolve) => setTimeout(resolve, 1));
    latencies.push(arrived.get(id)! - sent);
  }
  polling = false;
  await poller;
  latencies.sort((a, b) => a - b);
  console.log(`latency  ${MESSAGES} messages: p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (load ${load()})`);

  // backlog: queue while nobody polls, then drain in pages.
  const t0 = performance.now();
  for (let i = 0; i < BACKLOG; i += 50) {
    const cmd: Record<string, string> = {};
    for (let j = i; j < Math.min(i + 50, BACKLOG); j++) cmd[`m${j}`] = `im.message.add?DIALOG_ID=${bot.id}&MESSAGE=b${j}`;
    await ok(userHook, 'batch', { halt: 1, cmd });
  }
  const written = performance.now();
  const seen = new Set<number>();
  let last = -1;
  let pages = 0;
  while (seen.size < BACKLOG) {
    const page = await ok(hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: token, limit: 1000, offset });
    pages++;
    for (const e of page.events) {
      if (e.eventId <= last) throw new Error(`event ${e.eventId} out of order or repeated`);
      last = e.eventId;
      if (e.type !== 'ONIMBOTV2MESSAGEADD') continue;
      const n = Number(String(e.data.message.text).slice(1));
      if (seen.has(n)) throw new Error(`message b${n} twice`);
      seen.add(n);
    }
    offset = page.nextOffset;
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const drained = performance.now();
  console.log(
    `backlog  ${BACKLOG} events: written in ${((written - t0) / 1000).toFixed(1)} s, all queued and fetched ${((drained - written) / 1000).toFixed(1)} s later in ${pages} calls, ` +
      `none lost, none repeated (load ${load()})`,
  );
} finally {
  await srv.cleanup();
}
