// Push & Pull: the official SDK's pull client (helpers/pull-child.ts, unchanged) against a real b24im server. It
// bootstraps from pull.config.get through a webhook, connects to /bitrix/subws/, and must receive the im events of
// REST calls made by other users within 1 s of the call returning; after a server restart it reconnects and gets
// what was sent while it was away.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PullChild } from './helpers/pull.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const WITHIN_MS = 1000;
/** Long polls are held below the idle-socket timeout: 8 s makes them 3 s. */
const SHORT_HOLD = { B24IM_IDLE_TIMEOUT_MS: '8000' };

/** NGINX-framed messages of a long-poll answer. */
function textMessages(body: string): any[] {
  return [...body.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/gs)].map((m) => JSON.parse(m[1]));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('Push & Pull with the official pull client', () => {
  let srv: TestServer;
  let ca: string;
  let ivan: any;
  let maria: any;
  let ivanHook: string;
  let mariaHook: string;
  let adminHook: string;
  let client: PullChild;

  let ports: number[];

  before(async () => {
    // Fixed ports, so the restarted server is where the client's config points.
    ports = await Promise.all([freePort(), freePort()]);
    srv = await startServer({ https: true, args: ['--port', String(ports[0])], env: { B24IM_HTTPS_PORT: String(ports[1]), ...SHORT_HOLD } });
    [ivan, maria, ca] = await Promise.all([srv.addUser('Ivan', 'Petrov'), srv.addUser('Maria', 'Sidorova'), srv.caPath()]);
    [ivanHook, mariaHook, adminHook] = await Promise.all([srv.webhook(ivan.id), srv.webhook(maria.id), srv.webhook(1)]);
    client = await PullChild.started(ca, ivanHook, ivan.id);
  });
  after(async () => {
    await client?.stop();
    await srv?.cleanup();
  });

  const plain = (hook: string) => hook.replace(srv.httpsUrl!, srv.url);

  it('pull.config.get answers the config the client connected with (protocol 4, signed channels, own ports)', async () => {
    const cfg = await ok(plain(ivanHook), 'pull.config.get', { CACHE: 'N' });
    assert.equal(cfg.server.version, 4);
    // On the server's public URLs (B24IM_PUBLIC_URL / B24IM_PUBLIC_HTTPS_URL; localhost and the ports by default).
    const ws = new URL(cfg.server.websocket);
    const wss = new URL(cfg.server.websocket_secure);
    assert.deepEqual([ws.protocol, ws.port, ws.pathname], ['ws:', String(ports[0]), '/bitrix/subws/']);
    assert.deepEqual([wss.protocol, wss.port, wss.pathname], ['wss:', String(ports[1]), '/bitrix/subws/']);
    assert.equal(cfg.api.revision_web, 19);
    assert.match(cfg.channels.private.id, /^[0-9a-f]{32}:[0-9a-f]{32}\.[0-9a-f]{40}$/);
    assert.match(cfg.channels.shared.id, /^[0-9a-f]{32}\.[0-9a-f]{40}$/);
    assert.ok(Date.parse(cfg.channels.private.end) > Date.now());
    assert.ok(typeof cfg.serverTime === 'string');
    const socket = client.reports.find((r) => r.type === 'socket')!;
    const url = new URL(socket.url);
    assert.equal(url.pathname, '/bitrix/subws/');
    assert.equal(url.searchParams.get('CHANNEL_ID'), `${cfg.channels.private.id}/${cfg.channels.shared.id}`);
    assert.equal(url.searchParams.get('binaryMode'), 'true');
    // Another user's channels differ.
    const other = await ok(plain(mariaHook), 'pull.config.get');
    assert.notEqual(other.channels.private.id, cfg.channels.private.id);
  });

  it('delivers `message` for a dialog with the counter and the dialog id as the receiver sees them', async () => {
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'hello over pull' });
    const returned = Date.now();
    const ev = await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    assert.ok(ev.at - returned < WITHIN_MS, `arrived ${ev.at - returned} ms after the call returned`);
    assert.equal(ev.params.dialogId, maria.id);
    assert.equal(ev.params.counter, 1);
    assert.equal(ev.params.message.text, 'hello over pull');
    assert.equal(ev.params.message.senderId, maria.id);
    assert.equal(ev.extra.revision_web, 19);
    assert.equal(ev.extra.sender.type, 2);
    assert.ok(ev.params.users[String(maria.id)]);
  });

  it('delivers `messageChat` for a group chat with the chat dialog id', async () => {
    const chatId = await ok(plain(mariaHook), 'im.chat.add', { TITLE: 'Pull room', USERS: [ivan.id] });
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'to the room' });
    const returned = Date.now();
    const ev = await client.waitFor((r) => r.command === 'messageChat' && r.params.message.id === sent);
    assert.ok(ev.at - returned < WITHIN_MS, `arrived ${ev.at - returned} ms after the call returned`);
    assert.equal(ev.params.dialogId, `chat${chatId}`);
    assert.equal(ev.params.chatId, chatId);
    // The receiver's own unread counter, the one im.recent.get shows him (the chat's creation note counts too).
    const item = (await ok(plain(ivanHook), 'im.recent.get')).find((i: any) => i.id === `chat${chatId}`);
    assert.equal(ev.params.counter, item.counter);
    assert.ok(ev.params.counter >= 1);
    assert.deepEqual(ev.params.userInChat[String(chatId)].sort(), [ivan.id, maria.id].sort());
    assert.equal(ev.params.chat[String(chatId)].name, 'Pull room');
    // The chat's creation told Ivan he was added.
    await client.waitFor((r) => r.command === 'chatUserAdd' && r.params.chatId === chatId);
  });

  it('delivers messageUpdate and messageDelete', async () => {
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'typo' });
    await ok(plain(mariaHook), 'im.message.update', { MESSAGE_ID: sent, MESSAGE: 'fixed' });
    const upd = await client.waitFor((r) => r.command === 'messageUpdate' && r.params.id === sent);
    assert.equal(upd.params.text, 'fixed');
    await ok(plain(mariaHook), 'im.message.delete', { MESSAGE_ID: sent });
    await client.waitFor((r) => r.command === 'messageDelete' && r.params.id === sent);
  });

  it('never delivers another user\'s dialog', async () => {
    const marker = `secret-${Date.now()}`;
    await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: 1, MESSAGE: marker });
    // A later message to Ivan arrives; the earlier one between others must not have.
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'after the secret' });
    await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    assert.ok(!client.events().some((r) => JSON.stringify(r.params).includes(marker)));
  });

  it('delivers read marks: readMessage to the reader (another tab of his), readMessageOpponent to the other side', async () => {
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'read me' });
    await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    await ok(plain(ivanHook), 'im.dialog.read', { DIALOG_ID: maria.id });
    const returned = Date.now();
    const own = await client.waitFor((r) => r.command === 'readMessage' && r.params.lastId === sent);
    assert.ok(own.at - returned < WITHIN_MS, `arrived ${own.at - returned} ms after the call returned`);
    assert.equal(own.params.dialogId, maria.id);
    assert.equal(own.params.counter, 0);
    // Maria reads what Ivan wrote: Ivan's client learns that she did.
    const reply = await ok(plain(ivanHook), 'im.message.add', { DIALOG_ID: maria.id, MESSAGE: 'seen?' });
    await ok(plain(mariaHook), 'im.dialog.read', { DIALOG_ID: ivan.id });
    const opp = await client.waitFor((r) => r.command === 'readMessageOpponent' && r.params.lastId === reply);
    assert.equal(opp.params.userId, maria.id);
    assert.equal(opp.params.dialogId, maria.id);
  });

  it('delivers chatPin, chatUnread, chatHide and unreadMessage for the user\'s own recent item', async () => {
    await ok(plain(ivanHook), 'im.recent.pin', { DIALOG_ID: maria.id, PIN: 'Y' });
    const pin = await client.waitFor((r) => r.command === 'chatPin' && r.params.active === true);
    assert.equal(pin.params.dialogId, maria.id);
    await ok(plain(ivanHook), 'im.recent.unread', { DIALOG_ID: maria.id, ACTION: 'Y' });
    await client.waitFor((r) => r.command === 'chatUnread' && r.params.dialogId === maria.id && r.params.active === true);
    const first = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'one' });
    await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'two' });
    await ok(plain(ivanHook), 'im.dialog.read', { DIALOG_ID: maria.id });
    await ok(plain(ivanHook), 'im.dialog.unread', { DIALOG_ID: maria.id, MESSAGE_ID: first });
    const unread = await client.waitFor((r) => r.command === 'unreadMessage' && r.params.dialogId === maria.id);
    assert.equal(unread.params.counter, 2);
    await ok(plain(ivanHook), 'im.recent.hide', { DIALOG_ID: maria.id });
    await client.waitFor((r) => r.command === 'chatHide' && r.params.dialogId === maria.id);
  });

  it('delivers startWriting from im.dialog.writing and chatRename to the members', async () => {
    await ok(plain(mariaHook), 'im.dialog.writing', { DIALOG_ID: ivan.id });
    const returned = Date.now();
    const w = await client.waitFor((r) => r.command === 'startWriting' && r.params.userId === maria.id);
    assert.ok(w.at - returned < WITHIN_MS);
    assert.equal(w.params.dialogId, maria.id);
    assert.equal(w.params.userName, 'Maria Sidorova');
    const chatId = await ok(plain(mariaHook), 'im.chat.add', { TITLE: 'Old name', USERS: [ivan.id] });
    await ok(plain(mariaHook), 'im.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'New name' });
    const ren = await client.waitFor((r) => r.command === 'chatRename' && r.params.chatId === chatId);
    assert.equal(ren.params.name, 'New name');
    // Ivan's own typing is not sent back to him.
    await ok(plain(ivanHook), 'im.dialog.writing', { DIALOG_ID: `chat${chatId}` });
    const later = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'after typing' });
    await client.waitFor((r) => r.command === 'messageChat' && r.params.message.id === later);
    assert.ok(!client.events('startWriting').some((r) => r.params.userId === ivan.id));
  });

  it('delivers user status changes (module online, userStatus) to every connected user', async () => {
    await ok(plain(mariaHook), 'im.user.status.set', { STATUS: 'dnd' });
    const ev = await client.waitFor((r) => r.moduleId === 'online' && r.command === 'userStatus' && r.params.users[String(maria.id)]?.status === 'dnd');
    assert.equal(ev.params.users[String(maria.id)].id, maria.id);
    await ok(plain(mariaHook), 'im.user.status.idle.start', { AGO: 5 });
    const idle = await client.waitFor((r) => r.command === 'userStatus' && r.params.users[String(maria.id)]?.idle !== false);
    assert.ok(Date.parse(idle.params.users[String(maria.id)].idle) < Date.now() - 4 * 60_000);
  });

  it('refuses a tampered channel with 4010 and pull.config.get through an application token with 403 WRONG_AUTH_TYPE', async () => {
    const cfg = await ok(plain(ivanHook), 'pull.config.get');
    const tampered = cfg.channels.private.id.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'));
    const { WebSocket } = await import('ws');
    const code = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${cfg.server.websocket}?CHANNEL_ID=${tampered}&binaryMode=true`);
      ws.on('close', (c) => resolve(c));
      ws.on('error', reject);
    });
    assert.equal(code, 4010);
    const r = await rest(plain(adminHook), 'pull.application.config.get');
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'WRONG_AUTH_TYPE');
  });

  it('long polling: a held request answers with the message; nothing new is a 304 with the resume point', async () => {
    const cfg = await ok(plain(ivanHook), 'pull.config.get');
    const base = `${srv.url}/bitrix/sub/?CHANNEL_ID=${encodeURIComponent(`${cfg.channels.private.id}/${cfg.channels.shared.id}`)}`;
    // Nothing for Ivan while the request is held: 304 with the portal's marker and a resume point.
    const idle = await fetch(base);
    assert.equal(idle.status, 304);
    assert.equal(idle.headers.get('expires'), 'Thu, 01 Jan 1973 11:11:01 GMT');
    const resumeAt = idle.headers.get('last-message-id')!;
    assert.match(resumeAt, /^\d{26}$/);
    // Sent between two requests: the next request, resuming there, answers at once.
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'between polls' });
    await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    const res = await fetch(`${base}&mid=${resumeAt}`);
    assert.equal(res.status, 200);
    const got = textMessages(await res.text());
    const msg = got.find((m) => m.text.command === 'message' && m.text.params.message.id === sent);
    assert.ok(msg, JSON.stringify(got).slice(0, 500));
    assert.equal(msg.text.params.dialogId, maria.id);
    // Held, then answered by a message sent while it waits.
    const held = fetch(`${base}&mid=${msg.mid}`);
    await new Promise((r) => setTimeout(r, 300));
    const live = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'while held' });
    const answer = await held;
    assert.equal(answer.status, 200);
    assert.deepEqual(textMessages(await answer.text()).map((m) => m.text.params.message?.id), [live]);
    // A wrong channel is refused.
    assert.equal((await fetch(`${srv.url}/bitrix/sub/?CHANNEL_ID=${'0'.repeat(32)}.${'0'.repeat(40)}`)).status, 400);
  });

  it('after a server restart the client reconnects and gets what was sent while it was away', async () => {
    const sockets = client.reports.filter((r) => r.type === 'socket').length;
    await srv.stop();
    // Sent while the server is down for the client (another process on the same database and ports comes up).
    srv = await startServer({ dir: srv.dir, https: true, args: ['--port', String(ports[0])], env: { B24IM_HTTPS_PORT: String(ports[1]), ...SHORT_HOLD } });
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'while you were away' });
    // The client retries after 0.5 s (the server was still down), then after 15-18 s, with its last message id.
    const ev = await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent, 40_000);
    assert.equal(ev.params.message.text, 'while you were away');
    const resumed = client.reports.filter((r) => r.type === 'socket').slice(sockets);
    assert.ok(resumed.some((r) => new URL(r.url).searchParams.get('mid')), JSON.stringify(resumed));
    // Delivered once, not again on a later reconnect.
    assert.equal(client.events('message').filter((r) => r.params.message.id === sent).length, 1);
  });
});
