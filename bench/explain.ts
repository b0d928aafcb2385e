// Query plans of the hot statements, as the app really runs them: every statement of each operation is captured
// (Kysely's log) on a copy of the benchmark database and explained with its own parameters. Prints markdown;
// docs/performance.md embeds the output. Usage: node --import tsx bench/explain.ts
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { createDispatcher } from '../src/methods/dispatch.ts';
import { openSqlite } from '../src/store/open.ts';
import { CACHE, portal } from './datasets.ts';

const source = path.join(CACHE, 'm-seed1.sqlite');
const manifest = await portal(source, 'm', 1, (l) => process.stderr.write(`${l}\n`));
const copy = path.join(CACHE, 'explain.sqlite');
for (const f of ['', '-wal', '-shm']) fs.rmSync(copy + f, { force: true });
fs.copyFileSync(source, copy);
if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${copy}-wal`);

let captured: { sql: string; parameters: readonly unknown[] }[] = [];
const store = await openSqlite(copy, { onQuery: (sql, parameters) => captured.push({ sql, parameters }) });
const config = loadConfig({ dbPath: copy });
const app = await createApp(store, config);
const dispatcher = createDispatcher(buildRegistry(), app);
const typical = (await app.users.get(manifest.typical.userId))!;
const heavy = (await app.users.get(manifest.heavy.userId))!;
const now = Math.floor(Date.now() / 1000);
const log = { info() {}, warn() {} };

const operations: [string, () => Promise<unknown>][] = [
  [`im.recent.get, full list (typical user, ${manifest.typical.items} items)`, () => app.recent.get(typical, {})],
  ['im.recent.get, LAST_UPDATE delta', () => app.recent.get(typical, { lastUpdate: now - 60 })],
  ['im.message.add into a dialog (fan-out on write to both rows)', () => app.messages.add(typical, { kind: 'user', userId: manifest.typical.dialogPeer }, { text: 'explain' })],
  [`im.message.add into the ${manifest.bigChat.members}-member chat (no fan-out)`, () => app.messages.add(heavy, { kind: 'chat', chatId: manifest.bigChat.chatId }, { text: 'explain' })],
  ['im.counters.get (arithmetic counters)', () => dispatcher.call({ user: typical, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'x' }, 'im.counters.get', {}, log)],
  ['im.dialog.read', () => app.reads.read(typical, { kind: 'user', userId: manifest.typical.dialogPeer })],
];

/** Long select lists and IN lists shortened for reading; the plan is of the full statement. */
function shorten(sql: string): string {
  return sql
    .replace(/("chats"\."\w+" as "c_\w+", )+("chats"\."\w+" as "c_\w+")/g, '"chats".<23 columns as c_*>')
    .replace(/json_array\(mb\.item_id, [^]*? as r from members/g, 'json_array(<columns>) as r from members')
    .replace(/\?(, \?){3,}/g, '?, ?, …');
}

const out: string[] = [];
for (const [name, run] of operations) {
  captured = [];
  await run();
  out.push(`#### ${name}`, '');
  const seen = new Set<string>();
  const statements = captured;
  captured = [];
  for (const q of statements) {
    const key = shorten(q.sql);
    if (seen.has(key) || /^(begin|commit|rollback|savepoint|release)/i.test(q.sql)) continue;
    seen.add(key);
    const plan = await store.explain(q.sql, q.parameters);
    out.push('```sql', key, '```', '```', ...(plan.length ? plan : ['(no table access)']), '```', '');
  }
}
await store.close();
for (const f of ['', '-wal', '-shm']) fs.rmSync(copy + f, { force: true });
process.stdout.write(`${out.join('\n')}\n`);
