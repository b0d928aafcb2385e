// In-process: the change dispatcher's transaction per posted message (dialog, the largest fanned-out chat, the
// 5,000-member chat of a scratch copy of the m portal): its CPU time is how long the event loop (and the one SQLite
// connection every request needs) is held for the message's events, whatever the machine's load does to wall time.
//   node --import tsx bench/dispatch-cost.ts [messages per target]
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { ChangeDispatcher } from '../src/app/delivery/dispatcher.ts';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { openSqlite } from '../src/store/open.ts';
import { CACHE } from './datasets.ts';

const count = Number(process.argv[2] ?? 40);
const scratch = path.join(CACHE, 'dispatch-cost.sqlite');
const manifest = JSON.parse(fs.readFileSync(path.join(CACHE, 'm-seed1.sqlite.json'), 'utf8'));
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
fs.copyFileSync(path.join(CACHE, 'm-seed1.sqlite'), scratch);
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  const store = await openSqlite(scratch);
  const app = await createApp(store, loadConfig({ dbPath: scratch }));
  // Each transaction that handled something: its CPU time (the drain is serial, nothing else runs in this process).
  const cpus: number[] = [];
  const proto = ChangeDispatcher.prototype as unknown as { handleOne: () => Promise<boolean> };
  const handleOne = proto.handleOne;
  proto.handleOne = async function (this: unknown) {
    const c = process.cpuUsage();
    const r = await handleOne.call(this);
    const d = process.cpuUsage(c);
    if (d.user + d.system > 200) cpus.push((d.user + d.system) / 1000);
    return r;
  };
  const log = { info() {}, warn() {}, error() {}, debug() {} } as never;
  app.worker.start(log);
  app.dispatcher.start(log);
  await app.pull.hub.start(log);
  const heavy = (await app.users.get(manifest.heavy.userId))!;
  const typical = (await app.users.get(manifest.typical.userId))!;
  const { rows } = await sql<{ id: number; n: number; u: number }>`
    select c.id, c.member_count as n, (select user_id from members where chat_id = c.id limit 1) as u
    from chats c where c.type = 'C' and c.large = 0 order by c.member_count desc limit 1`.execute(store.kysely);
  const small = (await app.users.get(rows[0].u))!;
  const targets: [string, () => Promise<unknown>][] = [
    ['a dialog', () => app.messages.add(typical, { kind: 'user', userId: manifest.typical.dialogPeer }, { text: 'cost' })],
    [`a chat of ${rows[0].n} members`, () => app.messages.add(small, { kind: 'chat', chatId: rows[0].id }, { text: 'cost' })],
    [`the ${manifest.bigChat.members}-member chat`, () => app.messages.add(heavy, { kind: 'chat', chatId: manifest.bigChat.chatId }, { text: 'cost' })],
  ];
  console.log(`change dispatcher, CPU ms per message's transaction (${count} messages each, one at a time)`);
  console.log('| into | median | p90 | max | load average |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, send] of targets) {
    for (let i = 0; i < 5; i++) {
      await send();
      await new Promise((r) => setTimeout(r, 50));
    }
    cpus.length = 0;
    for (let i = 0; i < count; i++) {
      await send();
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = [...cpus].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
    console.log(`| ${name} | ${at(0.5)} | ${at(0.9)} | ${s[s.length - 1].toFixed(2)} | ${load()} |`);
  }
  await app.worker.stop();
  await app.dispatcher.stop();
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(scratch + suffix, { force: true });
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`dispatch-cost failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
