// Push & Pull in a large chat (more members than B24IM_FANOUT_LIMIT, the read-side fan-out path): every connected
// member gets the message once, each with their own unread counter, as im.recent.get then reports it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const MEMBERS = 40;

describe('Push & Pull in a large chat', () => {
  let srv: TestServer;
  let admin: string;
  const tokens = new Map<number, string>();
  const sockets: WebSocket[] = [];
  const got = new Map<number, any[]>();

  before(async () => {
    srv = await startServer({ env: { B24IM_FANOUT_LIMIT: '5' } });
    admin = await srv.webhook(1);
    const cmd: Record<string, string> = {};
    for (let i = 0; i < MEMBERS; i++) cmd[`u${i}`] = `user.add?NAME=M${i}&LAST_NAME=Fan&EMAIL=m${i}%40fan.test`;
    const ids = Object.values((await ok(admin, 'batch', { halt: 1, cmd })).result as Record<string, number>);
    // Access tokens (one CLI start each), in waves.
    for (let i = 0; i < ids.length; i += 10) {
      await Promise.all(
        ids.slice(i, i + 10).map(async (id) => tokens.set(id, (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(id)])).access_token)),
      );
    }
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await srv?.cleanup();
  });

  const as = (userId: number, method: string, params: Record<string, unknown> = {}) => ok(`${srv.url}/rest/`, method, { auth: tokens.get(userId), ...params });

  it('every member gets messageChat once, with their own counter', async () => {
    const members = [...tokens.keys()];
    const chatId = await ok(admin, 'im.chat.add', { TITLE: 'Large', USERS: members });
    await ok(admin, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'first' });
    // Half the members read up to here; the others keep their unread messages.
    const readers = members.filter((_, i) => i % 2 === 0);
    await Promise.all(readers.map((id) => as(id, 'im.dialog.read', { DIALOG_ID: `chat${chatId}` })));
    await Promise.all(
      members.map(async (id) => {
        const cfg = await as(id, 'pull.config.get');
        const ws = new WebSocket(`${cfg.server.websocket}?CHANNEL_ID=${encodeURIComponent(`${cfg.channels.private.id}/${cfg.channels.shared.id}`)}`);
        sockets.push(ws);
        got.set(id, []);
        ws.on('message', (data) => {
          for (const m of data.toString().matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/gs)) got.get(id)!.push(JSON.parse(m[1]).text);
        });
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      }),
    );
    const sent = await ok(admin, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'to everyone' });
    const returned = Date.now();
    const deadline = returned + 10_000;
    const has = (id: number) => got.get(id)!.filter((b) => b.command === 'messageChat' && b.params.message.id === sent);
    while (members.some((id) => has(id).length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const late = Date.now() - returned;
    assert.deepEqual(members.filter((id) => has(id).length !== 1), [], 'every member exactly once');
    assert.ok(late < 1000, `the last member had it ${late} ms after the call returned`);
    const recents = await Promise.all(members.map((id) => as(id, 'im.recent.get')));
    members.forEach((id, i) => {
      const ev = has(id)[0];
      const item = recents[i].find((r: any) => r.id === `chat${chatId}`);
      assert.equal(ev.params.counter, item.counter, `member ${id}`);
      assert.equal(ev.params.dialogId, `chat${chatId}`);
    });
    // Readers have 1 unread (the new message), the others more.
    assert.ok(readers.every((id) => has(id)[0].params.counter === 1));
    assert.ok(members.filter((id) => !readers.includes(id)).every((id) => has(id)[0].params.counter > 1));
    // Large chats skip per-read notices to every member, but the reader still gets their own.
    await as(members[1], 'im.dialog.read', { DIALOG_ID: `chat${chatId}` });
    const end = Date.now() + 5000;
    while (!got.get(members[1])!.some((b) => b.command === 'readMessageChat') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.ok(got.get(members[1])!.some((b) => b.command === 'readMessageChat' && b.params.counter === 0));
  });
});
