// The lean cold path of the recent list answers byte for byte what the object presenter answered (the frozen
// reference in test/fixtures/recent-reference.ts): every user of a seeded portal, every filter, im.recent.get and
// im.recent.list, after edits that reach the rarer branches (pins, mutes, hides, unread marks, deletions,
// mentions, markup, inactive and absent users, avatars, phones). In-process, on the backend under test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { AuthContext } from '../src/app/auth.ts';
import { createApp, type App } from '../src/app/index.ts';
import { loadConfig } from '../src/config.ts';
import { buildRegistry } from '../src/methods/index.ts';
import { createDispatcher, type Dispatcher } from '../src/methods/dispatch.ts';
import { RawJson } from '../src/methods/registry.ts';
import { openStoreAt } from '../src/store/open.ts';
import type { SqlStore } from '../src/store/sql/index.ts';
import { referenceGet, referenceList, type ReferenceOptions } from './fixtures/recent-reference.ts';
import { testTarget, type TestTarget } from './helpers/store.ts';
import { ROOT } from './helpers/server.ts';

const execFileP = promisify(execFile);
const NOW = Math.floor(Date.now() / 1000) - 5;
const DAY = 86400;
// No answer cache: every call takes the cold path.
const ENV = { B24IM_FANOUT_LIMIT: '10', B24IM_LOG_LEVEL: 'warn', B24IM_RECENT_CACHE_MB: '0' };
const silent = { info() {}, warn() {}, error() {}, debug() {} } as never;

let target: TestTarget;
let store: SqlStore;
let app: App;
let dispatcher: Dispatcher;
let users: number[];

const atomOf = (ts: number) => new Date(ts * 1000).toISOString();

async function call(userId: number, method: string, params: Record<string, unknown>) {
  const user = (await app.users.get(userId))!;
  const auth: AuthContext = { user, scopes: new Set(['im']), kind: 'webhook', credentialKey: `u${userId}` };
  return dispatcher.call(auth, method, params, silent);
}

const text = (result: unknown) => (result instanceof RawJson ? result.json : JSON.stringify(result));

