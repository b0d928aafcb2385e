// Open lines over real HTTP: a line with operators, a custom connector, customers' messages, operators' answers
// and sessions, and what all that does to the operators' recent lists.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HandlerServer, install } from './helpers/handler.ts';
import { ok, rest, startServer, type Encoding, type TestServer } from './helpers/server.ts';

const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const ICON = { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E', COLOR: '#a6ffa3' };

describe('open lines', () => {
  let srv: TestServer;
  let op1: any;
  let op2: any;
  let op3: any;
  let hook1: string;
  let hook2: string;
  let hook3: string;
  let token: string;
  let otherToken: string;
  let lineId: number;
  let handler: HandlerServer;

  const api = () => `${srv.url}/rest/`;
  const app = (method: string, params: Record<string, unknown> = {}, as: Encoding = 'json') => rest(api(), method, { ...params, auth: token }, as);
  const appOk = (method: string, params: Record<string, unknown> = {}, as: Encoding = 'json') => ok(api(), method, { ...params, auth: token }, as);
  const customer = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
    user: { id, name: 'Jane', last_name: 'Roe', email: 'jane@example.com', gender: 'female', picture: { url: 'https://example.com/j.png' } },
    message: { id: `m-${Date.now()}-${Math.random()}`, date: Math.floor(Date.now() / 1000), text },
    chat: { id: `chat-${id}`, name: 'Shop chat', url: 'https://example.com/c' },
    ...extra,
  });
  const send = (line: number, ...messages: unknown[]) => appOk('imconnector.send.messages', { CONNECTOR: 'shop_chat', LINE: line, MESSAGES: messages });
  const recent = async (hook: string, params: Record<string, unknown> = {}) => (await ok(hook, 'im.recent.get', params)) as any[];
  const item = async (hook: string, chatId: number) => (await recent(hook)).find((i) => i.chat_id === chatId);

  before(async () => {
    srv = await startServer();
    handler = await HandlerServer.start();
    // CLI runs are slow process start-ups: few of them, in two parallel waves. User 1 acts through the app token.
    const cliToken = async (args: string[]) => (await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', ...args])).access_token as string;
    [op1, op2, op3] = await Promise.all([
      srv.addUser('Olga', 'First'),
      srv.addUser('Oleg', 'Second'),
      srv.addUser('Omar', 'Third'),
      srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'shop', '--scope', 'imopenlines,im', '--handler', `${handler.url}/install`]),
      srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'other', '--scope', 'imconnector']),
    ]);
    [hook1, hook2, hook3, token, otherToken] = await Promise.all([
      srv.webhook(op1.id),
      srv.webhook(op2.id),
      srv.webhook(op3.id),
      cliToken(['--app', 'shop']),
      cliToken(['--app', 'other']),
      // Events reach installed applications only.
      install(srv, 'shop'),
    ]);
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  describe('imopenlines.config.*', () => {
    it('adds a line with operators and reads it back with config.get', async () => {
      lineId = await appOk('imopenlines.config.add', {
        PARAMS: {
          LINE_NAME: 'Shop support',
          QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: String(op1.id) }, { ENTITY_TYPE: 'user', ENTITY_ID: String(op2.id) }],
          QUEUE_TYPE: 'all',
          MAX_CHAT: 4,
          WORKTIME_DAYOFF: ['SA', 'SU'],
        },
      });
      assert.equal(typeof lineId, 'number');
      const cfg = await appOk('imopenlines.config.get', { CONFIG_ID: lineId });
      assert.equal(cfg.ID, String(lineId));
      assert.equal(cfg.LINE_NAME, 'Shop support');
      assert.equal(cfg.ACTIVE, 'Y');
      assert.equal(cfg.QUEUE_TYPE, 'all');
      assert.equal(cfg.WELCOME_MESSAGE, 'N');
      assert.equal(cfg.MAX_CHAT, '4');
      assert.deepEqual(cfg.WORKTIME_DAYOFF, ['SA', 'SU']);
      assert.equal(cfg.MODIFY_USER_ID, '1');
      assert.deepEqual(cfg.QUEUE, [String(op1.id), String(op2.id)]);
      assert.equal(cfg.QUEUE_FULL[op2.id].USER_ID, String(op2.id));
      assert.equal(cfg.QUEUE_FULL[op2.id].SORT, '1');
      assert.ok(cfg.QUEUE_USERS_FIELDS[op1.id]);
      const noQueue = await appOk('imopenlines.config.get', { CONFIG_ID: lineId, WITH_QUEUE: 'N' });
      assert.equal(noQueue.QUEUE, undefined);
    });

    it('revision.get and config.path.get: the revision and where operators work (this server)', async () => {
      assert.deepEqual(await appOk('imopenlines.revision.get'), { rest: 2, web: 1, mobile: 1 });
      assert.deepEqual(await appOk('imopenlines.config.path.get'), { SERVER_ADDRESS: srv.url, PUBLIC_PATH: '/' });
    });

    it('answers false for an unknown line and CONFIG_ID_EMPTY without an id', async () => {
      assert.equal(await appOk('imopenlines.config.get', { CONFIG_ID: 9999 }), false);
      assert.equal(await appOk('imopenlines.config.update', { CONFIG_ID: 9999, PARAMS: { LINE_NAME: 'x' } }), false);
      for (const method of ['imopenlines.config.get', 'imopenlines.config.update']) {
        const r = await app(method, {});
        assert.equal(r.status, 400);
        assert.equal(r.body.error, 'CONFIG_ID_EMPTY');
      }
    });

    it('updates a line; only its creator or an administrator may', async () => {
      assert.equal(await appOk('imopenlines.config.update', { CONFIG_ID: lineId, PARAMS: { LINE_NAME: 'Shop help', MAX_CHAT: 5 } }), true);
      const cfg = await appOk('imopenlines.config.get', { CONFIG_ID: lineId });
      assert.equal(cfg.LINE_NAME, 'Shop help');
      assert.equal(cfg.MAX_CHAT, '5');
      assert.deepEqual(cfg.WORKTIME_DAYOFF, ['SA', 'SU']);
      assert.deepEqual(cfg.QUEUE, [String(op1.id), String(op2.id)], 'an update without QUEUE keeps the queue');
      const denied = await rest(hook3, 'imopenlines.config.update', { CONFIG_ID: lineId, PARAMS: { LINE_NAME: 'Mine' } });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error, 'CONFIG_WRONG_USER_PERMISSION');
    });

    it('lists lines with select, filter, order and the queue options', async () => {
      const second = await ok(hook3, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Aardvark line', ACTIVE: 'N' } });
      const all = await appOk('imopenlines.config.list.get', { PARAMS: { select: ['ID', 'LINE_NAME', 'ACTIVE'], order: { LINE_NAME: 'asc' } } });
      assert.deepEqual(all.map((l: any) => l.LINE_NAME), ['Aardvark line', 'Shop help']);
      assert.deepEqual(Object.keys(all[0]), ['ID', 'LINE_NAME', 'ACTIVE']);
      const active = await appOk('imopenlines.config.list.get', {
        PARAMS: { select: ['ID'], filter: { ACTIVE: 'Y' } },
        OPTIONS: { QUEUE: 'Y', CONFIG_QUEUE: 'Y' },
      });
      assert.equal(active.length, 1);
      assert.equal(active[0].ID, String(lineId));
      assert.deepEqual(active[0].QUEUE, [op1.id, op2.id]);
      assert.equal(active[0].QUEUE_USERS_FIELDS[op1.id].USER_NAME, 'Olga First');
      assert.deepEqual(active[0].CONFIG_QUEUE, [{ ENTITY_TYPE: 'user', ENTITY_ID: String(op1.id) }, { ENTITY_TYPE: 'user', ENTITY_ID: String(op2.id) }]);
      const paged = await appOk('imopenlines.config.list.get', { PARAMS: { select: ['ID'], order: { ID: 'desc' }, limit: 1, offset: 1 } });
      assert.deepEqual(paged, [{ ID: String(lineId) }]);
      assert.equal(await ok(hook3, 'imopenlines.config.delete', { CONFIG_ID: second }), true);
      for (const [params, text] of [
        [{ PARAMS: { select: ['NOPE'] } }, /unknown field 'NOPE'/],
        [{ PARAMS: { order: { ID: 'sideways' } } }, /sorting direction/],
        [{ PARAMS: { limit: -1 } }, /non-negative integer/],
        [{ PARAMS: { group: ['ID'] } }, /Unsupported PARAMS/],
        [{ OPTIONS: { EXTRA: 'Y' } }, /Unsupported OPTIONS/],
      ] as const) {
        const r = await app('imopenlines.config.list.get', params);
        assert.equal(r.status, 400, JSON.stringify(params));
        assert.equal(r.body.error, 'INVALID_FORMAT');
        assert.match(r.body.error_description, text);
      }
    });
  });

  describe('imconnector.*', () => {
    it('needs an application context', async () => {
      const r = await rest(hook1, 'imconnector.status', { CONNECTOR: 'shop_chat', LINE: 1 });
      assert.equal(r.status, 403);
      assert.equal(r.body.error, 'WRONG_AUTH_TYPE');
    });

    it('register reports a bad connector inside the result, as a portal does', async () => {
      const good = { ID: 'shop_chat', NAME: 'Shop chat', ICON, PLACEMENT_HANDLER: 'https://example.com/placement' };
      for (const [patch, code] of [
        [{ ID: '' }, 'CONNECTOR_ID_REQUIRED'],
        [{ ID: 'shop.chat' }, 'APPLICATION_REGISTRATION_ERROR_POINT'],
        [{ NAME: '' }, 'NAME_REQUIRED'],
        [{ ICON: { COLOR: '#fff' } }, 'ICON_REQUIRED'],
        [{ PLACEMENT_HANDLER: '' }, 'NO_PLACEMENT_HANDLER'],
      ] as const) {
        const r = await app('imconnector.register', { ...good, ...patch });
        assert.equal(r.status, 200);
        assert.equal(r.body.result.result, false);
        assert.equal(r.body.result.error, code);
      }
      assert.deepEqual(await appOk('imconnector.register', { ...good, ID: 'Shop_Chat' }), { result: true });
      assert.deepEqual(await appOk('imconnector.register', good), { result: true }, 'registering again updates');
      assert.deepEqual(await appOk('imconnector.list'), { shop_chat: 'Shop chat' });
      const taken = await ok(api(), 'imconnector.register', { ...good, auth: otherToken });
      assert.equal(taken.result, false);
    });

    it('activate switches the connector on a line; status tells', async () => {
      assert.deepEqual(await appOk('imconnector.status', { CONNECTOR: 'shop_chat', LINE: lineId }), {
        LINE: lineId, CONNECTOR: 'shop_chat', ERROR: false, CONFIGURED: false, STATUS: false,
      });
      assert.equal(await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: lineId, ACTIVE: 1 }), true);
      const st = await appOk('imconnector.status', { CONNECTOR: 'shop_chat', LINE: lineId });
      assert.equal(st.CONFIGURED, true);
      assert.equal(st.STATUS, true);
      assert.equal((await appOk('imconnector.status', { CONNECTOR: 'shop_chat' })).STATUS, false, 'LINE=0 is never configured');
      for (const [params, text] of [
        [{ LINE: lineId, ACTIVE: 1 }, "Argument 'CONNECTOR' is null or empty"],
        [{ CONNECTOR: 'shop_chat', ACTIVE: 1 }, "Argument 'LINE' is null or empty"],
        [{ CONNECTOR: 'shop_chat', LINE: lineId }, "Argument 'ACTIVE' is null or empty"],
      ] as const) {
        const r = await app('imconnector.activate', params);
        assert.equal(r.status, 400);
        assert.equal(r.body.error, 'ERROR_ARGUMENT');
        assert.equal(r.body.error_description, text);
      }
      const data = { ID: 'channel-1', URL: 'https://example.com/c', URL_IM: 'https://example.com/im', NAME: 'Shop channel' };
      assert.equal(await appOk('imconnector.connector.data.set', { CONNECTOR: 'shop_chat', LINE: lineId, DATA: data }), true);
      assert.equal((await appOk('imconnector.status', { CONNECTOR: 'shop_chat', LINE: lineId })).STATUS, true, 'data.set keeps the connector on');
      const noData = await app('imconnector.connector.data.set', { CONNECTOR: 'shop_chat', LINE: lineId });
      assert.equal(noData.body.error_description, "Argument 'DATA' is null or empty");
      assert.equal(await appOk('event.bind', { event: 'ONIMCONNECTORMESSAGEADD', handler: `${handler.url}/connector` }), true);
      const unknown = await app('imconnector.activate', { CONNECTOR: 'nobody', LINE: lineId, ACTIVE: 1 });
      assert.equal(unknown.body.error, 'IMCONNECTOR_NO_CORRECT_PROVIDER');
      const noLine = await app('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: 9999, ACTIVE: 1 });
      assert.equal(noLine.body.error, 'NOT_ACTIVE_LINE');
    });
  });

  describe('a customer, the operators and the sessions', () => {
    let chatId: number;
    let customerId: number;
    let firstSession: number;

    it("a customer's first message opens a session and an open-line chat with every operator of an \"all\" queue", async () => {
      // op1 also has an ordinary dialog, so the type filters have something to drop.
      await ok(hook1, 'im.message.add', { DIALOG_ID: op3.id, MESSAGE: 'hello Omar' });
      const res = await send(lineId, customer('ext-1', 'Hello, is my order shipped?'));
      assert.equal(res.SUCCESS, true);
      const r = res.DATA.RESULT[0];
      assert.equal(r.SUCCESS, true);
      assert.match(r.user, /^\d+$/);
      assert.match(r.session.ID, /^\d+$/);
      assert.match(r.session.CHAT_ID, /^\d+$/);
      assert.equal(r.message.text, 'Hello, is my order shipped?');
      assert.equal(r.chat.id, 'chat-ext-1');
      customerId = Number(r.user);
      chatId = Number(r.session.CHAT_ID);
      firstSession = Number(r.session.ID);

      const guest = await ok(hook1, 'im.user.get', { ID: customerId });
      assert.equal(guest.connector, true);
      assert.equal(guest.external_auth_id, 'imconnector');
      assert.equal(guest.name, 'Jane Roe');
      // Her external picture URL is not handed to every viewer's browser (a portal serves a copy from its own storage).
      assert.equal(guest.avatar, '');

      for (const hook of [hook1, hook2]) {
        const it = await item(hook, chatId);
        assert.ok(it, 'each operator sees the chat');
        assert.equal(it.id, `chat${chatId}`);
        assert.equal(it.type, 'chat');
        assert.equal(it.chat.type, 'lines');
        assert.equal(it.chat.message_type, 'L');
        assert.equal(it.chat.entity_type, 'LINES');
        assert.equal(it.chat.entity_id, `shop_chat|${lineId}|chat-ext-1|${customerId}`);
        assert.equal(it.chat.name, 'Jane Roe - Shop help');
        assert.equal(it.counter, 1);
        assert.equal(it.message.text, 'Hello, is my order shipped?');
        assert.equal(it.message.author_id, customerId);
        assert.equal(it.user.id, customerId);
        assert.ok(!JSON.stringify(it).includes('example.com/j.png'), 'no external avatar URL');
        assert.equal(it.lines.id, firstSession);
        assert.equal(it.lines.status, 0);
        assert.match(it.lines.date_create, ATOM);
      }
      assert.equal(await item(hook3, chatId), undefined, 'not an operator of the line');
    });

    it('ONLY_OPENLINES and SKIP_OPENLINES filter on real open-line chats', async () => {
      const only = await recent(hook1, { ONLY_OPENLINES: 'Y' });
      assert.deepEqual(only.map((i) => i.chat_id), [chatId]);
      assert.ok(only.every((i) => i.lines));
      const onlyIgnoresSkip = await recent(hook1, { ONLY_OPENLINES: 'Y', SKIP_OPENLINES: 'Y', SKIP_CHAT: 'Y' });
      assert.deepEqual(onlyIgnoresSkip.map((i) => i.chat_id), [chatId]);
      const skip = await recent(hook1, { SKIP_OPENLINES: 'Y' });
      assert.ok(skip.length >= 1);
      assert.ok(skip.every((i) => i.chat_id !== chatId && !i.lines));
      assert.ok(skip.some((i) => i.id === op3.id), 'the ordinary dialog stays');
      const all = await recent(hook1);
      assert.ok(all.some((i) => i.chat_id === chatId) && all.some((i) => i.id === op3.id));
      const counters = await ok(hook1, 'im.counters.get');
      assert.equal(counters.LINES[chatId], 1);
      assert.equal(counters.TYPE.LINES, 1);
    });

    it('later messages of the customer go to the same chat and session (PHP-style form too)', async () => {
      const res = await send(lineId, customer('ext-1', 'Order 42'), customer('ext-1', 'Thanks!'));
      assert.deepEqual(res.DATA.RESULT.map((r: any) => [r.session.CHAT_ID, r.session.ID]), [[String(chatId), String(firstSession)], [String(chatId), String(firstSession)]]);
      const form = await appOk('imconnector.send.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [customer('ext-1', 'via form')] }, 'form');
      assert.equal(form.DATA.RESULT[0].session.CHAT_ID, String(chatId));
      const it = await item(hook2, chatId);
      assert.equal(it.counter, 4);
      assert.equal(it.message.text, 'via form');
      assert.equal(it.lines.id, firstSession);
    });

    it('an operator answers with im.message.add: the session is theirs and the other operators leave', async () => {
      const answer = await ok(hook1, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'It ships today' });
      const mine = await item(hook1, chatId);
      assert.equal(mine.lines.status, 40);
      assert.equal(mine.counter, 0);
      assert.equal(mine.message.author_id, op1.id);
      assert.equal(mine.chat.owner, op1.id);
      assert.equal(await item(hook2, chatId), undefined, 'taken by another operator');
      assert.deepEqual((await ok(hook1, 'im.chat.user.list', { CHAT_ID: chatId })).sort(), [customerId, op1.id].sort());
      assert.equal(mine.message.status, 'received');
      // The connector's application gets the operator's answer to pass on (customers' own messages are not echoed).
      const out = await handler.waitFor((r) => r.path === '/handler/connector');
      assert.equal(out.body.event, 'ONIMCONNECTORMESSAGEADD');
      assert.equal(out.body.data.CONNECTOR, 'shop_chat');
      assert.equal(out.body.data.LINE, String(lineId));
      const sent = out.body.data.MESSAGES[0];
      assert.deepEqual(sent.im, { chat_id: String(chatId), message_id: String(answer) });
      assert.equal(sent.chat.id, 'chat-ext-1');
      assert.equal(sent.message.user_id, String(op1.id));
      assert.equal(sent.message.text, '[b]Olga First:[/b][br]It ships today');
      assert.equal(out.body.auth.user_id, String(op1.id));
      assert.equal(handler.count((r) => r.path === '/handler/connector'), 1);
      // The connector reports that the customer read it.
      const status = { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [{ im: { chat_id: chatId, message_id: answer }, message: { id: ['x'] }, chat: { id: 'chat-ext-1' } }] };
      assert.deepEqual(await appOk('imconnector.send.status.delivery', status), { SUCCESS: true, DATA: [] });
      assert.equal((await item(hook1, chatId)).message.status, 'received');
      assert.deepEqual(await appOk('imconnector.send.status.reading', status), { SUCCESS: true, DATA: [] });
      assert.equal((await item(hook1, chatId)).message.status, 'delivered');
      const foreign = await appOk('imconnector.send.status.reading', { ...status, MESSAGES: [{ im: { chat_id: 1, message_id: answer } }] });
      assert.equal(foreign.SUCCESS, false);
      assert.equal((await app('imconnector.send.status.reading', { CONNECTOR: 'shop_chat', LINE: lineId })).body.error, 'ERROR_ARGUMENT');
      await send(lineId, customer('ext-1', 'Great'));
      assert.equal((await item(hook1, chatId)).lines.status, 25, 'the customer wrote after the operator');
    });

    it('chat.name.set renames the chat of a customer in an external chat', async () => {
      const renamed = await appOk('imconnector.chat.name.set', { CONNECTOR: 'shop_chat', LINE: lineId, CHAT_ID: 'chat-ext-1', USER_ID: 'ext-1', NAME: 'Jane (VIP)' });
      assert.equal(renamed.SUCCESS, true);
      assert.equal((await item(hook1, chatId)).chat.name, 'Jane (VIP)');
      const missing = await app('imconnector.chat.name.set', { CONNECTOR: 'shop_chat', LINE: lineId, CHAT_ID: 'nope', USER_ID: 'ext-1', NAME: 'x' });
      assert.equal(missing.body.error, 'CHAT_RENAMING_FAILED');
      const bad = await app('imconnector.chat.name.set', { CONNECTOR: 'shop_chat', LINE: lineId, CHAT_ID: 'chat-ext-1', NAME: 'x' });
      assert.equal(bad.body.error, 'ERROR_ARGUMENT');
    });

    it('update.messages and delete.messages change what send.messages brought, found by the external ids', async () => {
      const sent = customer('ext-1', 'Colour: red');
      await send(lineId, sent);
      const ids = { user: { id: 'ext-1' }, chat: { id: 'chat-ext-1' } };
      const edited = await appOk('imconnector.update.messages', {
        CONNECTOR: 'shop_chat',
        LINE: lineId,
        MESSAGES: [{ ...ids, message: { id: sent.message.id, text: 'Colour: blue' } }, { ...ids, message: { id: 'never-sent', text: 'x' } }],
      });
      assert.equal(edited.SUCCESS, false, 'one element failed');
      assert.deepEqual(edited.DATA.RESULT.map((r: any) => [r.message.id, r.SUCCESS]), [[sent.message.id, true], ['never-sent', false]]);
      assert.deepEqual(edited.DATA.RESULT[1].ERRORS, ['Message not found']);
      const history = async () => (await ok(hook1, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages as any[];
      const shown = (await history()).find((m) => m.text === 'Colour: blue');
      assert.ok(shown, 'the edit is what members see');
      assert.equal(shown.params.IS_EDITED, 'Y');

      // Another connector's or another external chat's ids find nothing.
      const foreign = await appOk('imconnector.update.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [{ user: { id: 'ext-1' }, chat: { id: 'chat-other' }, message: { id: sent.message.id, text: 'y' } }] });
      assert.equal(foreign.DATA.RESULT[0].SUCCESS, false);

      const removed = await appOk('imconnector.delete.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [{ ...ids, message: { id: sent.message.id } }] });
      assert.deepEqual(removed, { SUCCESS: true, DATA: { RESULT: [{ user: removed.DATA.RESULT[0].user, message: { id: sent.message.id }, chat: { id: 'chat-ext-1' }, SUCCESS: true }] } });
      assert.ok(!(await history()).some((m) => m.id === shown.id), 'deleted for members');
      const again = await appOk('imconnector.delete.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [{ ...ids, message: { id: sent.message.id } }] });
      assert.equal(again.DATA.RESULT[0].SUCCESS, false, 'a deleted message is not found again');
      const bad = await app('imconnector.delete.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [] });
      assert.equal(bad.body.error, 'ERROR_ARGUMENT');
    });

    it('operator.finish closes the session; the next customer message opens a new one in the same chat', async () => {
      const before = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, '+00:00');
      assert.equal(await ok(hook1, 'imopenlines.operator.finish', { CHAT_ID: chatId }), true);
      const closed = await item(hook1, chatId);
      assert.equal(closed.lines.id, firstSession);
      assert.equal(closed.lines.status, 60);
      const synced = await recent(hook1, { LAST_UPDATE: before });
      assert.ok(synced.some((i) => i.chat_id === chatId && i.lines.status === 60), 'the closing is an update of the item');
      assert.equal(await ok(hook1, 'imopenlines.operator.finish', { CHAT_ID: chatId }), true, 'finishing twice is harmless');

      const res = await send(lineId, customer('ext-1', 'One more question'));
      const r = res.DATA.RESULT[0];
      assert.equal(r.session.CHAT_ID, String(chatId));
      assert.ok(Number(r.session.ID) > firstSession);
      for (const hook of [hook1, hook2]) {
        const it = await item(hook, chatId);
        assert.equal(it.lines.id, Number(r.session.ID));
        assert.equal(it.lines.status, 0);
        assert.equal(it.message.text, 'One more question');
      }
      const dialog = await ok(hook2, 'imopenlines.dialog.get', { CHAT_ID: chatId });
      assert.equal(dialog.type, 'lines');
      assert.equal(dialog.entity_id, `shop_chat|${lineId}|chat-ext-1|${customerId}`);
      assert.equal(dialog.entity_data_1.split('|')[5], r.session.ID);
      assert.equal(dialog.dialog_id, `chat${chatId}`);
      assert.deepEqual(await ok(hook2, 'imopenlines.session.open', { USER_CODE: dialog.entity_id }), { chatId });
      const bySession = await ok(hook2, 'imopenlines.dialog.get', { SESSION_ID: Number(r.session.ID) });
      assert.equal(bySession.id, chatId);
      const hidden = await rest(hook3, 'imopenlines.dialog.get', { CHAT_ID: chatId });
      assert.equal(hidden.body.error, 'ACCESS_ERROR');
    });

    it('answer, transfer, skip, intercept and spam move the session between people', async () => {
      assert.equal(await ok(hook2, 'imopenlines.operator.answer', { CHAT_ID: chatId }), true);
      assert.equal((await item(hook2, chatId)).lines.status, 10);
      assert.equal(await item(hook1, chatId), undefined);
      assert.equal(await ok(hook2, 'imopenlines.operator.transfer', { CHAT_ID: chatId, TRANSFER_ID: op3.id }), true);
      assert.equal(await item(hook2, chatId), undefined);
      assert.equal((await item(hook3, chatId)).chat.owner, op3.id);
      assert.equal(await ok(hook3, 'imopenlines.operator.skip', { CHAT_ID: chatId }), true);
      assert.equal(await item(hook3, chatId), undefined);
      const after = await item(hook1, chatId) ?? await item(hook2, chatId);
      assert.ok(after, 'the queue got the dialog back');
      assert.equal(after.lines.status, 5);
      // An operator of the line takes it over.
      assert.equal(await ok(hook2, 'imopenlines.session.intercept', { CHAT_ID: chatId }), true);
      assert.equal((await item(hook2, chatId)).chat.owner, op2.id);
      const again = await rest(hook2, 'imopenlines.session.intercept', { CHAT_ID: chatId });
      assert.equal(again.body.error, 'OPERATOR_WRONG');
      const noLine = await rest(hook2, 'imopenlines.operator.transfer', { CHAT_ID: chatId, QUEUE_ID: lineId + 100 });
      assert.equal(noLine.body.error, 'OPERATOR_WRONG');
      assert.equal(await ok(hook2, 'imopenlines.operator.spam', { CHAT_ID: chatId }), true);
      assert.equal((await item(hook2, chatId)).lines.status, 65);
    });

    it('operator methods answer the documented errors', async () => {
      const group = await ok(hook1, 'im.chat.add', { TITLE: 'Team', USERS: [op2.id] });
      for (const [hook, method, params, status, code] of [
        [hook1, 'imopenlines.operator.finish', {}, 400, 'CHAT_ID'],
        [hook1, 'imopenlines.operator.answer', { CHAT_ID: 'abc' }, 400, 'CHAT_ID'],
        [hook1, 'imopenlines.operator.finish', { CHAT_ID: 999999 }, 400, 'CHAT_ID'],
        [hook1, 'imopenlines.operator.finish', { CHAT_ID: group }, 400, 'CHAT_TYPE'],
        [hook3, 'imopenlines.operator.answer', { CHAT_ID: chatId }, 400, 'ACCESS_DENIED'],
        [hook1, 'imopenlines.operator.transfer', { CHAT_ID: chatId }, 400, 'TRANSFER_ID_EMPTY'],
        [hook1, 'imopenlines.operator.transfer', {}, 400, 'CHAT_ID_EMPTY'],
        [hook1, 'imopenlines.session.intercept', {}, 400, 'CHAT_ID_EMPTY'],
        [hook2, 'imopenlines.operator.skip', { CHAT_ID: chatId }, 400, 'ACCESS_DENIED_KICK'],
        [hook3, 'imopenlines.session.open', { USER_CODE: 'nope|1|2|3' }, 400, 'ACCESS_DENIED'],
      ] as const) {
        const r = await rest(hook, method, params);
        assert.equal(r.status, status, `${method} ${JSON.stringify(params)}`);
        assert.equal(r.body.error, code, `${method} ${JSON.stringify(params)}`);
      }
      // A new session (the customer writes), then transferring to someone who cannot operate.
      await send(lineId, customer('ext-1', 'hello again'));
      const bot = await rest(hook1, 'imopenlines.operator.transfer', { CHAT_ID: chatId, USER_ID: customerId });
      assert.equal(bot.body.error, 'OPERATOR_WRONG');
      // The "other" application holds only the imconnector scope.
      const scope = await rest(api(), 'imopenlines.operator.finish', { CHAT_ID: chatId, auth: otherToken });
      assert.equal(scope.status, 401);
      assert.equal(scope.body.error, 'insufficient_scope');
    });
  });

  describe('queue distribution and bad input', () => {
    it('"strictly" gives a session to the first operator, "evenly" to the least busy one', async () => {
      const strict = await appOk('imopenlines.config.add', {
        PARAMS: { LINE_NAME: 'Strict', QUEUE_TYPE: 'strictly', QUEUE: [op2.id, op1.id], WELCOME_MESSAGE: 'Y', WELCOME_MESSAGE_TEXT: 'Hi! An operator will answer soon.' },
      });
      await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: strict, ACTIVE: 'Y' });
      const s = (await send(strict, customer('ext-2', 'strict question'))).DATA.RESULT[0];
      const sChat = Number(s.session.CHAT_ID);
      const it = await item(hook2, sChat);
      assert.equal(it.chat.owner, op2.id);
      assert.equal(it.message.text, 'Hi! An operator will answer soon.', 'the welcome message follows the first message');
      assert.equal(it.message.author_id, 0);
      assert.equal(await item(hook1, sChat), undefined);

      const even = await appOk('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Even', QUEUE_TYPE: 'evenly', QUEUE: [op1.id, op2.id] } });
      await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: even, ACTIVE: 'Y' });
      const a = Number((await send(even, customer('ext-3', 'first'))).DATA.RESULT[0].session.CHAT_ID);
      const b = Number((await send(even, customer('ext-4', 'second'))).DATA.RESULT[0].session.CHAT_ID);
      assert.notEqual(a, b);
      const owners = [(await ok(hook1, 'imopenlines.dialog.get', { CHAT_ID: a })).owner, (await ok(hook1, 'imopenlines.dialog.get', { CHAT_ID: b })).owner];
      assert.deepEqual(owners.sort(), [op1.id, op2.id].sort());
    });

    it('concurrent first messages of one customer open one chat and one session; departments expand to users', async () => {
      const line = await appOk('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Everyone', QUEUE_TYPE: 'all', QUEUE: [{ ENTITY_TYPE: 'department', ENTITY_ID: 1 }] } });
      const cfg = await appOk('imopenlines.config.get', { CONFIG_ID: line });
      // Department 1 holds every employee: the administrator and the three operators (not the connector customers).
      assert.deepEqual(cfg.QUEUE.map(Number).sort((a: number, b: number) => a - b), [1, op1.id, op2.id, op3.id].sort((a, b) => a - b));
      assert.equal(cfg.QUEUE_FULL[op3.id].DEPARTMENT_ID, '1');
      await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: line, ACTIVE: 1 });
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => send(line, customer('ext-race', `race ${n}`))));
      const pairs = new Set(results.map((r) => `${r.DATA.RESULT[0].session.CHAT_ID}/${r.DATA.RESULT[0].session.ID}`));
      assert.equal(pairs.size, 1);
      const chat = Number(results[0].DATA.RESULT[0].session.CHAT_ID);
      const listed = await ok(hook3, 'im.recent.list', { SKIP_CHAT: 'Y', SKIP_DIALOG: 'Y' });
      const entry = listed.items.find((i: any) => i.chat_id === chat);
      assert.equal(entry.counter, 5);
      assert.equal(entry.lines.id, Number(results[0].DATA.RESULT[0].session.ID));
    });

    it('send.messages rejects bad input per the docs', async () => {
      for (const [params, code, text] of [
        [{ LINE: lineId, MESSAGES: [customer('x', 'y')] }, 'ERROR_ARGUMENT', "Argument 'CONNECTOR' is null or empty"],
        [{ CONNECTOR: 'shop_chat', MESSAGES: [customer('x', 'y')] }, 'ERROR_ARGUMENT', "Argument 'LINE' is null or empty"],
        [{ CONNECTOR: 'shop_chat', LINE: lineId }, 'ERROR_ARGUMENT', "Argument 'MESSAGES' is null or empty"],
        [{ CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: 'hello' }, 'ERROR_ARGUMENT', "The value of an argument 'MESSAGES' must be of type array"],
        [{ CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: ['hello'] }, 'ERROR_ARGUMENT', 'The MESSAGES parameter must be an array of messages (arrays)'],
        [{ CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [{ user: { id: '1' }, message: { text: 'x' } }] }, 'ERROR_ARGUMENT', 'The incorrect structure of a message inside MESSAGES parameter'],
        [{ CONNECTOR: 'shop_chat', LINE: 9999, MESSAGES: [customer('x', 'y')] }, 'NOT_ACTIVE_LINE', undefined],
        [{ CONNECTOR: 'nobody', LINE: lineId, MESSAGES: [customer('x', 'y')] }, 'IMCONNECTOR_NO_CORRECT_PROVIDER', undefined],
      ] as const) {
        const r = await app('imconnector.send.messages', params);
        assert.equal(r.status, 400, JSON.stringify(params));
        assert.equal(r.body.error, code);
        if (text) assert.equal(r.body.error_description, text);
      }
      // A message without a user id or without text fails alone; the others in the call go through.
      const mixed = await appOk('imconnector.send.messages', {
        CONNECTOR: 'shop_chat',
        LINE: lineId,
        MESSAGES: [{ ...customer('x', 'y'), user: { name: 'No id' } }, customer('ext-5', ''), customer('ext-5', 'fine')],
      });
      assert.equal(mixed.SUCCESS, false);
      assert.deepEqual(mixed.DATA.RESULT.map((r: any) => r.SUCCESS), [false, false, true]);
      assert.equal(mixed.DATA.RESULT[0].ERRORS.length, 1);

      // A switched-off connector or line takes no messages.
      await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: lineId, ACTIVE: 'N' });
      const off = await app('imconnector.send.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [customer('ext-1', 'hello?')] });
      assert.equal(off.body.error, 'NOT_ACTIVE_LINE');
      assert.equal((await appOk('imconnector.status', { CONNECTOR: 'shop_chat', LINE: lineId })).STATUS, false);
      await appOk('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: lineId, ACTIVE: 'Y' });
      await appOk('imopenlines.config.update', { CONFIG_ID: lineId, PARAMS: { ACTIVE: 'N' } });
      const inactive = await app('imconnector.send.messages', { CONNECTOR: 'shop_chat', LINE: lineId, MESSAGES: [customer('ext-1', 'hello?')] });
      assert.equal(inactive.body.error, 'NOT_ACTIVE_LINE');
      assert.deepEqual(await appOk('imconnector.unregister', { ID: 'shop_chat' }), { result: true });
      assert.deepEqual(await appOk('imconnector.list'), []);
    });
  });
});
