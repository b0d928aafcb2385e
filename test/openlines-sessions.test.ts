// Open-line sessions over real HTTP, beyond moving them between people: silent mode (operators' messages stay out
// of the connector), pin mode (the session stays with its operator), a head's rating, the session's history, a new
// session from a message and quick answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStoreAt } from '../src/store/open.ts';
import { HandlerServer, install } from './helpers/handler.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const ICON = { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E', COLOR: '#a6ffa3' };

describe('open-line sessions: modes, votes, history', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let op1: any;
  let op2: any;
  let head: any;
  let outsider: any;
  let hook1: string;
  let hook2: string;
  let hookHead: string;
  let hookOut: string;
  let token: string;
  let lineId: number;
  let chatId: number;
  let customerId: number;
  let firstSession: number;
  let groupId: number;
  const ids: Record<string, number> = {};

  const api = () => `${srv.url}/rest/`;
  const appOk = (method: string, params: Record<string, unknown> = {}) => ok(api(), method, { ...params, auth: token });
  const say = (text: string) => appOk('imconnector.send.messages', {
    CONNECTOR: 'shop_chat',
    LINE: lineId,
    MESSAGES: [{ user: { id: 'ext-1', name: 'Jane' }, message: { id: `m-${Math.random()}`, date: Math.floor(Date.now() / 1000), text }, chat: { id: 'chat-ext-1' } }],
  });
  const outgoing = (text: string) => (r: any) => r.path === '/handler/connector' && r.body.data?.MESSAGES?.[0]?.message?.text?.endsWith(text);
  const entityFlags = async (hook: string) => ((await ok(hook, 'imopenlines.dialog.get', { CHAT_ID: chatId })).entity_data_1 as string).split('|');
  const fails = async (hook: string, method: string, params: Record<string, unknown>, code: string, description?: string) => {
    const r = await rest(hook, method, params);
    assert.equal(r.status, 400, `${method} ${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, code, `${method} ${JSON.stringify(params)}`);
    if (description) assert.equal(r.body.error_description, description, method);
  };
  const PINNED = 'The dialog is pinned to its operator';

  before(async () => {
    srv = await startServer();
    handler = await HandlerServer.start();
    [op1, op2, head, outsider] = await Promise.all([
      srv.addUser('Olga', 'First'),
      srv.addUser('Oleg', 'Second'),
      srv.addUser('Hanna', 'Head'),
      srv.addUser('Otto', 'Outside'),
      srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'shop', '--scope', 'imopenlines,imconnector,im', '--handler', `${handler.url}/install`]),
    ]);
    const department = await srv.cliJson(['department', 'add', '--db', srv.dbPath, '--name', 'Support', '--head', String(head.id)]);
    [hook1, hook2, hookHead, hookOut, token] = await Promise.all([
      srv.webhook(op1.id),
      srv.webhook(op2.id),
      srv.webhook(head.id),
      srv.webhook(outsider.id),
      srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'shop']).then((t) => t.access_token as string),
      srv.cli(['department', 'assign', '--db', srv.dbPath, '--user', String(op1.id), '--departments', `1,${department.id}`]),
      install(srv, 'shop'),
    ]);
    lineId = await appOk('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shop', QUEUE_TYPE: 'strictly', QUEUE: [op1.id, op2.id] } });
    await appOk('imconnector.register', { ID: 'shop_chat', NAME: 'Shop chat', ICON, PLACEMENT_HANDLER: 'https://example.com/p' });
    await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: lineId, ACTIVE: 1 });
    await appOk('event.bind', { event: 'ONIMCONNECTORMESSAGEADD', handler: `${handler.url}/connector` });
    const r = (await say('Hi, where is my parcel?')).DATA.RESULT[0];
    chatId = Number(r.session.CHAT_ID);
    customerId = Number(r.user);
    firstSession = Number(r.session.ID);
    const firstMessages = (await ok(hook1, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages as any[];
    ids.customer = firstMessages.find((m) => m.text === 'Hi, where is my parcel?').id;
    ids.hello = await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Hello, let me check' });
    groupId = await ok(hook1, 'im.chat.add', { TITLE: 'Team', USERS: [op2.id] });
    await handler.waitFor(outgoing('Hello, let me check'));
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  it('mode.silent: the operators\' messages stay out of the connector (marked hidden) until it is off', async () => {
    assert.equal(await ok(hook1, 'imopenlines.session.mode.silent', { CHAT_ID: chatId, ACTIVATE: 'Y' }), true);
    ids.note = await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Internal: the parcel is lost' });
    const history = (await ok(hook1, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages as any[];
    assert.equal(history.find((m) => m.id === ids.note).params.COMPONENT_ID, 'HiddenMessage');
    // Any ACTIVATE but Y (or none) switches it off.
    assert.equal(await ok(hook1, 'imopenlines.session.mode.silent', { CHAT_ID: chatId }), true);
    await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'It arrives tomorrow' });
    // Events go out in order: once the later message is out, the hidden one would have been before it.
    await handler.waitFor(outgoing('It arrives tomorrow'));
    assert.equal(handler.count(outgoing('the parcel is lost')), 0);
    await fails(hookOut, 'imopenlines.session.mode.silent', { CHAT_ID: chatId, ACTIVATE: 'Y' }, 'ACCESS_DENIED');
    await fails(hook1, 'imopenlines.session.mode.silent', { ACTIVATE: 'Y' }, 'CHAT_ID');
    await fails(hook1, 'imopenlines.session.mode.silent', { CHAT_ID: groupId, ACTIVATE: 'Y' }, 'CHAT_TYPE');
  });

  it('mode.pin: only the operator pins; nobody else takes, transfers or closes a pinned dialog', async () => {
    await fails(hook2, 'imopenlines.session.mode.pin', { CHAT_ID: chatId }, 'ACCESS_DENIED');
    await fails(hook1, 'imopenlines.session.mode.pin', {}, 'CHAT_ID_EMPTY');
    assert.equal(await ok(hook1, 'imopenlines.session.mode.pin', { CHAT_ID: chatId }), true, 'ACTIVATE defaults to Y');
    assert.equal((await entityFlags(hook1))[3], 'Y');
    for (const method of ['imopenlines.session.intercept', 'imopenlines.operator.answer', 'imopenlines.operator.another.finish']) {
      await fails(hook2, method, { CHAT_ID: chatId }, 'ACCESS_DENIED', PINNED);
    }
    // Joining beside the operator is still open; handing the dialog on is not.
    assert.equal(await ok(hook2, 'imopenlines.session.join', { CHAT_ID: chatId }), true);
    await fails(hook2, 'imopenlines.operator.transfer', { CHAT_ID: chatId, TRANSFER_ID: op2.id }, 'ACCESS_DENIED', PINNED);
    await fails(hook2, 'imopenlines.session.start', { CHAT_ID: chatId }, 'ACCESS_DENIED', PINNED);
    await fails(hook2, 'imopenlines.message.session.start', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }, 'ACCESS_DENIED', PINNED);
    assert.equal((await ok(hook1, 'imopenlines.dialog.get', { CHAT_ID: chatId })).owner, op1.id);
    assert.equal(await ok(hook1, 'imopenlines.session.mode.pin', { CHAT_ID: chatId, ACTIVATE: 'N' }), true);
    assert.equal((await entityFlags(hook1))[3], 'N');
  });

  it('mode.pinAll / unpinAll act on the caller\'s taken sessions and list the ones that changed', async () => {
    assert.deepEqual(await ok(hook1, 'imopenlines.session.mode.pinAll'), [firstSession]);
    assert.deepEqual(await ok(hook1, 'imopenlines.session.mode.pinAll'), [], 'already pinned');
    assert.deepEqual(await ok(hook2, 'imopenlines.session.mode.pinAll'), [], 'op2 holds none');
    assert.equal((await entityFlags(hook1))[3], 'Y');
    assert.deepEqual(await ok(hook1, 'imopenlines.session.mode.unpinAll'), [firstSession]);
    assert.equal((await entityFlags(hook1))[3], 'N');
    // Handing the dialog on ends pin and silent mode.
    await ok(hook1, 'imopenlines.session.mode.pin', { CHAT_ID: chatId });
    await ok(hook1, 'imopenlines.session.mode.silent', { CHAT_ID: chatId, ACTIVATE: 'Y' });
    assert.equal(await ok(hook1, 'imopenlines.operator.transfer', { CHAT_ID: chatId, TRANSFER_ID: op2.id }), true);
    assert.equal((await entityFlags(hook2))[3], 'N');
    await ok(hook2, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Oleg here' });
    await handler.waitFor(outgoing('Oleg here'));
  });

  it('head.vote: a head of an operator\'s department (or an administrator) rates a session', async () => {
    await fails(hookHead, 'imopenlines.session.head.vote', { RATING: 5 }, 'EMPTY_SESSION_ID');
    await fails(hookHead, 'imopenlines.session.head.vote', { SESSION_ID: firstSession, RATING: ' ', COMMENT: '' }, 'EMPTY_VOTE_PARAMS');
    await fails(hook2, 'imopenlines.session.head.vote', { SESSION_ID: firstSession, RATING: 5 }, 'ACCESS_DENIED');
    await fails(hookOut, 'imopenlines.session.head.vote', { SESSION_ID: firstSession, RATING: 5 }, 'ACCESS_DENIED');
    await fails(hookHead, 'imopenlines.session.head.vote', { SESSION_ID: 999999, RATING: 5 }, 'ACCESS_DENIED');
    assert.equal(await ok(hookHead, 'imopenlines.session.head.vote', { SESSION_ID: firstSession, RATING: 4 }), true);
    assert.equal(await ok(hookHead, 'imopenlines.session.head.vote', { SESSION_ID: firstSession, COMMENT: 'Quick and kind' }), true);
    // The session's operator (op2 since the transfer) hears of it; the second vote's notice replaced the first.
    const notices = (await ok(hook2, 'im.notify.get')).notifications.filter((n: any) => n.author_id === head.id);
    assert.equal(notices.length, 1);
    assert.match(notices[0].text, new RegExp(`Hanna Head rated your dialog \\(session ${firstSession}\\)`));
    assert.match(notices[0].text, /Quick and kind/);
  });

  it('history.get: the session\'s messages, authors and chat, the head\'s rating and comment', async () => {
    const h = await ok(hookHead, 'imopenlines.session.history.get', { SESSION_ID: firstSession });
    assert.equal(h.chatId, chatId);
    assert.equal(h.sessionId, firstSession);
    assert.equal(h.sessionVoteHead, 4);
    assert.equal(h.sessionCommentHead, 'Quick and kind');
    assert.equal(h.canVoteHead, 'Y');
    assert.equal(h.canJoin, 'N', 'the head is not an operator of the line');
    assert.equal(h.userId, `chat${chatId}`);
    assert.deepEqual(h.openlines, { canvoteashead: { [lineId]: true } });
    const customer = h.message[ids.customer];
    assert.deepEqual(Object.keys(customer), ['id', 'chatid', 'senderid', 'recipientid', 'date', 'text', 'textlegacy', 'params']);
    assert.equal(customer.senderid, String(customerId));
    assert.equal(customer.recipientid, `chat${chatId}`);
    assert.equal(customer.params.imolSid, firstSession);
    assert.ok(customer.params.connectorMid);
    assert.equal(h.message[ids.note].params.componentId, 'HiddenMessage');
    assert.deepEqual(h.usersMessage[`chat${chatId}`].slice(-2), [String(ids.hello), String(ids.customer)], 'newest first');
    assert.equal(h.users[op1.id].firstName, 'Olga');
    assert.equal(h.users[customerId].connector, true);
    assert.ok(h.userInGroup[1].users.includes(String(op1.id)));
    const chat = h.chat[chatId];
    assert.equal(chat.entityType, 'LINES');
    assert.equal(chat.type, 'lines');
    assert.equal(chat.messageType, 'L');
    assert.deepEqual(h.userInChat[chatId].sort(), [customerId, op2.id].sort());
    assert.deepEqual(h.files, []);
    // The session's operator and members see it; by CHAT_ID, the chat's newest session.
    assert.equal((await ok(hook2, 'imopenlines.session.history.get', { CHAT_ID: chatId })).canJoin, 'Y');
    await fails(hookOut, 'imopenlines.session.history.get', { SESSION_ID: firstSession }, 'ACCESS_DENIED');
    await fails(hook1, 'imopenlines.session.history.get', {}, 'MISSING_REQUIRED_PARAM');
    await fails(hook1, 'imopenlines.session.history.get', { CHAT_ID: groupId }, 'INVALID_SESSION_ID');
  });

  it('message.session.start: a new session the caller answers, opened by a copy of the message', async () => {
    await fails(hookOut, 'imopenlines.message.session.start', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }, 'ACCESS_DENIED');
    const elsewhere = await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'team talk' });
    await fails(hook2, 'imopenlines.message.session.start', { CHAT_ID: chatId, MESSAGE_ID: elsewhere }, 'MESSAGE_ID');
    await fails(hook2, 'imopenlines.message.session.start', { MESSAGE_ID: ids.hello }, 'CHAT_ID');
    assert.equal(await ok(hook2, 'imopenlines.message.session.start', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }), true);
    const now = await ok(hook2, 'imopenlines.session.history.get', { CHAT_ID: chatId });
    assert.ok(now.sessionId > firstSession);
    const copies = Object.values(now.message) as any[];
    assert.deepEqual(copies.map((m) => [m.senderid, m.text]), [[String(op1.id), 'Hello, let me check']]);
    assert.equal((await ok(hook2, 'imopenlines.dialog.get', { CHAT_ID: chatId })).owner, op2.id);
    const old = await ok(hookHead, 'imopenlines.session.history.get', { SESSION_ID: firstSession });
    assert.ok(!Object.values(old.message).some((m: any) => m.id === copies[0].id), 'the closed session keeps its own messages');
    // The copy is not sent to the customer again.
    await ok(hook2, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Anything else?' });
    await handler.waitFor(outgoing('Anything else?'));
    assert.equal(handler.count(outgoing('Hello, let me check')), 1);
  });

  it('message.quick.save keeps a message of the chat as a quick answer of its line', async () => {
    assert.equal(await ok(hook2, 'imopenlines.message.quick.save', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }), true);
    assert.equal(await ok(hook2, 'imopenlines.message.quick.save', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }), true, 'saving again updates it');
    const store = await openStoreAt(srv.dbTarget);
    try {
      const saved = await store.openlines.quickAnswer(lineId, { messageId: ids.hello });
      assert.equal(saved?.text, 'Hello, let me check');
      assert.equal(saved?.author_id, op2.id);
    } finally {
      await store.close();
    }
    const elsewhere = await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${groupId}`, MESSAGE: 'secret' });
    await fails(hook2, 'imopenlines.message.quick.save', { CHAT_ID: chatId, MESSAGE_ID: elsewhere }, 'CANT_SAVE_QUICK_ANSWER');
    await fails(hookOut, 'imopenlines.message.quick.save', { CHAT_ID: chatId, MESSAGE_ID: ids.hello }, 'ACCESS_DENIED');
    await fails(hook1, 'imopenlines.message.quick.save', { CHAT_ID: groupId, MESSAGE_ID: elsewhere }, 'CHAT_TYPE');
  });
});
