// What one im.message.add costs the server over HTTP, everything it causes included (the posting transaction, the
// change dispatcher, the pull log, the outbox): messages posted one at a time into a dialog, a chat of at most
// B24IM_FANOUT_LIMIT members and the 5,000-member chat of a scratch copy of the m portal, waiting after each until
// the server is idle, so its CPU time (from /proc) per message is the whole cost. The longest event-loop stall in
// each phase comes from a monitorEventLoopDelay histogram the server reports on SIGUSR2 (bench/loop-delay.mjs).
//   node --import tsx bench/write-cost.ts [messages per target] [--only dialog|members] [--cpu-prof DIR]
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { openSqlite } from '../src/store/open.ts';
import { CACHE } from './datasets.ts';
import { cpuMs, startB24im } from './server.ts';

const args = process.argv.slice(2);
const profDir = args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : undefined;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const count = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--cpu-prof') ?? 100);
const source = path.join(CACHE, 'm-seed1.sqlite');
const scratch = path.join(CACHE, 'write-cost.sqlite');
const delayFile = path.join(CACHE, 'write-cost-delay.json');
const manifest = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8'));
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
fs.copyFileSync(source, scratch);

const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok || json.error) throw new Error(`${url}: ${JSON.stringify(json)}`);
  return json;
}

/** Until the server's CPU time stops moving (the dispatcher and workers run after the answer). */
async function idle(pid: number): Promise<void> {
  let last = cpuMs(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const now = cpuMs(pid);
    if (now === last) return;
    last = now;
  }
}

/** The server's event-loop delay since the last call (max and p99, ms). */
async function loopDelay(pid: number): Promise<{ max: number; p99: number }> {
  fs.rmSync(delayFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !fs.existsSync(delayFile); i++) await new Promise((r) => setTimeout(r, 20));
  return JSON.parse(fs.readFileSync(delayFile, 'utf8'));
}

async function main(): Promise<void> {
  // Webhooks and the fanned-out chat, prepared before the server starts.
  const config = loadConfig({ dbPath: scratch });
  const store = await openSqlite(scratch);
  const app = await createApp(store, config);
  const { rows } = await sql<{ id: number; n: number; u: number }>`
    select c.id, c.member_count as n, (select user_id from members where chat_id = c.id limit 1) as u
    from chats c where c.type = 'C' and c.large = 0 order by c.member_count desc limit 1`.execute(store.kysely);
  const small = rows[0];
  const smallHook = `/rest/${small.u}/${(await app.auth.createWebhook(small.u, ['im'])).code}/`;
  await store.close();

  const hookPath = (url: string) => new URL(url).pathname;
  const targets = [
    { name: 'a dialog', hook: hookPath(manifest.typical.webhook), dialog: String(manifest.typical.dialogPeer) },
    { name: `a chat of ${small.n} members`, hook: smallHook, dialog: `chat${small.id}` },
    { name: `the ${manifest.bigChat.members}-member chat`, hook: hookPath(manifest.heavy.webhook), dialog: `chat${manifest.bigChat.chatId}` },
  ];
  const nodeArgs = ['--import', path.join(import.meta.dirname, 'loop-delay.mjs')];
  if (profDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  const server = await startB24im(scratch, { B24IM_LOOP_DELAY_FILE: delayFile, B24IM_LOG_LEVEL: 'warn' }, nodeArgs);
  try {
    console.log(`im.message.add over HTTP, server CPU per message (${count} messages each, one at a time, idle after each)`);
    console.log('| into | server CPU ms/message | event-loop delay max / p99 ms | load average |');
    console.log('|---|---:|---:|---|');
    for (const t of targets.filter((x) => !only || x.name.includes(only))) {
      for (let i = 0; i < 10; i++) await post(`${server.url}${t.hook}im.message.add`, { DIALOG_ID: t.dialog, MESSAGE: `warm ${i}` });
      await idle(server.pid);
      await loopDelay(server.pid);
      // What the idle server spends (timers, polls) is measured beside and taken off.
      const i0 = cpuMs(server.pid);
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      const idlePerMs = (cpuMs(server.pid) - i0) / (Date.now() - t0);
      const c0 = cpuMs(server.pid);
      const s0 = Date.now();
      for (let i = 0; i < count; i++) await post(`${server.url}${t.hook}im.message.add`, { DIALOG_ID: t.dialog, MESSAGE: `cost ${i}` });
      await idle(server.pid);
      const cpu = (cpuMs(server.pid) - c0 - idlePerMs * (Date.now() - s0)) / count;
      const d = await loopDelay(server.pid);
      console.log(`| ${t.name} | ${cpu.toFixed(2)} | ${d.max.toFixed(1)} / ${d.p99.toFixed(1)} | ${load()} |`);
    }
  } finally {
    await server.stop();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`write-cost failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
