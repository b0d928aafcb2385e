// Cold CPU of im.recent.get in-process: the typical user's list (about 50 items) and the heavy user's (1,000), each
// call through the dispatcher and the envelope with nothing cached, the load average beside each figure (the
// machine may be shared). Also the helper for profiling the list.
//   node --import tsx bench/profile.ts [typical|heavy|both] [iterations] [--db FILE|postgres://...] [--size s|m]
//   node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile.ts heavy 100
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AuthContext } from '../src/app/auth.ts';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { successBody } from '../src/http/envelope.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { createDispatcher } from '../src/methods/dispatch.ts';
import { openStoreAt } from '../src/store/open.ts';
import { CACHE, isUrl, portal } from './datasets.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { db: { type: 'string' }, size: { type: 'string', default: 'm' } },
});
const which = (positionals[0] ?? 'both') as 'typical' | 'heavy' | 'both';
const iterationsArg = positionals[1] ? Number(positionals[1]) : undefined;
const db = values.db ?? path.join(CACHE, `${values.size}-seed1.sqlite`);
const manifest = await portal(db, values.size!, 1, (l) => console.error(l));
// No answer cache: every call is a cold one.
const config = loadConfig(isUrl(db) ? { databaseUrl: db } : { dbPath: db }, { ...process.env, B24IM_RECENT_CACHE_MB: '0' });
const store = await openStoreAt(db);
// The portal's own moment: the 30-day window then holds what the manifest counted.
const app = await createApp(store, config, { clock: () => manifest.now });
const dispatcher = createDispatcher(buildRegistry(), app);
const log = { info() {}, warn() {}, error() {}, debug() {} } as never;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function measure(who: 'typical' | 'heavy', iterations: number): Promise<void> {
  const user = (await app.users.get(manifest[who].userId))!;
  const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'x' };
  let bytes = 0;
  const once = async () => {
    const s = Date.now();
    const out = await dispatcher.call(auth, 'im.recent.get', {}, log);
    // Byte length flattens the answer as the socket write would.
    bytes = Buffer.byteLength(successBody(out, { startMs: s, handlerStartMs: s, handlerEndMs: Date.now() }, config.timezone));
  };
  for (let i = 0; i < Math.max(5, iterations / 10); i++) await once();
  const before = load();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await once();
  const cpu = process.cpuUsage(cpu0);
  const items = (JSON.parse(JSON.stringify((await dispatcher.call(auth, 'im.recent.get', {}, log)).result)) as unknown[]).length;
  console.log(
    `${who}: ${items} items, ${iterations} calls, ${((cpu.user + cpu.system) / 1000 / iterations).toFixed(3)} ms CPU per call, ` +
      `${((performance.now() - t0) / iterations).toFixed(3)} ms wall, ${bytes} bytes; load ${before} -> ${load()}`,
  );
}

console.log(`cold im.recent.get, in-process, ${store.dialect} (${isUrl(db) ? 'PostgreSQL' : path.basename(db)}), ${os.cpus().length} cores`);
if (which !== 'heavy') await measure('typical', iterationsArg ?? 1000);
if (which !== 'typical') await measure('heavy', iterationsArg ?? 50);
await store.close();
