// Error-code audit: what each method answers for a missing, malformed or foreign target, as the portal's
// CIMRestService checks them (in its order: the first failing check decides the code and the HTTP status).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

interface Case {
  method: string;
  params: Record<string, unknown>;
  status: number;
  error: string;
}

describe('target errors as a portal answers them', () => {
  let srv: TestServer;
  let owner: string;
  let outsider: string;
  let chatId: number;
  let memberId: number;
  let messageId: number;

  before(async () => {
    srv = await startServer();
    const a = await srv.addUser('Owner');
    const b = await srv.addUser('Member');
    const c = await srv.addUser('Outsider');
    memberId = b.id;
    owner = await srv.webhook(a.id);
    outsider = await srv.webhook(c.id);
    chatId = await ok(owner, 'im.chat.add', { TITLE: 'Audit', USERS: [b.id] });
    messageId = await ok(owner, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'hello' });
  });

  after(async () => srv?.cleanup());

  const cases = (): Case[] => [
    // Chat methods: DIALOG_ID must name a chat; CHAT_ID must be a positive number; then the method's own checks.
    ...['im.chat.setOwner', 'im.chat.updateColor', 'im.chat.updateTitle', 'im.chat.user.add'].flatMap((method) => [
      { method, params: { DIALOG_ID: String(memberId) }, status: 400, error: 'DIALOG_ID_EMPTY' },
      { method, params: {}, status: 400, error: 'CHAT_ID_EMPTY' },
      { method, params: { CHAT_ID: 'abc' }, status: 400, error: 'CHAT_ID_EMPTY' },
      { method, params: { CHAT_ID: -3 }, status: 400, error: 'CHAT_ID_EMPTY' },
    ]),
    { method: 'im.chat.setOwner', params: { CHAT_ID: chatId }, status: 400, error: 'USER_ID_EMPTY' },
    { method: 'im.chat.updateTitle', params: { CHAT_ID: chatId, TITLE: '  ' }, status: 400, error: 'TITLE_EMPTY' },
    { method: 'im.chat.updateColor', params: { CHAT_ID: chatId, COLOR: 'NOPE' }, status: 400, error: 'WRONG_COLOR' },
    // Dialog methods.
    { method: 'im.dialog.writing', params: { DIALOG_ID: 'chatX' }, status: 400, error: 'DIALOG_ID_EMPTY' },
    { method: 'im.dialog.writing', params: { CHAT_ID: 0 }, status: 400, error: 'CHAT_ID_EMPTY' },
    { method: 'im.dialog.read', params: { DIALOG_ID: 'chatX' }, status: 400, error: 'DIALOG_ID_EMPTY' },
    { method: 'im.dialog.unread', params: { DIALOG_ID: `chat${chatId}` }, status: 400, error: 'MESSAGE_ID_ERROR' },
    { method: 'im.dialog.unread', params: { DIALOG_ID: 'chatX', MESSAGE_ID: messageId }, status: 400, error: 'DIALOG_ID_EMPTY' },
    { method: 'im.dialog.get', params: { DIALOG_ID: 'chatX' }, status: 400, error: 'DIALOG_ID_EMPTY' },
    { method: 'im.dialog.users.list', params: { DIALOG_ID: 'x1' }, status: 400, error: 'DIALOG_ID_EMPTY' },
    { method: 'im.chat.get', params: { DIALOG_ID: 'chat' }, status: 400, error: 'DIALOG_ID_EMPTY' },
    // Recent list actions.
    ...['im.recent.pin', 'im.recent.hide', 'im.recent.unread'].map((method) => ({ method, params: { DIALOG_ID: 'chat-1' }, status: 400, error: 'DIALOG_ID_EMPTY' })),
    // Message targets (im.message.add's, DECISIONS: USER_ID_EMPTY for anything not chatN, CHAT_ID_EMPTY for chat0).
    { method: 'im.message.add', params: { MESSAGE: 'x' }, status: 400, error: 'PARAMS_ERROR' },
    { method: 'im.message.add', params: { DIALOG_ID: 'chat0', MESSAGE: 'x' }, status: 400, error: 'CHAT_ID_EMPTY' },
    { method: 'im.message.add', params: { DIALOG_ID: 'abc', MESSAGE: 'x' }, status: 400, error: 'USER_ID_EMPTY' },
    { method: 'im.message.add', params: { DIALOG_ID: '987654', MESSAGE: 'x' }, status: 400, error: 'USER_NOT_FOUND' },
    ...['im.message.update', 'im.message.delete', 'im.message.like', 'im.message.command'].flatMap((method) => [
      { method, params: {}, status: 400, error: 'MESSAGE_ID_ERROR' },
      { method, params: { MESSAGE_ID: 'abc' }, status: 400, error: 'MESSAGE_ID_ERROR' },
    ]),
    { method: 'im.message.command', params: { MESSAGE_ID: messageId }, status: 400, error: 'BOT_ID_ERROR' },
  ];

  it('missing and malformed targets', async () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      const r = await rest(owner, c.method, c.params);
      if (r.status !== c.status || r.body.error !== c.error) {
        wrong.push(`${c.method} ${JSON.stringify(c.params)}: want ${c.status} ${c.error}, got ${r.status} ${r.body.error ?? JSON.stringify(r.body)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("someone else's message cannot be changed: 403 CANT_EDIT_MESSAGE", async () => {
    for (const [method, params] of [
      ['im.message.update', { MESSAGE_ID: messageId, MESSAGE: 'mine now' }],
      ['im.message.delete', { MESSAGE_ID: messageId }],
    ] as const) {
      const r = await rest(outsider, method, params);
      assert.equal(r.status, 403, `${method}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error, 'CANT_EDIT_MESSAGE', method);
    }
  });

  it("someone else's chat: access errors, never its data", async () => {
    for (const [method, params] of [
      ['im.chat.get', { DIALOG_ID: `chat${chatId}` }],
      ['im.dialog.users.list', { DIALOG_ID: `chat${chatId}` }],
      ['im.dialog.messages.search', { CHAT_ID: chatId }],
    ] as const) {
      const r = await rest(outsider, method, params);
      assert.equal(r.status, 403, `${method}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error, 'ACCESS_ERROR', method);
    }
  });

  it('a NUL character in a parameter is dropped on both backends, never a database error (a fuzz counterexample on PostgreSQL)', async () => {
    for (const params of [{ NAME_SEARCH: '\u0000' }, { FILTER: { NAME: 'Ow\u0000ner' } }]) {
      const r = await rest(owner, 'user.search', params);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const id = await ok(owner, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'nul\u0000 inside', ATTACH: [{ MESSAGE: 'a\u0000b' }] });
    const [message] = (await ok(owner, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, FIRST_ID: id - 1 })).messages.filter((m: any) => m.id === id);
    assert.equal(message.text, 'nul inside');
  });
});
