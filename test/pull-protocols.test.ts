// Push & Pull beyond the default: protocol 5 (JSON-RPC, JWT) with the official pull client unchanged, the text
// framing of protocol 3 read by hand, and applications' own channels (pull.application.config.get / event.add).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { PullChild } from './helpers/pull.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

/** Opens a subscription and collects its text frames' messages. */
function subscribe(url: string) {
  const got: any[] = [];
  const ws = new WebSocket(url);
  ws.on('message', (data) => {
    const text = data.toString();
    for (const m of text.matchAll(/#!NGINXNMS!#(.*?)#!NGINXNME!#/gs)) got.push(JSON.parse(m[1]));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waitFor = async (match: (m: any) => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = got.find(match);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`nothing matched; got ${JSON.stringify(got).slice(0, 1000)}`);
  };
  return { ws, got, opened, waitFor };
}

describe('Push & Pull protocols and application channels', () => {
  let srv: TestServer;
  let ivan: any;
  let maria: any;
  let ivanHook: string;
  let mariaHook: string;
  let appToken: string;
  let client: PullChild;
  const plain = (hook: string) => hook.replace(srv.httpsUrl!, srv.url);

  before(async () => {
    srv = await startServer({ https: true, env: { B24IM_PULL_VERSION: '5' } });
    let ca: string;
    [ivan, maria, ca] = await Promise.all([srv.addUser('Ivan', 'Petrov'), srv.addUser('Maria', 'Sidorova'), srv.caPath()]);
    await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'board', '--scope', 'im,pull,pull_channel']);
    [ivanHook, mariaHook, appToken] = await Promise.all([
      srv.webhook(ivan.id),
      srv.webhook(maria.id),
      srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'board']).then((t) => t.access_token as string),
    ]);
    client = await PullChild.started(ca, ivanHook, ivan.id);
  });
  after(async () => {
    await client?.stop();
    await srv?.cleanup();
  });

  it('protocol 5: the official client connects with the JWT and JSON-RPC and gets messageChat', async () => {
    const cfg = await ok(plain(ivanHook), 'pull.config.get');
    assert.equal(cfg.server.version, 5);
    assert.match(cfg.jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const socket = new URL(client.reports.find((r) => r.type === 'socket')!.url);
    assert.equal(socket.searchParams.get('jsonRpc'), 'true');
    assert.ok(socket.searchParams.get('token'));
    assert.equal(socket.searchParams.get('CHANNEL_ID'), null);
    const chatId = await ok(plain(mariaHook), 'im.chat.add', { TITLE: 'RPC room', USERS: [ivan.id] });
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'over json-rpc' });
    const returned = Date.now();
    const ev = await client.waitFor((r) => r.command === 'messageChat' && r.params.message.id === sent);
    assert.ok(ev.at - returned < 1000, `arrived ${ev.at - returned} ms after the call returned`);
    assert.equal(ev.params.dialogId, `chat${chatId}`);
    assert.equal(ev.extra.sender.type, 2);
    // A forged token (another user's id, our signature kept) is refused with 4010.
    const [h, , sig] = cfg.jwt.split('.');
    const claims = Buffer.from(JSON.stringify({ sub: String(maria.id), exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${cfg.server.websocket}?token=${h}.${claims}.${sig}&jsonRpc=true`);
      ws.on('close', (c) => resolve(c));
      ws.on('error', () => {});
    });
    assert.equal(code, 4010);
  });

  it('text framing (protocol 3 and older): NGINX-delimited JSON with id, mid, tag, time and the body', async () => {
    const cfg = await ok(plain(mariaHook), 'pull.config.get');
    const sub = subscribe(`${cfg.server.websocket}?CHANNEL_ID=${encodeURIComponent(`${cfg.channels.private.id}/${cfg.channels.shared.id}`)}`);
    await sub.opened;
    const sent = await ok(plain(ivanHook), 'im.message.add', { DIALOG_ID: maria.id, MESSAGE: 'plain text frames' });
    const m = await sub.waitFor((x) => x.text?.command === 'message' && x.text.params.message.id === sent);
    assert.match(m.mid, /^\d{26}$/);
    assert.equal(typeof m.id, 'number');
    assert.match(m.tag, /^\d{3}$/);
    assert.ok(!Number.isNaN(Date.parse(m.time)));
    assert.equal(m.text.module_id, 'im');
    assert.equal(m.text.params.dialogId, ivan.id);
    assert.equal(m.text.params.counter, 1);
    sub.ws.close();
  });

  it('applications: pull.application.config.get gives the app\'s own channels; event.add reaches them, im events do not', async () => {
    const asApp = (method: string, params: Record<string, unknown> = {}) => rest(`${srv.url}/rest/`, method, { auth: appToken, ...params });
    const cfgAnswer = await asApp('pull.application.config.get');
    assert.equal(cfgAnswer.status, 200, JSON.stringify(cfgAnswer.body));
    const cfg = cfgAnswer.body.result;
    const userCfg = await ok(plain(ivanHook), 'pull.config.get');
    assert.notEqual(cfg.channels.private.id, userCfg.channels.private.id);
    const sub = subscribe(`${cfg.server.websocket}?CHANNEL_ID=${encodeURIComponent(`${cfg.channels.private.id}/${cfg.channels.shared.id}`)}`);
    await sub.opened;
    // pull.config.get is refused to an application (even one holding pull_channel), as on a portal.
    const refused = await asApp('pull.config.get');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'WRONG_AUTH_TYPE');
    const toMe = await asApp('pull.application.event.add', { COMMAND: 'grid_changed', PARAMS: { grid_id: 15 }, USER_ID: ivan.id });
    assert.equal(toMe.body.result, true);
    const m = await sub.waitFor((x) => x.text?.command === 'grid_changed');
    assert.deepEqual([m.text.module_id, m.text.params], ['application', { grid_id: 15 }]);
    await asApp('pull.application.event.add', { COMMAND: 'to_everyone', MODULE_ID: 'board.sync' });
    const shared = await sub.waitFor((x) => x.text?.command === 'to_everyone');
    assert.equal(shared.text.module_id, 'board.sync');
    // Ivan is no administrator: he may not send to Maria's channel.
    const other = await asApp('pull.application.event.add', { COMMAND: 'x', USER_ID: maria.id });
    assert.equal(other.body.error, 'USER_ID_ACCESS_ERROR');
    const bad = await asApp('pull.application.event.add', { COMMAND: 'bad command!' });
    assert.equal(bad.body.error, 'COMMAND_ERROR');
    const huge = await asApp('pull.application.event.add', { COMMAND: 'big', PARAMS: { blob: 'x'.repeat(70_000) } });
    assert.equal(huge.body.error, 'PARAMS_ERROR');
    // im events go to the user's own channels, not the application's.
    const sent = await ok(plain(mariaHook), 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'not for the app channel' });
    await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    await asApp('pull.application.event.add', { COMMAND: 'after', USER_ID: ivan.id });
    await sub.waitFor((x) => x.text?.command === 'after');
    assert.ok(!sub.got.some((x) => x.text?.module_id === 'im'), JSON.stringify(sub.got).slice(0, 500));
    // The webhook is no application: pull.application.* refuse it.
    const viaHook = await rest(plain(ivanHook), 'pull.application.event.add', { COMMAND: 'x' });
    assert.equal(viaHook.status, 403);
    sub.ws.close();
  });
});
