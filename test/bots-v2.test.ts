// Bots 2.0 (imbot.v2) over real HTTP against a real server process: the docs' quick-start verbatim, the botToken
// rules, the fetch queue's offset / acknowledgement / limit, a restart between fetches, and the events' payloads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/handler.ts';

const FAST = { B24IM_EVENT_POLL_MS: '100' };

/** Polls Event.get from `offset` until `pred` holds for the events gathered (acknowledging as a bot does). */
async function fetchUntil(hook: string, botId: number, token: string, pred: (events: any[]) => boolean, offset?: number) {
  const seen: any[] = [];
  let next = offset;
  await until(async () => {
    const r = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, ...(next !== undefined ? { offset: next } : {}), limit: 100 });
    seen.push(...r.events);
    next = r.nextOffset;
    return pred(seen);
  }, 15_000, 50);
  return { events: seen, nextOffset: next! };
}

describe('imbot.v2: bots in fetch mode', () => {
  let srv: TestServer;
  let ownerId: number;
  let userId: number;
  let hook: string;
  let userHook: string;
  let botId: number;

  before(async () => {
    srv = await startServer({ env: FAST });
    ownerId = (await srv.addUser('Olga', 'Owner')).id;
    userId = (await srv.addUser('Ursula', 'User')).id;
    hook = await srv.webhook(ownerId, 'imbot,im');
    userHook = await srv.webhook(userId);
  });
  after(async () => {
    await srv?.cleanup();
  });

  it('runs the quick-start scenario verbatim: register, fetch, answer in the dialog the event names', async () => {
    // 1. Register (quick-start.md, the JSON body as written there).
    const reg = await ok(hook, 'imbot.v2.Bot.register', {
      botToken: 'my_secret_token_123',
      fields: { code: 'support_bot', properties: { name: 'Support Bot', workPosition: 'AI Assistant' }, eventMode: 'fetch' },
    });
    botId = reg.bot.id;
    assert.ok(Number.isInteger(botId) && botId > 0);
    assert.deepEqual(reg.bot, {
      id: botId, code: 'support_bot', type: 'bot', isHidden: false, isSupportOpenline: false, isReactionsEnabled: true,
      backgroundId: null, language: 'en', moduleId: 'rest', eventMode: 'fetch', countMessage: 0, countCommand: 0, countChat: 0, countUser: 0,
    });
    assert.equal(reg.users.length, 1);
    assert.equal(reg.users[0].id, botId);
    assert.equal(reg.users[0].name, 'Support Bot');
    assert.equal(reg.users[0].workPosition, 'AI Assistant');
    assert.equal(reg.users[0].bot, true);
    assert.equal(reg.users[0].type, 'bot');
    // The same code again answers the same bot (idempotent).
    const again = await ok(hook, 'imbot.v2.Bot.register', { botToken: 'my_secret_token_123', fields: { code: 'support_bot', properties: { name: 'Other' } } });
    assert.equal(again.bot.id, botId);

    // 2. Fetch: nothing yet.
    const empty = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: 'my_secret_token_123', limit: 50 });
    assert.deepEqual(empty, { events: [], nextOffset: 0, hasMore: false });

    // A user writes to the bot: the bot joins the new dialog, then gets the message.
    const msgId = await ok(userHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Hello bot!' });
    const { events, nextOffset } = await fetchUntil(hook, botId, 'my_secret_token_123', (e) => e.some((x) => x.type === 'ONIMBOTV2MESSAGEADD'));
    assert.deepEqual(events.map((e) => e.type), ['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
    assert.ok(events[0].eventId < events[1].eventId);
    assert.equal(nextOffset, events[1].eventId + 1);
    assert.match(events[1].date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const add = events[1].data;
    assert.equal(add.bot.id, botId);
    assert.equal(add.bot.eventMode, 'fetch');
    assert.equal(add.bot.auth, undefined, 'no tokens in fetch mode');
    assert.deepEqual(add.message, {
      id: msgId, chatId: add.chat.id, authorId: userId, date: add.message.date, text: 'Hello bot!', isSystem: false, uuid: '',
      forward: null, params: {}, viewedByOthers: false,
    });
    assert.equal(add.chat.dialogId, String(userId), 'a private dialog is named by the other user, from the bot');
    assert.equal(add.chat.type, 'private');
    assert.equal(add.chat.role, undefined, 'no viewer-dependent fields in events');
    assert.equal(add.user.id, userId);
    assert.equal(add.user.name, 'Ursula User');
    assert.equal(add.user.lastActivityDate, false);
    assert.equal(add.language, 'en');
    const join = events[0].data;
    assert.equal(join.dialogId, String(userId));
    assert.equal(join.user.id, userId);

    // 3. Answer where the event says.
    const sent = await ok(hook, 'imbot.v2.Chat.Message.send', {
      botId, botToken: 'my_secret_token_123', dialogId: add.chat.dialogId, fields: { message: 'Hello! How can I help you?' },
    });
    assert.ok(Number.isInteger(sent.id));
    assert.deepEqual(sent.uuidMap, {});
    const history = await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: botId });
    const answer = history.messages.find((m: any) => m.id === sent.id);
    assert.equal(answer.author_id, botId, 'a 2.0 bot\'s message looks like any bot message to classic clients');
    assert.equal(answer.text, 'Hello! How can I help you?');
    const asUser = await ok(userHook, 'im.user.get', { ID: botId });
    assert.equal(asUser.bot, true);
    assert.equal(asUser.bot_data.code, 'support_bot');
    assert.equal(asUser.bot_data.type, 'bot');
    assert.equal(asUser.bot_data.reactions_enabled, true, 'the 2.0 profile flags, as classic clients read them');

    // Acknowledging with nextOffset: the events are gone; the bot's own message is no event for it.
    const after = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: 'my_secret_token_123', offset: nextOffset });
    assert.deepEqual(after.events, []);
    assert.equal(after.nextOffset, nextOffset);
    const bot = await ok(hook, 'imbot.v2.Bot.get', { botId, botToken: 'my_secret_token_123' });
    assert.equal(bot.bot.countMessage, 1);
    assert.equal(bot.bot.countChat, 1);
    assert.equal(bot.bot.countUser, 1);
  });

  it('quick-start steps 5 and 6: File.upload puts a file in the chat with a message, File.download links to it', async () => {
    const token = 'my_secret_token_123';
    const up = await ok(hook, 'imbot.v2.File.upload', {
      botId, botToken: token, dialogId: String(userId), fields: { name: 'report.txt', content: 'SGVsbG8gV29ybGQh', message: 'Here is the report' },
    });
    assert.equal(up.dialogId, String(userId));
    assert.equal(up.file.name, 'report.txt');
    assert.equal(up.file.extension, 'txt');
    assert.equal(up.file.size, 12);
    assert.equal(up.file.type, 'file');
    assert.equal(up.file.authorId, botId);
    assert.equal(up.file.chatId, up.chatId);
    const m = (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: botId })).messages.find((x: any) => x.id === up.messageId);
    assert.equal(m.text, 'Here is the report');
    assert.deepEqual(m.params.FILE_ID.map(Number), [up.file.id], 'classic clients see the file on the message');
    const down = await ok(hook, 'imbot.v2.File.download', { botId, botToken: token, dialogId: String(userId), fileId: up.file.id });
    const res = await fetch(down.downloadUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Hello World!');
    // The user side (im.v2) the same way.
    const mine = await ok(userHook, 'im.v2.File.upload', { dialogId: String(botId), fields: { name: 'a.txt', content: Buffer.from('from the user').toString('base64') } });
    const link = await ok(hook, 'imbot.v2.File.download', { botId, botToken: token, fileId: mine.file.id });
    assert.equal(await (await fetch(link.downloadUrl)).text(), 'from the user');
    assert.equal((await ok(userHook, 'im.v2.File.download', { fileId: up.file.id })).downloadUrl.length > 0, true);
    // Errors.
    const call = (p: Record<string, unknown>) => rest(hook, 'imbot.v2.File.upload', { botId, botToken: token, dialogId: String(userId), ...p });
    assert.equal((await call({ fields: { name: 'x.txt' } })).body.error, 'FILE_EMPTY');
    assert.equal((await call({ fields: { name: 'x.txt', content: 'not base64!' } })).body.error, 'FILE_INVALID_CONTENT');
    assert.equal((await rest(hook, 'imbot.v2.File.download', { botId, botToken: token, fileId: 99999999 })).body.error, 'FILE_NOT_FOUND');
    const chatId = await ok(userHook, 'im.chat.add', { TITLE: 'Files without the bot', USERS: [ownerId] });
    const theirs = await ok(userHook, 'im.v2.File.upload', { dialogId: `chat${chatId}`, fields: { name: 's.txt', content: 'c2VjcmV0' } });
    const denied = await rest(hook, 'imbot.v2.File.download', { botId, botToken: token, fileId: theirs.file.id });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'FILE_ACCESS_ERROR');
    const outside = await call({ dialogId: `chat${chatId}`, fields: { name: 'x.txt', content: 'eA==' } });
    assert.equal(outside.body.error, 'ACCESS_DENIED');
    // im.v2's pages name the same failures their own way.
    const userCall = (method: string, p: Record<string, unknown>) => rest(userHook, method, p);
    assert.equal((await userCall('im.v2.File.upload', { dialogId: 'chat99999999', fields: { name: 'x.txt', content: 'eA==' } })).body.error, 'CHAT_NOT_FOUND');
    assert.equal((await userCall('im.v2.File.upload', { dialogId: '99999999', fields: { name: 'x.txt', content: 'eA==' } })).body.error, 'CHAT_NOT_FOUND');
    const botsOnly = await ok(hook, 'imbot.v2.Chat.add', { botId, botToken: token, fields: { title: 'Bot files', userIds: [ownerId] } });
    const botFile = await ok(hook, 'imbot.v2.File.upload', { botId, botToken: token, dialogId: botsOnly.chat.dialogId, fields: { name: 'b.txt', content: 'eA==' } });
    const notMine = await userCall('im.v2.File.download', { fileId: botFile.file.id });
    assert.equal(notMine.status, 403);
    assert.equal(notMine.body.error, 'ACCESS_DENIED');
    assert.equal((await userCall('im.v2.File.download', { fileId: 99999999 })).body.error, 'FILE_NOT_FOUND');
    assert.equal((await userCall('im.v2.File.upload', { dialogId: botsOnly.chat.dialogId, fields: { name: 'x.txt', content: 'eA==' } })).body.error, 'ACCESS_DENIED');
  });

  it('sends a keyboard and attachments, edits and deletes its message', async () => {
    const sent = await ok(hook, 'imbot.v2.Chat.Message.send', {
      botId, botToken: 'my_secret_token_123', dialogId: String(userId),
      fields: {
        message: 'Pick one',
        keyboard: [{ TEXT: 'Docs', LINK: 'https://example.com/docs' }],
        attach: [{ MESSAGE: 'details' }],
      },
    });
    let m = (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: botId })).messages.find((x: any) => x.id === sent.id);
    assert.equal(m.params.KEYBOARD[0].TEXT, 'Docs');
    assert.equal(m.params.ATTACH[0].BLOCKS[0].MESSAGE, 'details');
    assert.deepEqual(await ok(hook, 'imbot.v2.Chat.Message.update', { botId, botToken: 'my_secret_token_123', messageId: sent.id, fields: { message: 'Picked', keyboard: 'N' } }), { result: true });
    m = (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: botId })).messages.find((x: any) => x.id === sent.id);
    assert.equal(m.text, 'Picked');
    assert.equal(m.params.KEYBOARD, undefined);
    // Someone else's message: refused.
    const userMsg = await ok(userHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'mine' });
    const r = await rest(hook, 'imbot.v2.Chat.Message.update', { botId, botToken: 'my_secret_token_123', messageId: userMsg, fields: { message: 'x' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'ACCESS_DENIED');
    assert.deepEqual(await ok(hook, 'imbot.v2.Chat.Message.delete', { botId, botToken: 'my_secret_token_123', messageId: sent.id }), { result: true });
    const left = (await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: botId })).messages.find((x: any) => x.id === sent.id);
    assert.ok(!left || left.params.IS_DELETED === 'Y');
    // Empty message; a chat the bot is not in.
    const empty = await rest(hook, 'imbot.v2.Chat.Message.send', { botId, botToken: 'my_secret_token_123', dialogId: String(userId), fields: { message: '  ' } });
    assert.equal(empty.body.error, 'EMPTY_MESSAGE');
    const chatId = await ok(userHook, 'im.chat.add', { TITLE: 'No bots here', USERS: [ownerId] });
    const outside = await rest(hook, 'imbot.v2.Chat.Message.send', { botId, botToken: 'my_secret_token_123', dialogId: `chat${chatId}`, fields: { message: 'hi' } });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error, 'ACCESS_DENIED');
  });

  it('answers the botToken rules: missing, wrong, foreign, too long, rotated', async () => {
    const call = (method: string, params: Record<string, unknown>, base = hook) => rest(base, method, params);
    let r = await call('imbot.v2.Event.get', { botId });
    assert.equal(r.body.error, 'BOT_TOKEN_NOT_SPECIFIED');
    r = await call('imbot.v2.Event.get', { botId, botToken: 'not_the_token' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'BOT_OWNERSHIP_ERROR');
    r = await call('imbot.v2.Event.get', { botToken: 'my_secret_token_123' });
    assert.equal(r.body.error, 'BOT_ID_REQUIRED');
    r = await call('imbot.v2.Event.get', { botId: 999999, botToken: 'my_secret_token_123' });
    assert.equal(r.body.error, 'BOT_NOT_FOUND');
    // Another user's webhook with the same token is another owner.
    const foreignHook = await srv.webhook(userId, 'imbot,im');
    r = await call('imbot.v2.Chat.Message.send', { botId, botToken: 'my_secret_token_123', dialogId: String(userId), fields: { message: 'x' } }, foreignHook);
    assert.equal(r.body.error, 'BOT_OWNERSHIP_ERROR');
    r = await call('imbot.v2.Bot.register', { botToken: 'my_secret_token_123', fields: { code: 'support_bot', properties: { name: 'Thief' } } }, foreignHook);
    assert.equal(r.body.error, 'BOT_CODE_ALREADY_TAKEN');
    r = await call('imbot.v2.Bot.register', { botToken: 'x'.repeat(41), fields: { code: 'long_token', properties: { name: 'Long' } } });
    assert.equal(r.body.error, 'BOT_TOKEN_INVALID_LENGTH');
    r = await call('imbot.v2.Bot.register', { fields: { code: 'no_token', properties: { name: 'None' } } });
    assert.equal(r.body.error, 'BOT_TOKEN_NOT_SPECIFIED');
    for (const [fields, code] of [
      [{ properties: { name: 'A' } }, 'BOT_CODE_REQUIRED'],
      [{ code: 'c1' }, 'BOT_PROPERTIES_REQUIRED'],
      [{ code: 'c2', properties: { name: 'A' }, type: 'robot' }, 'BOT_INVALID_TYPE'],
      [{ code: 'c3', properties: { name: 'A' }, eventMode: 'push' }, 'BOT_INVALID_EVENT_MODE'],
      [{ code: 'c4', properties: { name: 'A' }, eventMode: 'webhook' }, 'BOT_WEBHOOK_URL_REQUIRED'],
      [{ code: 'c5', properties: { name: 'A' }, eventMode: 'webhook', webhookUrl: 'ftp://x' }, 'BOT_INVALID_CALLBACK'],
    ] as const) {
      r = await call('imbot.v2.Bot.register', { botToken: 'tok_errors', fields });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, code);
    }
    // A refused registration leaves no bot behind.
    const list = await ok(hook, 'imbot.v2.Bot.list', { botToken: 'tok_errors' });
    assert.deepEqual(list, { bots: [], users: [], hasNextPage: false });
    // Limits out of range.
    for (const limit of [0, 1001, 'abc']) {
      r = await call('imbot.v2.Event.get', { botId, botToken: 'my_secret_token_123', limit });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'ERROR_ARGUMENT');
    }
    // Rotation: the new token works, the old one is refused at once; a token in use is refused without saying why.
    await ok(hook, 'imbot.v2.Bot.register', { botToken: 'other_bot_token', fields: { code: 'other_bot', properties: { name: 'Other' } } });
    r = await call('imbot.v2.Bot.update', { botId, botToken: 'my_secret_token_123', fields: { botToken: 'other_bot_token' } });
    assert.equal(r.body.error, 'BOT_TOKEN_ROTATION_FAILED');
    r = await call('imbot.v2.Bot.update', { botId, botToken: 'my_secret_token_123', fields: { botToken: 'y'.repeat(41) } });
    assert.equal(r.body.error, 'BOT_TOKEN_INVALID_LENGTH');
    const rotated = await ok(hook, 'imbot.v2.Bot.update', { botId, botToken: 'my_secret_token_123', fields: { botToken: 'rotated_token', isHidden: true } });
    assert.equal(rotated.bot.isHidden, true);
    r = await call('imbot.v2.Event.get', { botId, botToken: 'my_secret_token_123' });
    assert.equal(r.body.error, 'BOT_OWNERSHIP_ERROR');
    await ok(hook, 'imbot.v2.Event.get', { botId, botToken: 'rotated_token' });
    await ok(hook, 'imbot.v2.Bot.update', { botId, botToken: 'rotated_token', fields: { botToken: 'my_secret_token_123' } });
  });

  it('keeps unacknowledged events across a restart; offset acknowledges everything below it', async () => {
    const token = 'my_secret_token_123';
    const base = (await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token })).nextOffset;
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three']) ids.push(await ok(userHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: text }));
    // Reading from the same offset acknowledges nothing new: poll until all three are there.
    const first = await until(async () => {
      const r = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, offset: base });
      return r.events.filter((x: any) => x.type === 'ONIMBOTV2MESSAGEADD').length >= 3 && r;
    }, 15_000, 50);
    const adds = first.events.filter((e: any) => e.type === 'ONIMBOTV2MESSAGEADD');
    assert.deepEqual(adds.map((e: any) => e.data.message.id), ids);
    // Read again without acknowledging: the same events, and a page of one says there is more.
    const page = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, offset: adds[0].eventId, limit: 1 });
    assert.equal(page.events.length, 1);
    assert.equal(page.events[0].eventId, adds[0].eventId);
    assert.equal(page.hasMore, true);
    assert.equal(page.nextOffset, adds[0].eventId + 1);

    await srv.stop();
    srv = await startServer({ dir: srv.dir, env: FAST });
    // The hooks' URLs name the old port; the new server has its own.
    const port = (u: string) => u.replace(/^http:\/\/[^/]+/, srv.url.replace(/\/$/, ''));
    hook = port(hook);
    userHook = port(userHook);
    const rest2 = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, offset: adds[0].eventId + 1 });
    assert.deepEqual(rest2.events.map((e: any) => e.data.message.id), ids.slice(1));
    assert.equal(rest2.hasMore, false);
    const done = await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token, offset: rest2.nextOffset });
    assert.deepEqual(done.events, []);
  });

  it('in a chat: a "bot" gets mentions only, a supervisor every message; join events; deletion', async () => {
    const sup = await ok(hook, 'imbot.v2.Bot.register', { botToken: 'sup_token', fields: { code: 'watcher', type: 'supervisor', properties: { name: 'Watcher' } } });
    const supId = sup.bot.id;
    assert.equal(sup.bot.type, 'supervisor');
    const chatId = await ok(userHook, 'im.chat.add', { TITLE: 'Team', USERS: [ownerId, botId, supId] });
    const token = 'my_secret_token_123';
    const start = (await ok(hook, 'imbot.v2.Event.get', { botId, botToken: token })).events;
    const base = start.length ? start[start.length - 1].eventId + 1 : 0;
    await ok(userHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'plain talk' });
    await ok(userHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `[USER=${botId}]Support Bot[/USER] help` });
    const supEvents = await fetchUntil(hook, supId, 'sup_token', (e) => e.filter((x) => x.type === 'ONIMBOTV2MESSAGEADD').length >= 2);
    assert.deepEqual(supEvents.events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').map((e) => e.data.message.text), ['plain talk', `[USER=${botId}]Support Bot[/USER] help`]);
    const join = supEvents.events.find((e) => e.type === 'ONIMBOTV2JOINCHAT');
    assert.equal(join.data.dialogId, `chat${chatId}`);
    assert.equal(join.data.chat.type, 'chat');
    assert.equal(join.data.user.id, userId);
    const mine = await fetchUntil(hook, botId, token, (e) => e.some((x) => x.type === 'ONIMBOTV2MESSAGEADD'), base);
    const adds = mine.events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD');
    assert.deepEqual(adds.map((e) => e.data.message.text), [`[USER=${botId}]Support Bot[/USER] help`]);
    assert.equal(adds[0].data.chat.dialogId, `chat${chatId}`);
    // Edits and deletions reach the supervisor.
    const msg = await ok(userHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'typo' });
    await ok(userHook, 'im.message.update', { MESSAGE_ID: msg, MESSAGE: 'fixed' });
    await ok(userHook, 'im.message.delete', { MESSAGE_ID: msg });
    const more = await fetchUntil(hook, supId, 'sup_token', (e) => e.some((x) => x.type === 'ONIMBOTV2MESSAGEDELETE'), supEvents.nextOffset);
    const upd = more.events.find((e) => e.type === 'ONIMBOTV2MESSAGEUPDATE');
    assert.equal(upd.data.message.text, 'fixed');
    const del = more.events.find((e) => e.type === 'ONIMBOTV2MESSAGEDELETE');
    assert.equal(del.data.messageId, msg);
    assert.equal(del.data.user.id, userId);
    // Unregister: the bot is gone.
    assert.deepEqual(await ok(hook, 'imbot.v2.Bot.unregister', { botId: supId, botToken: 'sup_token' }), { result: true });
    const gone = await rest(hook, 'imbot.v2.Bot.get', { botId: supId, botToken: 'sup_token' });
    assert.equal(gone.body.error, 'BOT_NOT_FOUND');
  });

  it('Bot.get by code shows the short form to others; Bot.list; Revision.get', async () => {
    const other = await ok(hook, 'imbot.v2.Bot.get', { code: 'support_bot', botToken: 'other_bot_token' });
    assert.equal(other.bot.id, botId);
    assert.equal(other.bot.eventMode, undefined);
    const list = await ok(hook, 'imbot.v2.Bot.list', { botToken: 'my_secret_token_123' });
    assert.deepEqual(list.bots.map((b: any) => b.code), ['support_bot']);
    assert.equal(list.hasNextPage, false);
    const rev = await ok(hook, 'imbot.v2.Revision.get', {});
    assert.equal(typeof rev.rest, 'number');
    assert.ok(rev.rest >= 36);
  });
});
