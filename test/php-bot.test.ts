// A PHP chat bot written the way portal bots are written (test/fixtures/php/portal-bot.php), served by real
// `php -S`, installed with `b24im app add/install`, and driven through every path of the classic bot API: install
// (bot + commands), welcome, echo, a typed command answered with imbot.command.answer, keyboard buttons (help,
// list, paging in place), a group chat's welcome and mention, a forged event refused, and unregistering.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addApp, install, until } from './helpers/handler.ts';
import { ROOT, ok, rest, startServer, type TestServer } from './helpers/server.ts';

const BOT_SCRIPT = path.join(ROOT, 'test/fixtures/php/portal-bot.php');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `php -S` with the bot as its router; resolves once the server says it started. */
async function startPhp(stateDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, BOT_SCRIPT], { env: { ...process.env, BOT_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`php -S did not start: ${out}`)), 15_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/Development Server .* started/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`php -S exited ${code}: ${out}`)));
  });
  return { url: `http://127.0.0.1:${port}/bot.php`, child };
}

describe('a PHP bot written like a portal bot', () => {
  let srv: TestServer;
  let php: { url: string; child: ChildProcess };
  let stateDir: string;
  let hook: string;
  let ivan: any;
  let anna: any;
  let botId: number;
  let appToken: string;

  /** The bot's log lines (one per event it handled). */
  const handled = (): any[] => {
    const file = path.join(stateDir, 'events.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  const waitHandled = (pred: (e: any) => boolean) => until(async () => handled().find(pred), 15_000, 50);
  const history = async (dialog: string | number) => (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: dialog })).messages as any[];
  /** Waits for a message in the dialog that matches. */
  const waitMessage = (dialog: string | number, pred: (m: any) => boolean) => until(async () => (await history(dialog)).find(pred), 15_000, 100);

  before(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24im-php-bot-'));
    [srv, php] = await Promise.all([startServer({ env: { B24IM_EVENT_POLL_MS: '100' } }), startPhp(stateDir)]);
    [ivan, anna] = await Promise.all([srv.addUser('Ivan', 'Petrov'), srv.addUser('Anna', 'Smirnova'), addApp(srv, 'phpbot', php.url)]);
    [hook, appToken] = await Promise.all([
      srv.webhook(ivan.id),
      srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id), '--app', 'phpbot']).then((t) => t.access_token as string),
    ]);
  });
  after(async () => {
    php?.child.kill();
    await srv?.cleanup();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('install: ONAPPINSTALL registers the bot and its three commands', async () => {
    await install(srv, 'phpbot', ivan.id);
    const line = await waitHandled((e) => e.event === 'ONAPPINSTALL');
    botId = line.bot_id;
    assert.equal(typeof botId, 'number');
    assert.deepEqual(Object.keys(line.commands), ['echo', 'list', 'help']);
    assert.ok(Object.values(line.commands).every((id) => typeof id === 'number'), JSON.stringify(line.commands));
    const user = await ok(hook, 'im.user.get', { ID: botId });
    assert.equal(user.bot_data.code, 'php_portal_bot');
  });

  it('the first message gets a welcome with a keyboard, then an echo with an attachment', async () => {
    await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hello bot' });
    const welcome = await waitMessage(botId, (m) => m.text === 'Welcome! Type /help.');
    assert.equal(welcome.author_id, botId);
    assert.deepEqual(welcome.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'Private instructions' }]);
    assert.equal(welcome.params.KEYBOARD[0].COMMAND, 'help');
    const echo = await waitMessage(botId, (m) => m.text === 'You said: hello bot');
    assert.equal(echo.params.ATTACH[0].COLOR, '#29a74c');
    assert.deepEqual(echo.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'from Ivan Petrov' }, { DELIMITER: { SIZE: 100 } }]);
  });

  it('a typed /echo is answered through imbot.command.answer', async () => {
    await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo ping' });
    const answer = await waitMessage(botId, (m) => m.text === 'Echo: ping');
    assert.deepEqual(answer.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'context TEXTAREA' }]);
    assert.equal(handled().filter((e) => e.event === 'ONIMBOTMESSAGEADD').length, 1, 'the command was not a message event');
  });

  it('keyboard buttons: help, echo, list, and paging the list in place', async () => {
    await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/help' });
    const help = await waitMessage(botId, (m) => m.text === 'Commands: /echo, /list, /help');
    assert.deepEqual(help.params.KEYBOARD.map((b: any) => b.TYPE === 'NEWLINE' ? 'NEWLINE' : b.LINK ?? b.COMMAND), ['https://example.com/docs', 'NEWLINE', 'echo', 'list']);
    await ok(hook, 'im.message.command', { MESSAGE_ID: help.id, BOT_ID: botId, COMMAND: 'echo', COMMAND_PARAMS: 'from keyboard' });
    const echoed = await waitMessage(botId, (m) => m.text === 'Echo: from keyboard');
    assert.deepEqual(echoed.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'context KEYBOARD' }]);
    await ok(hook, 'im.message.command', { MESSAGE_ID: help.id, BOT_ID: botId, COMMAND: 'list' });
    const list = await waitMessage(botId, (m) => m.text === 'Colours');
    assert.equal(list.params.ATTACH[0].BLOCKS[0].GRID[0].NAME, 'RED');
    assert.equal(list.params.KEYBOARD[0].TEXT, '[1]');
    await ok(hook, 'im.message.command', { MESSAGE_ID: list.id, BOT_ID: botId, COMMAND: 'list', COMMAND_PARAMS: '2' });
    const paged = await waitMessage(botId, (m) => m.id === list.id && m.params.ATTACH[0].BLOCKS[0].GRID[0].NAME === 'MINT');
    assert.equal(paged.params.KEYBOARD[1].TEXT, '[2]');
    assert.equal(paged.params.IS_EDITED, undefined);
    assert.equal((await history(botId)).filter((m) => m.text === 'Colours').length, 1, 'paged in place, not posted again');
  });

  it('a group chat: welcome on joining, an answer to a mention, silence otherwise', async () => {
    const chatId = await ok(hook, 'im.chat.add', { TITLE: 'With the bot', USERS: [anna.id, botId] });
    const welcome = await waitMessage(`chat${chatId}`, (m) => m.text === 'Welcome! Type /help.');
    assert.deepEqual(welcome.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'Chat instructions' }]);
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'not for the bot' });
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `[USER=${botId}]PHP Bot[/USER] are you there?` });
    await waitMessage(`chat${chatId}`, (m) => m.text === 'You said: are you there?');
    assert.equal((await history(`chat${chatId}`)).filter((m) => m.author_id === botId).length, 2);
  });

  it('a forged event (wrong application_token) is refused by the bot', async () => {
    const res = await fetch(php.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ event: 'ONIMBOTMESSAGEADD', 'auth[application_token]': 'forged', 'data[PARAMS][DIALOG_ID]': String(ivan.id), 'data[PARAMS][MESSAGE]': 'x' }),
    });
    assert.equal(res.status, 403);
  });

  it('unregistering the bot sends ONIMBOTDELETE; its commands are gone', async () => {
    const token = appToken;
    assert.equal((await rest(`${srv.url}/rest/`, 'imbot.unregister', { BOT_ID: botId, auth: token })).body.result, true);
    await waitHandled((e) => e.event === 'ONIMBOTDELETE');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')), []);
    // Its commands went with it: no command to answer, and no ONIMCOMMANDADD handler left to post to.
    const echoId = handled().find((e) => e.event === 'ONAPPINSTALL').commands.echo;
    const answer = await rest(`${srv.url}/rest/`, 'imbot.command.answer', { COMMAND_ID: echoId, MESSAGE_ID: 1, MESSAGE: 'x', auth: token });
    assert.equal(answer.body.error, 'COMMAND_ID_ERROR');
    const bound = (await rest(`${srv.url}/rest/`, 'event.get', { auth: token })).body.result;
    assert.deepEqual(bound.filter((h: any) => h.event === 'ONIMCOMMANDADD'), []);
  });
});
