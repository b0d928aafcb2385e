// What the im.recent.get cache costs and saves, in-process on a scratch copy of the seeded portal (CPU time, so the
// figures hold on a busy machine): im.message.add with and without the version triggers of migration 081 (a
// dialog, the largest chat still fanned out on write, the 5,000-member chat), and im.recent.get of the typical user
// served from the cache (the validation statement and the bytes) and built uncached.
//   node --import tsx bench/cache-cost.ts [iterations]
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { AuthContext } from '../src/app/auth.ts';
import { createApp, type App } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { successBody } from '../src/http/envelope.ts';
import { createDispatcher } from '../src/methods/dispatch.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { openSqlite } from '../src/store/open.ts';
import type { SqlStore } from '../src/store/sql/index.ts';
import { CACHE } from './datasets.ts';

const iterations = Number(process.argv[2] ?? 300);
const source = path.join(CACHE, 'm-seed1.sqlite');
const scratch = path.join(CACHE, 'cache-cost.sqlite');
const manifest = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8'));
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
fs.copyFileSync(source, scratch);

const cpuMsPer = async (n: number, fn: (i: number) => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
};

async function posting(app: App, store: SqlStore): Promise<Record<string, number>> {
  const heavy = (await app.users.get(manifest.heavy.userId))!;
  const typical = (await app.users.get(manifest.typical.userId))!;
  // The largest chat still fanned out on write (at most B24IM_FANOUT_LIMIT members), and one of its members.
  const { rows } = await sql<{ id: number; n: number; u: number }>`
    select c.id, c.member_count as n, (select user_id from members where chat_id = c.id limit 1) as u
    from chats c where c.type = 'C' and c.large = 0 order by c.member_count desc limit 1`.execute(store.kysely);
  const small = rows[0];
  const smallAuthor = (await app.users.get(small.u))!;
  const out: Record<string, number> = {};
  out['dialog (2 members)'] = await cpuMsPer(iterations, () => app.messages.add(typical, { kind: 'user', userId: manifest.typical.dialogPeer }, { text: 'cost' }));
  out[`chat of ${small.n} members (fan-out on write)`] = await cpuMsPer(iterations, () => app.messages.add(smallAuthor, { kind: 'chat', chatId: small.id }, { text: 'cost' }));
  out[`chat of ${manifest.bigChat.members} members`] = await cpuMsPer(iterations, () => app.messages.add(heavy, { kind: 'chat', chatId: manifest.bigChat.chatId }, { text: 'cost' }));
  return out;
}

async function main(): Promise<void> {
  const config = loadConfig({ dbPath: scratch });
  const store = await openSqlite(scratch);
  const app = await createApp(store, config);
  const { rows: triggers } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger' and name like 'recent_%'`.execute(store.kysely);
  // Alternating rounds with and without the triggers, so warm-up and machine drift hit both alike; medians.
  const rounds: { on: Record<string, number>[]; off: Record<string, number>[] } = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    rounds.on.push(await posting(app, store));
    for (const t of triggers) await sql.raw(`drop trigger ${t.name}`).execute(store.kysely);
    rounds.off.push(await posting(app, store));
    for (const t of triggers) await sql.raw(t.sql).execute(store.kysely);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const withTriggers = Object.fromEntries(Object.keys(rounds.on[0]).map((k) => [k, median(rounds.on.map((r) => r[k]))]));
  const without = Object.fromEntries(Object.keys(rounds.off[0]).map((k) => [k, median(rounds.off.map((r) => r[k]))]));
  console.log(`im.message.add, in-process CPU ms per call (${iterations} calls each, median of 3 alternating rounds; load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  console.log('| target | with triggers | without | added |');
  console.log('|---|---:|---:|---:|');
  for (const k of Object.keys(withTriggers)) {
    console.log(`| ${k} | ${withTriggers[k].toFixed(3)} | ${without[k].toFixed(3)} | ${(withTriggers[k] - without[k]).toFixed(3)} |`);
  }

  // The list: dispatch, cache or build, and the envelope, as the server runs them (no HTTP).
  const user = (await app.users.get(manifest.typical.userId))!;
  const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'x' };
  const log = { info() {}, warn() {}, error() {}, debug() {} } as never;
  const listMs = async (a: App) => {
    const dispatcher = createDispatcher(buildRegistry(), a);
    return cpuMsPer(iterations * 3, async () => {
      const s = Date.now();
      const out = await dispatcher.call(auth, 'im.recent.get', {}, log);
      return successBody(out, { startMs: s, handlerStartMs: s, handlerEndMs: Date.now() }, config.timezone).length;
    });
  };
  const hit = await listMs(app);
  const token = await cpuMsPer(iterations * 3, () => store.recentVersions.token(user.id));
  const uncached = await listMs(await createApp(store, { ...config, recentCacheBytes: 0 }));
  console.log();
  console.log(`im.recent.get of the typical user (${manifest.typical.items} items), in-process CPU ms per call:`);
  console.log(`| served from the cache | of which the validation statement | built (cache off) |`);
  console.log('|---:|---:|---:|');
  console.log(`| ${hit.toFixed(3)} | ${token.toFixed(3)} | ${uncached.toFixed(3)} |`);
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
}

main().catch((err) => {
  process.stderr.write(`cache-cost failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
