// The version triggers of migration 081, table by table, in plain SQL beside the app (no write path of the app is
// trusted): each write moves the token of exactly the users whose im.recent.get it may change, and leaves the others'.
// The end-to-end proof (cached answers equal uncached ones) is test/recent-cache.test.ts.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { SqlStore } from '../src/store/sql/index.ts';
import { testTarget, type TestTarget } from './helpers/store.ts';

const T0 = 1_700_000_000;
let target: TestTarget;
let store: SqlStore;
const U = { a: 0, b: 0, c: 0 };

before(async () => {
  target = await testTarget();
  store = await target.open();
  for (const k of Object.keys(U) as (keyof typeof U)[]) {
    U[k] = Number((await db().insertInto('users').values({ name: k, date_register: T0 }).returning('id').executeTakeFirstOrThrow()).id);
  }
});
after(async () => {
  await store?.close();
  await target?.drop();
});

/** Runs a write and answers which users' tokens moved. */
async function moved(write: () => Promise<unknown>): Promise<number[]> {
  const ids = Object.values(U);
  const before = await Promise.all(ids.map((id) => store.recentVersions.token(id)));
  await write();
  const after = await Promise.all(ids.map((id) => store.recentVersions.token(id)));
  return ids.filter((_, i) => before[i] !== after[i]);
}

/** Untyped: the rows here fill only the columns without defaults. */
const db = () => store.kysely as unknown as Kysely<any>;
const exec = (q: { execute(): Promise<unknown> }) => () => q.execute();

async function chat(large: 0 | 1, members: number[]): Promise<number> {
  const id = Number((await db().insertInto('chats').values({ type: 'C', title: 't', date_create: T0, date_update: T0, large }).returning('id').executeTakeFirstOrThrow()).id);
  for (const user_id of members) {
    await db().insertInto('members').values({ chat_id: id, user_id, item_type: 'C', item_id: id, large, date_join: T0, date_update: T0, date_last_activity: T0 }).execute();
  }
  return id;
}

const message = async (chatId: number, seq: number, author: number) =>
  Number((await db().insertInto('messages').values({ chat_id: chatId, seq, author_id: author, text: `m${seq}`, date: T0 + seq }).returning('id').executeTakeFirstOrThrow()).id);

it('members rows move their own user; small chats move their members; large chats their members through the chat', async () => {
  let small = 0;
  assert.deepEqual(await moved(async () => (small = await chat(0, [U.a, U.b]))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('members').set({ pinned: 1 }).where('chat_id', '=', small).where('user_id', '=', U.a))), [U.a]);
  assert.deepEqual(await moved(exec(db().updateTable('chats').set({ title: 'renamed' }).where('id', '=', small))), [U.a, U.b]);
  let large = 0;
  assert.deepEqual(await moved(async () => (large = await chat(1, [U.a, U.c]))), [U.a, U.c]);
  assert.deepEqual(await moved(exec(db().updateTable('chats').set({ title: 'renamed' }).where('id', '=', large))), [U.a, U.c]);
  assert.deepEqual(await moved(exec(db().updateTable('chats').set({ color: '#aa0000' }).where('id', '=', large))), [U.a, U.c]);
  assert.deepEqual(await moved(exec(db().deleteFrom('members').where('chat_id', '=', large).where('user_id', '=', U.c))), [U.c]);
  // A chat growing large: both sides bump while it flips, then chat-level changes reach the members through the chat.
  assert.deepEqual(await moved(exec(db().updateTable('chats').set({ large: 1 }).where('id', '=', small))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('members').set({ large: 1 }).where('chat_id', '=', small))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('chats').set({ title: 'large now' }).where('id', '=', small))), [U.a, U.b]);
});

it('messages: the last one\'s shown fields and any deletion move the chat; older messages\' delivered marks do not', async () => {
  const c = await chat(0, [U.a, U.b]);
  const first = await message(c, 1, U.a);
  const last = await message(c, 2, U.a);
  await db().updateTable('chats').set({ last_seq: 2, last_message_id: last }).where('id', '=', c).execute();
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ notify_read: 1 }).where('id', '=', first))), []);
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ text: 'older edit' }).where('id', '=', first))), []);
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ params: '{"LIKE":[1]}' }).where('id', '=', last))), []);
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ notify_read: 1 }).where('id', '=', last))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ text: 'edited' }).where('id', '=', last))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('messages').set({ deleted: 1 }).where('id', '=', first))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().deleteFrom('messages').where('id', '=', first))), [U.a, U.b]);
});

it('open-line sessions move their chat; user profiles move everyone, unless nothing changed', async () => {
  const c = await chat(0, [U.a, U.b]);
  const session = { chat_id: c, line_id: 1, connector_id: 'x', user_code: 'x|1|1|1', customer_id: U.b, status: 0, date_create: T0, date_modify: T0 };
  let id = 0;
  assert.deepEqual(await moved(async () => (id = Number((await db().insertInto('ol_sessions').values(session).returning('id').executeTakeFirstOrThrow()).id))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('ol_sessions').set({ status: 20 }).where('id', '=', id))), [U.a, U.b]);
  assert.deepEqual(await moved(exec(db().updateTable('users').set({ work_position: 'boss' }).where('id', '=', U.c))), [U.a, U.b, U.c]);
  assert.deepEqual(await moved(exec(db().updateTable('users').set({ name: sql<string>`name` }).where('id', '=', U.c))), []);
  assert.deepEqual(await moved(exec(db().insertInto('users').values({ name: 'new', date_register: T0 }))), [U.a, U.b, U.c]);
});
