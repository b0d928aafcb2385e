// Bots of inbound webhooks (DECISIONS 18): registered with a CLIENT_ID through a webhook, driven only through it.
// examples/webhook-bot runs as a separate process, configured with nothing but a webhook URL.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ok, rest, ROOT, startServer, type TestServer } from './helpers/server.ts';
import { HandlerServer, until } from './helpers/handler.ts';

async function startWebhookBot(webhookUrl: string): Promise<{ child: ChildProcess; botId: number; output: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'examples/webhook-bot/bot.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', WEBHOOK_URL: webhookUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const botId = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`webhook bot did not start: ${text}`)), 20_000);
    child.once('exit', () => reject(new Error(`webhook bot exited: ${text}`)));
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /webhook bot (\d+) listening/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  return { child, botId, output: () => text };
}

describe('webhook bots (CLIENT_ID)', () => {
  let srv: TestServer;
  let ownerHook: string;
  let userHook: string;
  let bot: Awaited<ReturnType<typeof startWebhookBot>>;

  before(async () => {
    srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100' } });
    const owner = await srv.addUser('Olga', 'Owner');
    const user = await srv.addUser('Ursula', 'User');
    ownerHook = await srv.webhook(owner.id, 'imbot,im');
    userHook = await srv.webhook(user.id);
    bot = await startWebhookBot(ownerHook);
  });
  after(async () => {
    bot?.child.kill();
    await srv.cleanup();
  });

  it('answers messages and commands; its events carry the webhook auth block, no tokens', async () => {
    const hi = await ok(userHook, 'im.message.add', { DIALOG_ID: bot.botId, MESSAGE: 'hello bot' });
    const history = async () => (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: bot.botId })).messages as any[];
    await until(async () => (await history()).some((m) => m.author_id === bot.botId && m.text === 'You said: hello bot'), 15_000).catch(() => {
      throw new Error(`no answer; bot output: ${bot.output()}`);
    });
    assert.ok((await history()).some((m) => m.author_id === bot.botId && m.text.startsWith('Hi!')), 'welcome on ONIMBOTJOINCHAT');
    assert.ok(hi > 0);
    await ok(userHook, 'im.message.add', { DIALOG_ID: bot.botId, MESSAGE: '/echo ping' });
    await until(async () => (await history()).some((m) => m.author_id === bot.botId && m.text === 'echo: ping'), 15_000);
    assert.ok(!(await history()).some((m) => m.text === 'You said: /echo ping'), 'a command is not also a message event');
  });

  it('the event form: data[BOT] and auth without tokens, with the application token', async () => {
    // A second bot of the same webhook under another CLIENT_ID, whose handler records what it gets.
    const handler = await HandlerServer.start();
    try {
      const botId = await ok(ownerHook, 'imbot.register', { CODE: 'recorder', CLIENT_ID: 'recorder-1', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'Recorder' } });
      const id = await ok(userHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'look at the form' });
      const got = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(id));
      const auth = got.body.auth;
      assert.deepEqual(Object.keys(auth).sort(), ['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint']);
      assert.equal(auth.client_endpoint, `${srv.url}/rest/`);
      const block = got.body.data.BOT[String(botId)];
      assert.equal(block.BOT_ID, String(botId));
      assert.equal(block.BOT_CODE, 'recorder');
      assert.equal(block.application_token, auth.application_token);
      assert.equal(block.access_token, undefined);
      // The same CLIENT_ID names the bot in later calls; another webhook's or a missing CLIENT_ID does not.
      assert.equal(await ok(ownerHook, 'imbot.message.add', { CLIENT_ID: 'recorder-1', BOT_ID: botId, DIALOG_ID: 1, MESSAGE: 'x' }) > 0, true);
      const other = await rest(ownerHook, 'imbot.message.add', { CLIENT_ID: 'someone-else', BOT_ID: botId, DIALOG_ID: 1, MESSAGE: 'x' });
      assert.equal(other.status, 400);
      assert.equal(other.body.error, 'BOT_ID_ERROR');
      const foreign = await rest(ownerHook, 'imbot.message.add', { CLIENT_ID: 'webhook-echo-bot-7f3c', BOT_ID: botId, DIALOG_ID: 1, MESSAGE: 'x' });
      assert.equal(foreign.body.error, 'APP_ID_ERROR');
      const none = await rest(ownerHook, 'imbot.message.add', { BOT_ID: botId, DIALOG_ID: 1, MESSAGE: 'x' });
      assert.equal(none.status, 403);
      assert.deepEqual(none.body, { error: 'ACCESS_DENIED', error_description: 'Access denied! Client ID not specified' });
      const unregistered = await rest(ownerHook, 'imbot.register', { CODE: 'noclient', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'N' } });
      assert.equal(unregistered.body.error, 'ACCESS_DENIED');
      await ok(ownerHook, 'imbot.unregister', { CLIENT_ID: 'recorder-1', BOT_ID: botId });
    } finally {
      await handler.close();
    }
  });

  it('every documented scope is known: app add and webhook add accept disk, pull, crm ...; scope full=true lists them', async () => {
    const added = await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'scoped', '--scope', 'im,imbot,disk,pull,imopenlines,crm,user_brief']);
    assert.ok(added);
    const hook = await srv.webhook(1, 'im,disk,pull');
    assert.deepEqual((await ok(hook, 'scope')).sort(), ['disk', 'im', 'pull']);
    const full = await ok(hook, 'scope', { full: true });
    for (const s of ['disk', 'pull', 'crm', 'imopenlines', 'user_brief', 'tasks']) assert.ok(full.includes(s), s);
    const bad = await srv.cli(['app', 'add', '--db', srv.dbPath, '--code', 'badscope', '--scope', 'im,nosuchscope']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unknown scope\(s\): nosuchscope/);
  });
});
