// Message search on the ${size} portal (a million messages): im.dialog.messages.search over HTTP, one request at a time,
// with two-word queries taken from real messages of the chats a heavy user reads (hits) and made-up words (misses).
// Prints p50 / p95 / p99 latency per query kind, with the load average. Goal (issue 19): p99 < 50 ms.
//   node --import tsx bench/search.ts [--size m] [--db PATH|postgres://...] [--queries N]
import os from 'node:os';
import path from 'node:path';
import { CACHE, portal } from './datasets.ts';
import { startB24im } from './server.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const size = arg('--size', 'm');
const db = arg('--db', path.join(CACHE, `portal-${size}-1.sqlite`));
const queries = Number(arg('--queries', '300'));

async function call(base: string, method: string, params: Record<string, unknown>): Promise<any> {
  const r = await fetch(`${base}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const body = await r.json();
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body.result;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const manifest = await portal(db, size, 1, (l) => console.error(l));
const server = await startB24im(db);
try {
  // The heavy user's webhook, pointed at this server.
  const hook = manifest.heavy.webhook.replace(/^https?:\/\/[^/]+/, server.url);
  const recent = await call(hook, 'im.recent.list', { SKIP_DIALOG: 'Y', LIMIT: 50 });
  const chats: number[] = recent.items.map((i: any) => i.chat_id).slice(0, 20);
  // Two words of one message each (the words a person remembers), per chat.
  const hits: { chatId: number; phrase: string }[] = [];
  for (const chatId of chats) {
    const history = await call(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 50 });
    for (const m of history.messages) {
      const words = (String(m.text).toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
      if (words.length >= 2) hits.push({ chatId, phrase: `${words[0]} ${words[words.length - 1]}` });
    }
  }
  if (hits.length === 0) throw new Error('no messages with two words found in the heavy user\'s chats');
  const run = async (kind: string, pick: (i: number) => { chatId: number; phrase: string }) => {
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < queries; i++) {
      const q = pick(i);
      const started = process.hrtime.bigint();
      const result = await call(hook, 'im.dialog.messages.search', { CHAT_ID: q.chatId, SEARCH_MESSAGE: q.phrase, LIMIT: 50 });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      found += result.messages.length > 0 ? 1 : 0;
    }
    times.sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1);
    console.log(`| ${kind} | ${queries} | ${found} | ${f(percentile(times, 50))} | ${f(percentile(times, 95))} | ${f(percentile(times, 99))} |`);
  };
  console.log(`# im.dialog.messages.search on the ${size} portal (${manifest.counts.messages.toLocaleString('en')} messages), ${db.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}`);
  console.log(`# ${new Date().toISOString()}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start`);
  console.log('| queries | requests | with results | p50 ms | p95 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|');
  await run('two words of a message (hit)', (i) => hits[i % hits.length]);
  await run('two made-up words (miss)', (i) => ({ chatId: chats[i % chats.length], phrase: `zzqx${i} wwvy${i}` }));
  await run('one common word', (i) => ({ chatId: chats[i % chats.length], phrase: hits[i % hits.length].phrase.split(' ')[0] }));
  console.log(`# load average at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await server.stop();
}
