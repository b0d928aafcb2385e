// Bots 2.0 beyond the basics, over real HTTP: chats run by a bot, reading messages and their context, reactions,
// slash commands, the chat UI methods, bot context (im.v2.Chat.Bot.sendContext), webhook mode through the outbox,
// im.v2 user queues with withUserEvents, and classic and 2.0 bots side by side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { allStrings, HandlerServer, until } from './helpers/handler.ts';

const FAST = { B24IM_EVENT_POLL_MS: '100' };

/** A bot's event stream read the way a bot reads it: polling with offset, every event once. */
class Poller {
  private next: number | undefined;
  readonly seen: any[] = [];
  constructor(
    private readonly hook: string,
    private readonly params: Record<string, unknown>,
    private readonly method = 'imbot.v2.Event.get',
  ) {}
  async until(pred: (e: any) => boolean): Promise<any> {
    const found = this.seen.find(pred);
    if (found) return found;
    return until(async () => {
      const r = await ok(this.hook, this.method, { ...this.params, ...(this.next !== undefined ? { offset: this.next } : {}) });
      this.seen.push(...r.events);
      this.next = r.nextOffset;
      return r.events.find(pred);
    }, 15_000, 50);
  }
}

describe('imbot.v2: the platform', () => {
  let srv: TestServer;
  let ownerId: number;
  let aliceId: number;
  let bobId: number;
  let hook: string;
  let aliceHook: string;
  let bobHook: string;
  let sup: { id: number; events: Poller; call: (m: string, p?: Record<string, unknown>) => Promise<any>; raw: (m: string, p?: Record<string, unknown>) => Promise<any> };
  let plain: typeof sup;

  async function bot(code: string, type: string) {
    const token = `${code}_token`;
    const r = await ok(hook, 'imbot.v2.Bot.register', { botToken: token, fields: { code, type, properties: { name: code } } });
    const id = r.bot.id;
    return {
      id,
      events: new Poller(hook, { botId: id, botToken: token }),
      call: (m: string, p: Record<string, unknown> = {}) => ok(hook, m, { botId: id, botToken: token, ...p }),
      raw: (m: string, p: Record<string, unknown> = {}) => rest(hook, m, { botId: id, botToken: token, ...p }),
    };
  }

  before(async () => {
    srv = await startServer({ env: FAST });
    ownerId = (await srv.addUser('Olga', 'Owner')).id;
    aliceId = (await srv.addUser('Alice', 'A')).id;
    bobId = (await srv.addUser('Bob', 'B')).id;
    hook = await srv.webhook(ownerId, 'imbot,im');
    aliceHook = await srv.webhook(aliceId, 'im');
    bobHook = await srv.webhook(bobId, 'im');
    sup = await bot('sup', 'supervisor');
    plain = await bot('plain', 'bot');
  });
  after(async () => {
    await srv?.cleanup();
  });

  it('Chat.add / get / update / User.* / Manager.* / setOwner / leave', async () => {
    const added = await sup.call('imbot.v2.Chat.add', { fields: { title: 'Bot room', description: 'd1', color: 'mint', userIds: [aliceId, bobId, plain.id], message: 'Welcome' } });
    const chat = added.chat;
    assert.equal(chat.name, 'Bot room');
    assert.equal(chat.owner, sup.id);
    assert.equal(chat.role, 'owner');
    assert.equal(chat.color, '#4ba984');
    assert.equal(chat.isNew, true);
    assert.equal(chat.description, 'd1');
    assert.equal(chat.userCounter, 4);
    assert.deepEqual(added.users.map((u: any) => u.id).sort((a: number, b: number) => a - b), [aliceId, bobId, sup.id, plain.id].sort((a, b) => a - b));
    const dialogId = chat.dialogId;
    assert.equal(dialogId, `chat${chat.id}`);
    // The other bot joined: its join event names the bot that added it.
    const join = await plain.events.until((e) => e.type === 'ONIMBOTV2JOINCHAT');
    assert.equal(join.data.dialogId, dialogId);
    assert.equal(join.data.user.id, sup.id);

    await sup.call('imbot.v2.Chat.update', { dialogId, fields: { title: 'Renamed', description: 'd2', color: 'red' } });
    let got = (await sup.call('imbot.v2.Chat.get', { dialogId })).chat;
    assert.equal(got.name, 'Renamed');
    assert.equal(got.description, 'd2');
    assert.equal(got.color, '#df532d');
    assert.equal(got.messageCount >= 1, true);
    assert.match(got.dateCreate, /^\d{4}-/);
    const seen = (await ok(aliceHook, 'im.chat.get', { CHAT_ID: chat.id }));
    assert.equal(seen.name, 'Renamed', 'classic clients see the same chat');

    // Managers and members.
    assert.deepEqual(await sup.call('imbot.v2.Chat.Manager.add', { dialogId, userIds: [aliceId, 999999] }), { result: true });
    got = (await sup.call('imbot.v2.Chat.get', { dialogId })).chat;
    assert.deepEqual(got.managerList, [aliceId]);
    const empty = await sup.raw('imbot.v2.Chat.Manager.add', { dialogId, userIds: [] });
    assert.equal(empty.body.error, 'EMPTY_USER_IDS');
    const notOwner = await plain.raw('imbot.v2.Chat.Manager.add', { dialogId, userIds: [bobId] });
    assert.equal(notOwner.status, 403);
    assert.equal(notOwner.body.error, 'ACCESS_DENIED');
    await sup.call('imbot.v2.Chat.Manager.delete', { dialogId, userIds: [aliceId] });
    assert.deepEqual((await sup.call('imbot.v2.Chat.get', { dialogId })).chat.managerList, []);
    assert.deepEqual(await sup.call('imbot.v2.Chat.User.delete', { dialogId, userId: bobId }), { result: true });
    assert.deepEqual(await sup.call('imbot.v2.Chat.User.delete', { dialogId, userId: bobId }), { result: true }, 'idempotent');
    const memberOnly = await plain.raw('imbot.v2.Chat.User.add', { dialogId, userIds: [bobId] });
    assert.equal(memberOnly.body.error, 'ACCESS_DENIED');
    await sup.call('imbot.v2.Chat.User.add', { dialogId, userIds: [bobId, 424242] });
    const list = await sup.call('imbot.v2.Chat.User.list', { dialogId, order: { id: 'DESC' }, limit: 2 });
    assert.equal(list.length, 2);
    assert.ok(list[0].id > list[1].id);
    assert.equal((await sup.call('imbot.v2.Chat.User.list', { dialogId })).length, 4);
    // Ownership moves; the former owner bot can no longer pass it on.
    await sup.call('imbot.v2.Chat.setOwner', { dialogId, userId: aliceId });
    assert.equal((await sup.call('imbot.v2.Chat.get', { dialogId })).chat.role, 'member');
    assert.equal((await sup.raw('imbot.v2.Chat.setOwner', { dialogId, userId: bobId })).body.error, 'ACCESS_DENIED');
    // Leaving; then the chat is not the bot's any more.
    assert.deepEqual(await plain.call('imbot.v2.Chat.leave', { dialogId }), { result: true });
    const outside = await plain.raw('imbot.v2.Chat.get', { dialogId });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error, 'ACCESS_DENIED');
  });

  it('Message.get / getContext for watchers only; read; reactions with their events', async () => {
    const chatId = await ok(aliceHook, 'im.chat.add', { TITLE: 'Context', USERS: [bobId, sup.id, plain.id] });
    const dialogId = `chat${chatId}`;
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await ok(i % 2 ? aliceHook : bobHook, 'im.message.add', { DIALOG_ID: dialogId, MESSAGE: `m${i}` }));
    const one = await sup.call('imbot.v2.Chat.Message.get', { messageId: ids[2] });
    assert.equal(one.message.text, 'm3');
    assert.equal(one.message.authorId, aliceId);
    assert.equal(one.user.id, aliceId);
    const ctx = await sup.call('imbot.v2.Chat.Message.getContext', { messageId: ids[2], range: 1 });
    assert.deepEqual(ctx.messages.map((m: any) => m.text), ['m2', 'm3', 'm4']);
    assert.equal(ctx.hasPrevPage, true);
    assert.equal(ctx.hasNextPage, true);
    assert.deepEqual(ctx.users.map((u: any) => u.id).sort(), [aliceId, bobId].sort());
    const denied = await plain.raw('imbot.v2.Chat.Message.get', { messageId: ids[2] });
    assert.equal(denied.body.error, 'BOT_TYPE_NOT_ALLOWED');
    assert.equal((await sup.raw('imbot.v2.Chat.Message.get', { messageId: 99999999 })).body.error, 'MESSAGE_NOT_FOUND');
    const otherChat = await ok(aliceHook, 'im.chat.add', { TITLE: 'Private', USERS: [bobId] });
    const secret = await ok(aliceHook, 'im.message.add', { DIALOG_ID: `chat${otherChat}`, MESSAGE: 'secret' });
    assert.equal((await sup.raw('imbot.v2.Chat.Message.get', { messageId: secret })).body.error, 'MESSAGE_ACCESS_DENIED');

    // Read up to m4: the others' messages up to it are viewed; one left.
    const read = await sup.call('imbot.v2.Chat.Message.read', { dialogId, messageId: ids[3] });
    assert.equal(read.chatId, chatId);
    assert.equal(read.lastId, ids[3]);
    assert.equal(read.counter, 1);
    // The chat's creation notice (a system message) was unread too.
    assert.deepEqual(read.viewedMessages.slice(-4), ids.slice(0, 4));
    assert.ok(read.viewedMessages.every((id: number) => id <= ids[3]));
    assert.equal((await sup.call('imbot.v2.Chat.Message.read', { dialogId })).counter, 0);

    // Reactions: the bot reacts; a user reacts to the bot's message and the bot hears it.
    await sup.call('imbot.v2.Chat.Message.Reaction.add', { messageId: ids[0], reaction: 'fire' });
    assert.equal((await sup.raw('imbot.v2.Chat.Message.Reaction.add', { messageId: ids[0], reaction: 'fire' })).body.error, 'REACTION_ALREADY_SET');
    assert.equal((await sup.raw('imbot.v2.Chat.Message.Reaction.add', { messageId: ids[0], reaction: 'nope' })).body.error, 'REACTION_NOT_FOUND');
    await sup.call('imbot.v2.Chat.Message.Reaction.delete', { messageId: ids[0], reaction: 'fire' });
    const mine = await sup.call('imbot.v2.Chat.Message.send', { dialogId, fields: { message: 'react to me' } });
    await sup.call('imbot.v2.Chat.Message.Reaction.add', { messageId: ids[1], reaction: 'like' });
    const liked = (await ok(bobHook, 'im.dialog.messages.get', { DIALOG_ID: dialogId })).messages.find((m: any) => m.id === ids[1]);
    assert.deepEqual(liked.params.LIKE.map(Number), [sup.id], 'a "like" is the classic like');
    await ok(aliceHook, 'im.message.like', { ID: mine.id, ACTION: 'plus' });
    const change = await sup.events.until((e) => e.type === 'ONIMBOTV2REACTIONCHANGE');
    assert.equal(change.data.reaction, 'like');
    assert.equal(change.data.action, 'add');
    assert.equal(change.data.message.id, mine.id);
    assert.equal(change.data.user.id, aliceId);
  });

  it('commands: register, list, run by a message and by a keyboard button, answer, update, unregister', async () => {
    const reg = await plain.call('imbot.v2.Command.register', { fields: { command: 'help', title: { en: 'Help', ru: 'Помощь' }, params: { en: 'topic' } } });
    assert.deepEqual(Object.keys(reg.command), ['id', 'botId', 'command', 'common', 'hidden', 'extranetSupport']);
    assert.equal(reg.command.command, '/help');
    const again = await plain.call('imbot.v2.Command.register', { command: 'help', title: { en: 'Other' } });
    assert.equal(again.command.id, reg.command.id, 'idempotent, legacy flat format too');
    assert.equal((await plain.raw('imbot.v2.Command.register', { fields: { command: 'x' } })).body.error, 'COMMAND_TITLE_REQUIRED');
    assert.equal((await plain.raw('imbot.v2.Command.register', { fields: {} })).body.error, 'COMMAND_REQUIRED');
    const list = await plain.call('imbot.v2.Command.list');
    assert.deepEqual(list.commands, [{ id: reg.command.id, botId: plain.id, command: '/help', title: 'Help', params: 'topic', common: false, hidden: false, extranetSupport: false, category: 'plain', context: '' }]);
    assert.equal((await plain.call('imbot.v2.Bot.get')).bot.countCommand, 1);

    const msg = await ok(aliceHook, 'im.message.add', { DIALOG_ID: plain.id, MESSAGE: '/help billing' });
    const ev = await plain.events.until((e) => e.type === 'ONIMBOTV2COMMANDADD');
    assert.deepEqual(ev.data.command, { id: reg.command.id, command: '/help', params: 'billing', context: 'textarea' });
    assert.equal(ev.data.message.id, msg);
    assert.equal(ev.data.user.id, aliceId);
    assert.ok(!plain.events.seen.some((e) => e.type === 'ONIMBOTV2MESSAGEADD' && e.data.message.id === msg), 'a command is not also a message event');
    await plain.call('imbot.v2.Command.answer', { commandId: reg.command.id, messageId: msg, dialogId: String(aliceId), fields: { message: 'Here is help', keyboard: [{ TEXT: 'More', COMMAND: 'help', COMMAND_PARAMS: 'more' }] } });
    const answer = (await ok(aliceHook, 'im.dialog.messages.get', { DIALOG_ID: plain.id })).messages.find((m: any) => m.text === 'Here is help');
    assert.equal(answer.author_id, plain.id);
    // Pressing the button runs the command again, from the keyboard.
    await ok(aliceHook, 'im.message.command', { MESSAGE_ID: answer.id, BOT_ID: plain.id, COMMAND: 'help', COMMAND_PARAMS: 'more' });
    const pressed = await plain.events.until((e) => e.type === 'ONIMBOTV2COMMANDADD' && e.data.command.context === 'keyboard');
    assert.equal(pressed.data.command.params, 'more');
    assert.equal((await plain.raw('imbot.v2.Command.answer', { commandId: reg.command.id, messageId: 99999999, dialogId: '1', fields: { message: 'x' } })).body.error, 'COMMAND_ANSWER_FAILED');

    const upd = await plain.call('imbot.v2.Command.update', { commandId: reg.command.id, fields: { title: { ru: 'Справка', en: null }, hidden: true } });
    assert.equal(upd.command.hidden, true);
    const after = (await plain.call('imbot.v2.Command.list')).commands[0];
    assert.equal(after.title, 'Справка', 'en removed: falls back to the remaining language');
    // Renaming: not onto another command of the bot, not to nothing.
    const faq = (await plain.call('imbot.v2.Command.register', { fields: { command: 'faq', title: { en: 'FAQ' } } })).command;
    assert.equal((await plain.raw('imbot.v2.Command.update', { commandId: reg.command.id, fields: { command: '/faq' } })).body.error, 'COMMAND_ALREADY_EXISTS');
    assert.equal((await plain.raw('imbot.v2.Command.update', { commandId: reg.command.id, fields: { command: ' ' } })).body.error, 'COMMAND_NAME_EMPTY');
    assert.equal((await plain.call('imbot.v2.Command.update', { commandId: reg.command.id, fields: { command: 'assist' } })).command.command, '/assist');
    assert.deepEqual((await plain.call('imbot.v2.Command.list')).commands.map((c: any) => c.command), ['/assist', '/faq']);
    await plain.call('imbot.v2.Command.unregister', { commandId: faq.id });
    assert.equal((await sup.raw('imbot.v2.Command.unregister', { commandId: reg.command.id })).body.error, 'COMMAND_NOT_FOUND');
    assert.deepEqual(await plain.call('imbot.v2.Command.unregister', { commandId: reg.command.id }), { result: true });
    assert.deepEqual((await plain.call('imbot.v2.Command.list')).commands, []);
  });

  it('InputAction.notify and TextField.enabled, in a dialog too', async () => {
    assert.deepEqual(await plain.call('imbot.v2.Chat.InputAction.notify', { dialogId: String(aliceId), statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 }), { result: true });
    assert.deepEqual(await plain.call('imbot.v2.Chat.TextField.enabled', { dialogId: String(aliceId), enabled: false }), { result: true });
    const chatId = await ok(aliceHook, 'im.chat.add', { TITLE: 'UI', USERS: [plain.id] });
    await plain.call('imbot.v2.Chat.TextField.enabled', { dialogId: `chat${chatId}`, enabled: 'N' });
    assert.equal((await plain.call('imbot.v2.Chat.get', { dialogId: `chat${chatId}` })).chat.textFieldEnabled, 'N');
    await plain.call('imbot.v2.Chat.TextField.enabled', { dialogId: `chat${chatId}` });
    assert.equal((await plain.call('imbot.v2.Chat.get', { dialogId: `chat${chatId}` })).chat.textFieldEnabled, 'Y');
    const outside = await ok(bobHook, 'im.chat.add', { TITLE: 'No bot', USERS: [aliceId] });
    assert.equal((await plain.raw('imbot.v2.Chat.TextField.enabled', { dialogId: `chat${outside}`, enabled: false })).body.error, 'ACCESS_DENIED');
    assert.equal((await plain.raw('imbot.v2.Chat.InputAction.notify', { dialogId: `chat${outside}` })).body.error, 'ACCESS_DENIED');
  });

  it('im.v2: a subscribed user gets ONIMV2* events of their chats; withUserEvents merges them under one offset', async () => {
    // Not subscribed: no events, no error.
    assert.deepEqual(await ok(aliceHook, 'im.v2.Event.get', {}), { events: [], nextOffset: 0, hasMore: false });
    assert.equal(await ok(aliceHook, 'im.v2.Event.subscribe', {}), true);
    assert.equal(await ok(aliceHook, 'im.v2.Event.subscribe', {}), true, 'idempotent');
    const chatId = await ok(bobHook, 'im.chat.add', { TITLE: 'Agents', USERS: [aliceId] });
    const m = await ok(bobHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'for alice' });
    await ok(bobHook, 'im.message.update', { MESSAGE_ID: m, MESSAGE: 'for alice!' });
    await ok(aliceHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'own message: no event' });
    await ok(bobHook, 'im.message.like', { ID: m, ACTION: 'plus' });
    await ok(bobHook, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [ownerId] });
    await ok(bobHook, 'im.message.delete', { MESSAGE_ID: m });
    const alice = new Poller(aliceHook, {}, 'im.v2.Event.get');
    await alice.until((e) => e.type === 'ONIMV2MESSAGEDELETE');
    assert.deepEqual(alice.seen.map((e) => e.type), ['ONIMV2JOINCHAT', 'ONIMV2MESSAGEADD', 'ONIMV2MESSAGEUPDATE', 'ONIMV2REACTIONCHANGE', 'ONIMV2JOINCHAT', 'ONIMV2MESSAGEDELETE']);
    const [joinMe, add, upd, like, joinOwner, del] = alice.seen;
    assert.equal(joinMe.data.user.id, aliceId);
    assert.equal(add.data.message.text, 'for alice');
    assert.equal(add.data.chat.dialogId, `chat${chatId}`);
    assert.equal(add.data.user.id, bobId);
    assert.equal(upd.data.message.text, 'for alice!');
    assert.equal(like.data.reaction, 'like');
    assert.equal(joinOwner.data.user.id, ownerId);
    assert.equal(del.data.messageId, m);
    // A dialog names the other side.
    await ok(bobHook, 'im.message.add', { DIALOG_ID: aliceId, MESSAGE: 'direct' });
    const direct = await alice.until((e) => e.type === 'ONIMV2MESSAGEADD' && e.data.message.text === 'direct');
    assert.equal(direct.data.chat.dialogId, String(bobId));
    // Another user sees none of it.
    assert.deepEqual((await ok(bobHook, 'im.v2.Event.get', {})).events, []);

    // withUserEvents: the owner (subscribed) fetches bot and user events in one stream.
    const denied = await rest(hook, 'imbot.v2.Event.get', { botId: plain.id, botToken: 'plain_token', withUserEvents: true });
    assert.equal(denied.body.error, 'USER_NOT_SUBSCRIBED');
    await ok(hook, 'im.v2.Event.subscribe', {});
    const base = (await ok(hook, 'imbot.v2.Event.get', { botId: plain.id, botToken: 'plain_token' })).events.reduce((n: number, e: any) => Math.max(n, e.eventId + 1), 0);
    await ok(bobHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'for the owner' });
    await ok(aliceHook, 'im.message.add', { DIALOG_ID: plain.id, MESSAGE: 'for the bot' });
    const both = new Poller(hook, { botId: plain.id, botToken: 'plain_token', withUserEvents: true });
    (both as any).next = base;
    await both.until((e) => e.type === 'ONIMBOTV2MESSAGEADD' && e.data.message.text === 'for the bot');
    await both.until((e) => e.type === 'ONIMV2MESSAGEADD' && e.data.message.text === 'for the owner');
    const ids = both.seen.map((e) => e.eventId);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'one ordered stream');
    assert.equal(new Set(ids).size, ids.length, 'no repetition');
    // OAuth: the application owns its bots, no botToken; without the im scope there are no user events.
    await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'agent', '--scope', 'imbot']);
    const token = (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ownerId), '--app', 'agent'])).access_token;
    const oauth = (method: string, params: Record<string, unknown>) => rest(`${srv.url}/rest/`, method, { auth: token, ...params });
    const reg = await oauth('imbot.v2.Bot.register', { fields: { code: 'oauth_bot', properties: { name: 'OAuth Bot' } } });
    assert.equal(reg.status, 200, JSON.stringify(reg.body));
    const oauthBot = reg.body.result.bot.id;
    assert.equal((await oauth('imbot.v2.Event.get', { botId: oauthBot })).status, 200);
    assert.equal((await oauth('imbot.v2.Event.get', { botId: plain.id })).body.error, 'BOT_OWNERSHIP_ERROR');
    const scope = await oauth('imbot.v2.Event.get', { botId: oauthBot, withUserEvents: true });
    assert.equal(scope.status, 403);
    assert.equal(scope.body.error, 'SCOPE_ERROR');
    // Unsubscribing stops the recording; what was recorded stays readable until acknowledged (or a day old).
    const kept = await ok(aliceHook, 'im.v2.Event.get', {});
    assert.ok(kept.events.length > 0, 'alice has unacknowledged events');
    assert.equal(await ok(aliceHook, 'im.v2.Event.unsubscribe', {}), true);
    await ok(bobHook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'after the unsubscribe' });
    // The owner, still subscribed, gets it: by then alice's queue would have it too.
    await new Poller(hook, {}, 'im.v2.Event.get').until((e) => e.type === 'ONIMV2MESSAGEADD' && e.data.message.text === 'after the unsubscribe');
    assert.deepEqual(await ok(aliceHook, 'im.v2.Event.get', {}), kept, 'nothing recorded after it, nothing lost before it');
    assert.deepEqual(await ok(aliceHook, 'im.v2.Event.get', { offset: kept.nextOffset }), { events: [], nextOffset: kept.nextOffset, hasMore: false });
  });

  it('bot context: im.v2.Chat.Bot.sendContext gives the chat\'s 2.0 bots ONIMBOTV2CONTEXTGET; a first contact opens the dialog', async () => {
    const ctxBot = await bot('ctx', 'bot');
    // A link to a bot nobody has written to yet: the dialog is opened, the bot gets the context (nothing else).
    assert.equal(await ok(aliceHook, 'im.v2.Chat.Bot.sendContext', { dialogId: String(ctxBot.id), context: { action: 'openTask', taskId: 456 } }), true);
    const first = await ctxBot.events.until((e) => e.type === 'ONIMBOTV2CONTEXTGET');
    assert.deepEqual(Object.keys(first.data), ['bot', 'dialogId', 'context', 'chat', 'user', 'language']);
    assert.equal(first.data.bot.id, ctxBot.id);
    assert.equal(first.data.bot.eventMode, 'fetch');
    assert.equal(first.data.dialogId, String(aliceId));
    assert.deepEqual(first.data.context, { action: 'openTask', taskId: 456 });
    assert.equal(first.data.chat.dialogId, String(aliceId));
    assert.equal(first.data.chat.type, 'private');
    assert.equal(first.data.user.id, aliceId, 'user.id is a number');
    assert.equal(first.data.language, 'en');
    assert.equal(ctxBot.events.seen.length, 1, 'no join or message event for the context alone');
    const dialog = await ok(aliceHook, 'im.dialog.get', { DIALOG_ID: ctxBot.id });
    assert.equal(dialog.id, first.data.chat.id, 'the dialog the event names exists');
    // The link's JSON passed on as text; form-encoded keys (every value a string, as PHP reads them).
    await ok(aliceHook, 'im.v2.Chat.Bot.sendContext', { dialogId: ctxBot.id, context: '{"pairCode":"e5142e4ad735"}' });
    await ok(bobHook, 'im.v2.Chat.Bot.sendContext', { dialogId: ctxBot.id, context: { ref: 'u12345', n: 7 } }, 'form');
    const pair = await ctxBot.events.until((e) => e.type === 'ONIMBOTV2CONTEXTGET' && e.data.context.pairCode);
    assert.deepEqual(pair.data.context, { pairCode: 'e5142e4ad735' });
    const bobs = await ctxBot.events.until((e) => e.type === 'ONIMBOTV2CONTEXTGET' && e.data.user.id === bobId);
    assert.deepEqual(bobs.data.context, { ref: 'u12345', n: '7' });
    assert.equal(bobs.data.dialogId, String(bobId));

    // A group chat: every 2.0 bot in it gets the context, named by chatN; a non-member may not send one.
    const chatId = await ok(aliceHook, 'im.chat.add', { TITLE: 'Context room', USERS: [bobId, sup.id, plain.id] });
    await ok(bobHook, 'im.v2.Chat.Bot.sendContext', { dialogId: `chat${chatId}`, context: { table: 42 } });
    for (const b of [sup, plain]) {
      const ev = await b.events.until((e) => e.type === 'ONIMBOTV2CONTEXTGET' && e.data.chat.id === chatId);
      assert.equal(ev.data.dialogId, `chat${chatId}`);
      assert.equal(ev.data.chat.type, 'chat');
      assert.deepEqual(ev.data.context, { table: 42 });
      assert.equal(ev.data.user.id, bobId);
    }
    const outsider = await rest(hook, 'im.v2.Chat.Bot.sendContext', { dialogId: `chat${chatId}`, context: { a: 1 } });
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error, 'ACCESS_DENIED');

    // Errors: no dialog, a user who is no bot, a context that is no JSON object.
    const errors: [Record<string, unknown>, string][] = [
      [{ context: { a: 1 } }, 'DIALOG_ID_EMPTY'],
      [{ dialogId: 'nonsense', context: { a: 1 } }, 'DIALOG_ID_EMPTY'],
      [{ dialogId: bobId, context: { a: 1 } }, 'BOT_NOT_FOUND'],
      [{ dialogId: 99999999, context: { a: 1 } }, 'BOT_NOT_FOUND'],
      [{ dialogId: ctxBot.id }, 'INVALID_FORMAT'],
      [{ dialogId: ctxBot.id, context: 'not json' }, 'INVALID_FORMAT'],
      [{ dialogId: ctxBot.id, context: [1, 2] }, 'INVALID_FORMAT'],
      [{ dialogId: ctxBot.id, context: 5 }, 'INVALID_FORMAT'],
    ];
    for (const [params, code] of errors) {
      const r = await rest(aliceHook, 'im.v2.Chat.Bot.sendContext', params);
      assert.equal(r.status, 400, `${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error, code, JSON.stringify(params));
    }
    // The im scope: a webhook with imbot only may not.
    const imbotOnly = await srv.webhook(aliceId, 'imbot');
    assert.equal((await rest(imbotOnly, 'im.v2.Chat.Bot.sendContext', { dialogId: ctxBot.id, context: { a: 1 } })).status, 401);
  });

  it('classic and 2.0 side by side: a classic bot\'s message reaches a 2.0 bot; events keep their own format', async () => {
    const handler = await HandlerServer.start();
    try {
      const classicHook = await srv.webhook(ownerId, 'imbot,im');
      const classicId = await ok(classicHook, 'imbot.register', {
        CODE: 'classic', TYPE: 'B', CLIENT_ID: 'classic_client', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'Classic' },
      });
      const chatId = await ok(aliceHook, 'im.chat.add', { TITLE: 'Mixed', USERS: [classicId, sup.id] });
      await ok(classicHook, 'imbot.message.add', { CLIENT_ID: 'classic_client', BOT_ID: classicId, DIALOG_ID: `chat${chatId}`, MESSAGE: 'from classic' });
      const ev = await sup.events.until((e) => e.type === 'ONIMBOTV2MESSAGEADD' && e.data.message.text === 'from classic');
      assert.equal(ev.data.user.id, classicId);
      assert.equal(ev.data.user.bot, true);
      await sup.call('imbot.v2.Chat.Message.send', { dialogId: `chat${chatId}`, fields: { message: `[USER=${classicId}]Classic[/USER] hi from 2.0` } });
      // A context for a classic bot is taken and goes nowhere (the classic API has no such event).
      assert.equal(await ok(aliceHook, 'im.v2.Chat.Bot.sendContext', { dialogId: classicId, context: { a: 1 } }), true);
      const classicEvent = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE.includes('hi from 2.0'));
      assert.equal(classicEvent.body.data.PARAMS.FROM_USER_ID, String(sup.id));
      assert.ok(!handler.received.some((r) => String(r.body.event).startsWith('ONIMBOTV2')), 'a classic bot gets no 2.0 events');
    } finally {
      await handler.close();
    }
  });

  it('webhook mode: events POSTed to webhookUrl as strings, with data.bot {id, code, auth}; mode switches', async () => {
    const handler = await HandlerServer.start();
    try {
      const reg = await ok(hook, 'imbot.v2.Bot.register', {
        botToken: 'wh_token', fields: { code: 'wh', eventMode: 'webhook', webhookUrl: handler.url, properties: { name: 'Hooked' } },
      });
      const id = reg.bot.id;
      assert.equal(reg.bot.eventMode, 'webhook');
      const notFetch = await rest(hook, 'imbot.v2.Event.get', { botId: id, botToken: 'wh_token' });
      assert.equal(notFetch.status, 400);
      const msg = await ok(aliceHook, 'im.message.add', { DIALOG_ID: id, MESSAGE: 'ping' });
      const got = await handler.waitFor((r) => r.body.event === 'ONIMBOTV2MESSAGEADD');
      assert.ok(allStrings(got.body), 'http_build_query: every scalar a string');
      assert.equal(got.body.data.bot.id, String(id));
      assert.equal(got.body.data.bot.code, 'wh');
      assert.ok(got.body.data.bot.auth.application_token, 'the bot\'s auth block');
      assert.equal(got.body.data.message.id, String(msg));
      assert.equal(got.body.data.message.isSystem, '');
      assert.equal(got.body.data.chat.dialogId, String(aliceId));
      assert.ok(got.body.auth.application_token, 'the application\'s auth block');
      // Each event is its own POST, as on a portal: the join may arrive before the message or after it.
      await handler.waitFor((r) => r.body.event === 'ONIMBOTV2JOINCHAT');
      // A context in webhook mode: a string like every other value.
      await ok(aliceHook, 'im.v2.Chat.Bot.sendContext', { dialogId: id, context: { table: 42, nested: { ok: true } } });
      const context = await handler.waitFor((r) => r.body.event === 'ONIMBOTV2CONTEXTGET');
      assert.deepEqual(context.body.data.context, { table: '42', nested: { ok: '1' } });
      assert.equal(context.body.data.dialogId, String(aliceId));
      assert.equal(context.body.data.user.id, String(aliceId));
      assert.equal(context.body.data.bot.id, String(id));
      assert.ok(context.body.data.bot.auth.application_token, 'the bot\'s auth block');
      // To fetch mode: nothing more is POSTed (both events above have arrived); events queue instead.
      await ok(hook, 'imbot.v2.Bot.update', { botId: id, botToken: 'wh_token', fields: { eventMode: 'fetch' } });
      const before = handler.received.length;
      await ok(aliceHook, 'im.message.add', { DIALOG_ID: id, MESSAGE: 'queued' });
      const queued = await new Poller(hook, { botId: id, botToken: 'wh_token' }).until((e) => e.type === 'ONIMBOTV2MESSAGEADD');
      assert.equal(queued.data.message.text, 'queued');
      assert.equal(handler.received.length, before);
      // Back to webhook, then unregister: ONIMBOTV2DELETE is the last event.
      await ok(hook, 'imbot.v2.Bot.update', { botId: id, botToken: 'wh_token', fields: { eventMode: 'webhook', webhookUrl: handler.url } });
      await ok(hook, 'imbot.v2.Bot.unregister', { botId: id, botToken: 'wh_token' });
      const del = await handler.waitFor((r) => r.body.event === 'ONIMBOTV2DELETE');
      assert.equal(del.body.data.bot.id, String(id));
    } finally {
      await handler.close();
    }
  });
});
