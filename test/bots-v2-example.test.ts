// examples/fetch-bot as a user runs it: a separate process configured with a webhook URL and a token only, polling
// imbot.v2.Event.get (no public URL). It answers messages with a keyboard, its /help command typed and pressed, and
// keeps its place across its own restart (OFFSET_FILE) without answering anything twice.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ok, ROOT, startServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/handler.ts';

function startBot(env: Record<string, string>): Promise<{ child: ChildProcess; botId: number; output: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'examples/fetch-bot/bot.mjs')], {
    cwd: ROOT,
    env: { ...process.env, POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fetch bot did not start: ${text}`)), 20_000);
    child.once('exit', () => reject(new Error(`fetch bot exited: ${text}`)));
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /fetch bot (\d+) polling/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({ child, botId: Number(m[1]), output: () => text });
      }
    });
  });
}

async function stopBot(bot: { child: ChildProcess }): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const gone = new Promise((resolve) => bot.child.once('exit', resolve));
  bot.child.kill('SIGTERM');
  await gone;
}

describe('examples/fetch-bot', () => {
  let srv: TestServer;
  let userHook: string;
  let env: Record<string, string>;
  let bot: Awaited<ReturnType<typeof startBot>>;

  before(async () => {
    srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100' } });
    const owner = await srv.addUser('Olga', 'Owner');
    const user = await srv.addUser('Ursula', 'User');
    userHook = await srv.webhook(user.id, 'im');
    env = { WEBHOOK_URL: await srv.webhook(owner.id, 'imbot,im'), BOT_TOKEN: 'example_token', OFFSET_FILE: path.join(srv.dir, 'offset') };
    bot = await startBot(env);
  });
  after(async () => {
    if (bot) await stopBot(bot);
    await srv?.cleanup();
  });

  const history = async () => (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: bot.botId, LIMIT: 50 })).messages as any[];
  const answered = (text: string) =>
    until(async () => (await history()).find((m) => m.author_id === bot.botId && m.text === text), 20_000).catch(() => {
      throw new Error(`no "${text}"; bot output: ${bot.output()}`);
    });

  it('answers a message with a keyboard, the /help command typed and pressed', async () => {
    await ok(userHook, 'im.message.add', { DIALOG_ID: bot.botId, MESSAGE: 'hello' });
    const reply = await answered('You said: hello');
    assert.equal(reply.params.KEYBOARD[0].COMMAND, 'help');
    await ok(userHook, 'im.message.add', { DIALOG_ID: bot.botId, MESSAGE: '/help billing' });
    await answered('Help on "billing" (textarea)');
    await ok(userHook, 'im.message.command', { MESSAGE_ID: reply.id, BOT_ID: bot.botId, COMMAND: 'help', COMMAND_PARAMS: 'keyboard' });
    await answered('Help on "keyboard" (keyboard)');
  });

  it('greets in a chat it is added to', async () => {
    const chatId = await ok(userHook, 'im.chat.add', { TITLE: 'With the bot', USERS: [bot.botId] });
    await until(async () => {
      const page = await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      return page.messages.some((m: any) => m.author_id === bot.botId && m.text.startsWith('Hi!'));
    }, 20_000);
  });

  it('after its own restart it goes on from its offset: nothing answered twice, nothing missed', async () => {
    await stopBot(bot);
    await ok(userHook, 'im.message.add', { DIALOG_ID: bot.botId, MESSAGE: 'while you were away' });
    const again = await startBot(env);
    assert.equal(again.botId, bot.botId, 'registering again answers the same bot');
    bot = again;
    await answered('You said: while you were away');
    const texts = (await history()).filter((m) => m.author_id === bot.botId).map((m) => m.text);
    assert.equal(texts.filter((t) => t === 'You said: hello').length, 1);
    assert.equal(texts.filter((t) => t === 'You said: while you were away').length, 1);
    assert.match(fs.readFileSync(env.OFFSET_FILE, 'utf8'), /^\d+$/, 'the offset file always holds an offset');
  });
});