before(async () => {
  target = await testTarget();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-cold-'));
  await execFileP(process.execPath, [path.join(ROOT, 'bin/b24im.js'), 'seed', '--size', 'xs', '--seed', '11', '--now', String(NOW), '--db', target.target, '--manifest', path.join(dir, 'm.json'), '--no-progress'], {
    cwd: ROOT,
    env: { ...process.env, ...ENV },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  store = await openStoreAt(target.target);
  const config = loadConfig({ dbPath: target.backend === 'sqlite' ? target.target : undefined, databaseUrl: target.backend === 'postgres' ? target.target : undefined, publicUrl: 'https://im.example.test' }, { ...process.env, ...ENV });
  app = await createApp(store, config, { clock: () => NOW });
  dispatcher = createDispatcher(buildRegistry(), app);
  users = (await store.kysely.selectFrom('users').select('id').orderBy('id').execute()).map((u) => u.id);

  // The rarer branches: markup and mentions in last messages, deleted messages, own messages after the read
  // position, pins, mutes, hides, unread marks, inactive / absent / bot-like users, avatars and phones.
  const [a, b, c, d] = users;
  const chats = (await store.kysely.selectFrom('chats').select(['id', 'type']).where('type', '!=', 'P').orderBy('id').execute()).map((r) => r.id);
  const memberOf = async (chatId: number) => (await store.members.userIds(chatId))[0];
  await call(a, 'im.message.add', { DIALOG_ID: String(b), MESSAGE: `Hi [USER=${c}][/USER] and [b]bold[/b]\nline [URL=https://x.test]link[/URL] ------------------------------------------------------\nq\n------------------------------------------------------` });
  await call(b, 'im.message.add', { DIALOG_ID: String(a), MESSAGE: 'with "quotes" \\ and unicode ✓ 😀 \u2028 <tag>' });
  await call(c, 'im.message.add', { DIALOG_ID: String(a), MESSAGE: `[USER=${d}][/USER] [USER=999999][/USER] ping`, ATTACH: [{ MESSAGE: 'att' }] });
  for (const chatId of chats.slice(0, 3)) {
    const m = await memberOf(chatId);
    await call(m, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `to the chat [USER=${m}][/USER] #BR# [s]gone[/s] [icon=x title=Star]` });
    await call(m, 'im.chat.mute', { CHAT_ID: chatId, MUTE: 'Y' });
    await call(m, 'im.recent.pin', { DIALOG_ID: `chat${chatId}`, PIN: 'Y' });
  }
  const deleted = await call(a, 'im.message.add', { DIALOG_ID: String(d), MESSAGE: 'to be deleted' });
  await call(a, 'im.message.add', { DIALOG_ID: String(d), MESSAGE: 'stays' });
  await call(a, 'im.message.delete', { MESSAGE_ID: deleted.result });
  await call(d, 'im.recent.pin', { DIALOG_ID: String(a), PIN: 'Y' });
  await call(d, 'im.recent.unread', { DIALOG_ID: String(c), ACTION: 'Y' });
  await call(b, 'im.recent.hide', { DIALOG_ID: String(c) });
  await app.users.update(c, { avatar: '/upload/c.png', phone: '+100200', absent: NOW + DAY, last_activity_date: NOW - 3600, departments: '[1,3]', website: 'x.test', gender: 'F', birthday: '01-02' });
  await app.users.update(users[5], { active: 0 });
  await app.users.update(users[6], { active: 0, network: 1, avatar: 'https://elsewhere.test/a.png' });
  await app.users.update(users[7], { name: '', last_name: 'Solo' });
  await app.users.update(users[8], { avatar: 'data:image/png;base64,iVBORw0KGgo=', departments: '[ 1, 2 ]' });
  await app.users.update(users[9], { avatar: '//elsewhere.test/a.png', name: 'Zoë', last_name: '' });
});

after(async () => {
  await store?.close();
  await target?.drop();
});

function options(originalText = false): ReferenceOptions {
  const config = app.config;
  return { zone: config.timezone, publicUrl: config.publicUrl, lang: config.language, originalText, now: NOW, windowDays: config.recentWindowDays };
}

test('im.recent.get: every user and filter answers what the object presenter answered', async () => {
  const o = options();
  const variants: [Record<string, unknown>, Parameters<typeof referenceGet>[2]][] = [
    [{}, {}],
    [{ SKIP_CHAT: 'Y' }, { skipChat: true }],
    [{ SKIP_DIALOG: 'Y' }, { skipDialog: true }],
    [{ SKIP_OPENLINES: 'Y', SKIP_CHAT: 'Y' }, { skipOpenlines: true, skipChat: true }],
    [{ ONLY_OPENLINES: 'Y' }, { onlyOpenlines: true }],
    [{ WITH_COUNTERS: 'N' }, { withCounters: false }],
    [{ LAST_UPDATE: atomOf(NOW - 2 * DAY) }, { lastUpdate: NOW - 2 * DAY }],
    [{ LAST_SYNC_DATE: atomOf(NOW - 30 * DAY) }, { lastSyncDate: NOW - 30 * DAY }],
  ];
  let items = 0;
  for (const id of users) {
    for (const [params, filter] of variants) {
      const got = text((await call(id, 'im.recent.get', params)).result);
      assert.equal(got, await referenceGet(store, id, filter, o), `user ${id} ${JSON.stringify(params)}`);
      if (!Object.keys(params).length) items += (JSON.parse(got) as unknown[]).length;
    }
  }
  assert.ok(items > 150, `compared ${items} items`);
});

test('im.recent.list: every user, page and filter answers what the object presenter answered', async () => {
  const variants: [Record<string, unknown>, Parameters<typeof referenceList>[2], boolean?][] = [
    [{}, { offset: 0, limit: 50 }],
    [{ LIMIT: 4, OFFSET: 3 }, { offset: 3, limit: 4 }],
    [{ GET_ORIGINAL_TEXT: 'Y' }, { offset: 0, limit: 50 }, true],
    [{ UNREAD_ONLY: 'Y' }, { offset: 0, limit: 50, unreadOnly: true }],
    [{ SKIP_DIALOG: 'Y', LIMIT: 3 }, { offset: 0, limit: 3, skipDialog: true }],
    [{ LAST_MESSAGE_DATE: atomOf(NOW - 10 * DAY) }, { offset: 0, limit: 50, lastMessageDate: NOW - 10 * DAY }],
  ];
  for (const id of users) {
    for (const [params, q, original] of variants) {
      const got = text((await call(id, 'im.recent.list', params)).result);
      assert.equal(got, await referenceList(store, id, q, options(original)), `user ${id} ${JSON.stringify(params)}`);
    }
  }
});
