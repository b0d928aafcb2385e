// In-process profile helper: runs im.recent.get of the seeded portal's users through the dispatcher.
// node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile.ts [typical|heavy] [iterations]
import fs from 'node:fs';
import path from 'node:path';
import type { AuthContext } from '../src/app/auth.ts';
import { createApp } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { successBody } from '../src/http/envelope.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { createDispatcher } from '../src/methods/dispatch.ts';
import { openStore } from '../src/store/open.ts';
import { CACHE } from './datasets.ts';

const who = (process.argv[2] ?? 'typical') as 'typical' | 'heavy';
const iterations = Number(process.argv[3] ?? 500);
const db = path.join(CACHE, 'm-seed1.sqlite');
const manifest = JSON.parse(fs.readFileSync(`${db}.json`, 'utf8'));
const config = loadConfig({ dbPath: db });
const store = await openStore({ dbPath: db });
const app = await createApp(store, config);
const dispatcher = createDispatcher(buildRegistry(), app);
const user = (await app.users.get(manifest[who].userId))!;
const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: 'x' };
const log = { info() {}, warn() {}, error() {}, debug() {} } as never;
const cpu0 = process.cpuUsage();
const t0 = Date.now();
let bytes = 0;
for (let i = 0; i < iterations; i++) {
  const s = Date.now();
  const out = await dispatcher.call(auth, 'im.recent.get', {}, log);
  bytes = successBody(out, { startMs: s, handlerStartMs: s, handlerEndMs: Date.now() }, config.timezone).length;
}
const cpu = process.cpuUsage(cpu0);
console.log(`${who}: ${iterations} calls, ${((cpu.user + cpu.system) / 1000 / iterations).toFixed(3)} ms CPU per call, ${((Date.now() - t0) / iterations).toFixed(3)} ms wall, ${bytes} bytes`);
await store.close();
