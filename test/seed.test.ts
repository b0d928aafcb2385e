// b24im seed: the bulk path stores exactly what the app-layer path stores, seen through im.recent.get of every user.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { boot } from '../src/boot.ts';
import { loadConfig } from '../src/config.ts';
import { ok, ROOT, startServer, type TestServer } from './helpers/server.ts';

const execFileP = promisify(execFile);
const BIN = path.join(ROOT, 'bin/b24im.js');
// A chat of more than 10 members is "large" here, so both the fan-out and the read-side paths are compared.
const ENV = { B24IM_FANOUT_LIMIT: '10', B24IM_LOG_LEVEL: 'warn' };
const NOW = Math.floor(Date.now() / 1000) - 5;

interface Seeded {
  dir: string;
  manifest: any;
  hooks: Map<number, string>;
  server?: TestServer;
}

async function seeded(pathName: 'app' | 'bulk'): Promise<Seeded> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `b24im-seed-${pathName}-`));
  const db = path.join(dir, 'b24im.sqlite');
  const manifestFile = path.join(dir, 'manifest.json');
  const { stdout } = await execFileP(process.execPath, [BIN, 'seed', '--size', 'xs', '--seed', '7', '--now', String(NOW), '--path', pathName, '--db', db, '--manifest', manifestFile], {
    cwd: ROOT,
    env: { ...process.env, ...ENV },
  });
  assert.match(stdout, /heavy user \d+: \d+ recent items +http:\/\/\S+\/rest\/\d+\/\w+\//);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  // A webhook for every user, made on the database before the server starts.
  const rt = await boot(loadConfig({ dbPath: db }, { ...process.env, ...ENV }));
  const hooks = new Map<number, string>();
  try {
    for (let id = 1; id <= manifest.counts.users; id++) {
      const h = await rt.app.auth.createWebhook(id, ['im']);
      hooks.set(id, `/rest/${id}/${h.code}/`);
    }
  } finally {
    await rt.close();
  }
  return { dir, manifest, hooks };
}

let app: Seeded;
let bulk: Seeded;

before(async () => {
  [app, bulk] = await Promise.all([seeded('app'), seeded('bulk')]);
  // The seeded databases are SQLite files (in either pass of npm test).
  app.server = await startServer({ dir: app.dir, env: ENV, backend: 'sqlite' });
  bulk.server = await startServer({ dir: bulk.dir, env: ENV, backend: 'sqlite' });
});

after(async () => {
  await app?.server?.cleanup();
  await bulk?.server?.cleanup();
});

test('both paths generate the same portal', () => {
  assert.deepEqual({ ...bulk.manifest, path: '', seconds: 0, heavy: { ...bulk.manifest.heavy, webhook: '' }, typical: { ...bulk.manifest.typical, webhook: '' } },
    { ...app.manifest, path: '', seconds: 0, heavy: { ...app.manifest.heavy, webhook: '' }, typical: { ...app.manifest.typical, webhook: '' } });
  assert.equal(app.manifest.heavy.items, 30);
  assert.ok(app.manifest.bigChat.members > 10, 'the largest chat is read-side fanned out');
  assert.ok(app.manifest.counts.messages > 800);
});

test('every user gets the same im.recent.get from the app-layer and the bulk database', async () => {
  let items = 0;
  let unread = 0;
  const types = new Set<string>();
  for (const id of app.hooks.keys()) {
    for (const params of [{}, { SKIP_DIALOG: 'Y' }, { LAST_SYNC_DATE: new Date((NOW - 3 * 86400) * 1000).toISOString() }]) {
      const a = await ok(app.server!.url + app.hooks.get(id)!, 'im.recent.get', params);
      const b = await ok(bulk.server!.url + bulk.hooks.get(id)!, 'im.recent.get', params);
      assert.deepEqual(b, a, `user ${id} ${JSON.stringify(params)}`);
      if (Object.keys(params).length === 0) {
        items += a.length;
        for (const item of a) {
          if (item.counter > 0) unread++;
          types.add(item.type === 'user' ? 'private' : item.chat.type);
        }
      }
    }
  }
  // The comparison covers real content: dialogs, group chats, open lines, unread counters.
  assert.ok(items > 200, `items ${items}`);
  assert.ok(unread > 10, `unread ${unread}`);
  for (const t of ['private', 'chat', 'lines']) assert.ok(types.has(t), `type ${t} in ${[...types]}`);
});
