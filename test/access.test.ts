// Access matrix: users, webhooks and tokens with different scopes, chat owners, members and non-members,
// against every registered method. Generic checks iterate the registry, so methods added later are covered too;
// the scope each method must demand comes from the docs (fixtures/method-scopes.ts), never from the registry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildRegistry } from '../src/methods/index.ts';
import { DOCUMENTED_SCOPES } from './fixtures/method-scopes.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const registry = buildRegistry();
/** Every registered method with the scope the docs give it (undefined: not in the table, which a test reports). */
const METHODS = registry.all().map((d) => ({ name: d.name, scope: DOCUMENTED_SCOPES[d.name] }));

describe('access matrix', () => {
  let srv: TestServer;
  let owner: any;
  let member: any;
  let outsider: any;
  let h: { owner: string; member: string; outsider: string; admin: string };
  let chatId: number;
  let openId: number;
  const SECRET = 'secret-text-7f3a';
  const SECRET_TITLE = 'Secret-title-91c';
  let secretIds: number[];
  let dialogSecretId: number;

  before(async () => {
    srv = await startServer();
    owner = await srv.addUser('Owner');
    member = await srv.addUser('Member');
    outsider = await srv.addUser('Outsider');
    h = {
      owner: await srv.webhook(owner.id),
      member: await srv.webhook(member.id),
      outsider: await srv.webhook(outsider.id),
      admin: await srv.webhook(1),
    };
    chatId = await ok(h.owner, 'im.chat.add', { TITLE: SECRET_TITLE, USERS: [member.id], MESSAGE: `${SECRET} first` });
    openId = await ok(h.owner, 'im.chat.add', { TYPE: 'OPEN', TITLE: 'Open chat', USERS: [member.id], MESSAGE: 'open hello' });
    secretIds = [
      await ok(h.owner, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `${SECRET} by owner` }),
      await ok(h.member, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `${SECRET} by member` }),
    ];
    dialogSecretId = await ok(h.owner, 'im.message.add', { DIALOG_ID: String(member.id), MESSAGE: `${SECRET} private` });
  });
  after(() => srv.cleanup());

  describe('scopes', () => {
    it('every registered method is in the documented scope table and registered under that scope', () => {
      const missing = METHODS.filter((m) => m.scope === undefined).map((m) => m.name);
      assert.deepEqual(missing, [], 'add these to test/fixtures/method-scopes.ts with the scope their docs page names');
      const wrong = registry.all().filter((d) => d.scope !== DOCUMENTED_SCOPES[d.name]).map((d) => `${d.name}: ${d.scope}`);
      assert.deepEqual(wrong, []);
    });

    it('every method of a scope a webhook lacks is 401 insufficient_scope; base-scope methods always pass the check', async () => {
      // placement is a known scope no method of b24im needs.
      const narrow = await srv.webhook(owner.id, 'placement');
      for (const def of METHODS) {
        const r = await rest(narrow, def.name);
        if (def.scope === 'basic') {
          assert.notEqual(r.body.error, 'insufficient_scope', def.name);
        } else {
          assert.equal(r.status, 401, def.name);
          assert.deepEqual(r.body, {
            error: 'insufficient_scope',
            error_description: 'The request requires higher privileges than provided by the webhook token',
          }, def.name);
        }
      }
    });

    it('a webhook holding exactly a method\'s scope passes the scope check for every method', async () => {
      const byScope = new Map<string, string>();
      for (const scope of new Set(METHODS.map((d) => d.scope))) {
        if (scope !== 'basic') byScope.set(scope, await srv.webhook(owner.id, scope));
      }
      for (const def of METHODS) {
        if (def.scope === 'basic') continue;
        const r = await rest(byScope.get(def.scope)!, def.name);
        assert.notEqual(r.body.error, 'insufficient_scope', def.name);
        assert.ok(r.status < 500, `${def.name}: ${r.status}`);
      }
    });

    it('an application token is bounded by its application\'s scopes, also inside batch', async () => {
      await srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'useronly', '--scope', 'user']);
      const t = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(owner.id), '--app', 'useronly']);
      const base = `${srv.url}/rest/`;
      for (const def of METHODS) {
        const r = await rest(base, def.name, { auth: t.access_token });
        if (def.scope === 'basic' || def.scope === 'user' || def.scope === 'user_basic') {
          assert.notEqual(r.body.error, 'insufficient_scope', def.name);
        } else {
          assert.equal(r.status, 401, def.name);
          assert.equal(r.body.error, 'insufficient_scope', def.name);
          assert.match(r.body.error_description, /access token/);
        }
      }
      const b = await ok(base, 'batch', { auth: t.access_token, cmd: { a: 'im.recent.get', b: 'user.current' } });
      assert.equal(b.result_error.a.error, 'insufficient_scope');
      assert.equal(b.result.b.ID, String(owner.id));
    });

    it('no credentials, wrong ones and expired ones are refused by every method', async () => {
      const expired = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(owner.id), '--ttl', '0']);
      const wrongHook = h.owner.replace(/\/[a-z0-9]{16}\/$/, '/0000000000000000/');
      for (const def of METHODS) {
        const none = await rest(`${srv.url}/rest/`, def.name);
        assert.equal(none.status, 401, def.name);
        assert.equal(none.body.error, 'NO_AUTH_FOUND', def.name);
        assert.equal((await rest(wrongHook, def.name)).body.error, 'INVALID_CREDENTIALS', def.name);
        assert.equal((await rest(`${srv.url}/rest/`, def.name, { auth: expired.access_token })).body.error, 'expired_token', def.name);
      }
    });
  });

  describe('members and non-members', () => {
    /** Parameters that point every kind of method at the private chat, its messages and its members. */
    function aimedAtChat(): Record<string, unknown>[] {
      const common = { CHAT_ID: chatId, DIALOG_ID: `chat${chatId}`, ID: chatId, USER_ID: owner.id, USERS: [outsider.id] };
      return [
        common,
        ...secretIds.map((id) => ({ ...common, MESSAGE_ID: id, LAST_ID: id + 1, FIRST_ID: id - 1, REPLY_ID: id, MESSAGE: 'x' })),
        { DIALOG_ID: String(owner.id), MESSAGE_ID: dialogSecretId, LAST_ID: dialogSecretId + 1, TITLE: 'hijack', COLOR: 'RED' },
        { CHAT_ID: chatId, TITLE: 'hijack', COLOR: 'RED', ACTION: 'Y', MESSAGE: 'x', USERS: [outsider.id], HIDE_HISTORY: 'N' },
      ];
    }

    async function ownerView(): Promise<string> {
      const chat = await ok(h.owner, 'im.chat.get', { CHAT_ID: chatId });
      const msgs = await ok(h.owner, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 50 });
      const dialog = await ok(h.owner, 'im.dialog.messages.get', { DIALOG_ID: member.id, LIMIT: 50 });
      const users = await ok(h.owner, 'im.chat.user.list', { CHAT_ID: chatId });
      return JSON.stringify([chat.name, chat.color, chat.owner, msgs.messages.map((m: any) => [m.id, m.text]), dialog.messages.map((m: any) => [m.id, m.text]), users]);
    }

    it('a non-member never sees the chat\'s messages or title, nor another pair\'s dialog, from any method', async () => {
      const before = await ownerView();
      for (const def of METHODS) {
        if (def.name === 'batch') continue;
        for (const params of aimedAtChat()) {
          for (const p of [params, Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]))]) {
            const r = await rest(h.outsider, def.name, p);
            const text = JSON.stringify(r.body);
            assert.ok(r.status < 500, `${def.name} ${JSON.stringify(p)}: ${r.status} ${text}`);
            assert.ok(!text.includes(SECRET), `${def.name} leaked a message: ${JSON.stringify(p)} -> ${text.slice(0, 400)}`);
            assert.ok(!text.includes(SECRET_TITLE), `${def.name} leaked the title: ${JSON.stringify(p)} -> ${text.slice(0, 400)}`);
          }
        }
      }
      const viaBatch = await ok(h.outsider, 'batch', {
        cmd: { a: `im.dialog.messages.get?DIALOG_ID=chat${chatId}`, b: `im.chat.get?CHAT_ID=${chatId}`, c: `im.dialog.get?DIALOG_ID=chat${chatId}` },
      });
      assert.ok(!JSON.stringify(viaBatch).includes(SECRET));
      // Nothing the outsider tried changed the chat, its members or its messages.
      assert.equal(await ownerView(), before);
    });

    it('the outsider\'s own lists and counters hold nothing of the chat', async () => {
      const recent = await ok(h.outsider, 'im.recent.get');
      assert.ok(!recent.some((i: any) => i.id === `chat${chatId}`));
      const counters = await ok(h.outsider, 'im.counters.get');
      assert.equal(counters.TYPE.ALL, 0);
      assert.ok(!JSON.stringify(await ok(h.outsider, 'im.recent.list')).includes(SECRET));
    });

    // [method, params, who, expected status, expected error (undefined = success)]
    const cases: [string, () => Record<string, unknown>, 'owner' | 'member' | 'outsider', number, string | undefined][] = [
      ['im.dialog.get', () => ({ DIALOG_ID: `chat${chatId}` }), 'member', 200, undefined],
      ['im.dialog.get', () => ({ DIALOG_ID: `chat${chatId}` }), 'outsider', 403, 'ACCESS_ERROR'],
      ['im.dialog.get', () => ({ DIALOG_ID: `chat${openId}` }), 'outsider', 200, undefined],
      ['im.dialog.get', () => ({ DIALOG_ID: 'chat999999' }), 'owner', 403, 'ACCESS_ERROR'],
      ['im.dialog.get', () => ({ DIALOG_ID: '999999' }), 'owner', 400, 'USER_NOT_FOUND'],
      ['im.dialog.get', () => ({}), 'owner', 400, 'DIALOG_ID_EMPTY'],
      ['im.dialog.messages.get', () => ({ DIALOG_ID: `chat${chatId}` }), 'member', 200, undefined],
      ['im.dialog.messages.get', () => ({ DIALOG_ID: `chat${chatId}` }), 'outsider', 403, 'ACCESS_ERROR'],
      ['im.dialog.messages.get', () => ({ DIALOG_ID: `chat${openId}` }), 'outsider', 200, undefined],
      ['im.message.add', () => ({ DIALOG_ID: `chat${chatId}`, MESSAGE: 'x' }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.message.add', () => ({ DIALOG_ID: 'chat999999', MESSAGE: 'x' }), 'owner', 400, 'CHAT_ID'],
      ['im.message.add', () => ({ DIALOG_ID: '999999', MESSAGE: 'x' }), 'owner', 400, 'USER_NOT_FOUND'],
      ['im.message.update', () => ({ MESSAGE_ID: secretIds[0], MESSAGE: 'edited by member' }), 'member', 403, 'CANT_EDIT_MESSAGE'],
      ['im.message.update', () => ({ MESSAGE_ID: secretIds[0], MESSAGE: 'edited' }), 'outsider', 403, 'CANT_EDIT_MESSAGE'],
      ['im.message.update', () => ({ MESSAGE_ID: 999999, MESSAGE: 'edited' }), 'owner', 403, 'CANT_EDIT_MESSAGE'],
      ['im.message.delete', () => ({ MESSAGE_ID: secretIds[0] }), 'member', 403, 'CANT_EDIT_MESSAGE'],
      ['im.message.delete', () => ({ MESSAGE_ID: secretIds[1] }), 'outsider', 403, 'CANT_EDIT_MESSAGE'],
      ['im.message.delete', () => ({ MESSAGE_ID: dialogSecretId }), 'outsider', 403, 'CANT_EDIT_MESSAGE'],
      ['im.chat.get', () => ({ CHAT_ID: chatId }), 'member', 200, undefined],
      ['im.chat.user.list', () => ({ CHAT_ID: chatId }), 'member', 200, undefined],
      ['im.chat.user.list', () => ({ CHAT_ID: chatId }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.chat.user.add', () => ({ CHAT_ID: chatId, USERS: [outsider.id] }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.chat.user.delete', () => ({ CHAT_ID: chatId, USER_ID: owner.id }), 'member', 400, 'ACCESS_DENIED_KICK'],
      ['im.chat.user.delete', () => ({ CHAT_ID: chatId, USER_ID: member.id }), 'outsider', 400, 'ACCESS_DENIED_KICK'],
      ['im.chat.updateTitle', () => ({ CHAT_ID: chatId, TITLE: 'hijack' }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.chat.updateColor', () => ({ CHAT_ID: chatId, COLOR: 'RED' }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.chat.setOwner', () => ({ CHAT_ID: chatId, USER_ID: member.id }), 'member', 400, 'WRONG_REQUEST'],
      ['im.chat.setOwner', () => ({ CHAT_ID: chatId, USER_ID: outsider.id }), 'outsider', 400, 'WRONG_REQUEST'],
      ['im.chat.mute', () => ({ CHAT_ID: chatId, ACTION: 'Y' }), 'outsider', 400, 'ACCESS_ERROR'],
      ['im.chat.get', () => ({ DIALOG_ID: 'chat' }), 'owner', 400, 'DIALOG_ID_EMPTY'],
      ['im.user.get', () => ({ ID: 999999 }), 'owner', 400, 'USER_NOT_EXISTS'],
    ];

    for (const [i, [method, params, who, status, error]] of cases.entries()) {
      it(`case ${i + 1}: ${method} as ${who}: ${error ?? 'allowed'}`, async () => {
        const r = await rest(h[who], method, params());
        assert.equal(r.status, status, JSON.stringify(r.body));
        if (error === undefined) assert.ok('result' in r.body && !('error' in r.body));
        else {
          assert.equal(r.body.error, error);
          assert.equal(typeof r.body.error_description, 'string');
        }
      });
    }

    it('im.chat.get answers null (not the chat) to a non-member and for an unknown chat', async () => {
      assert.equal(await ok(h.outsider, 'im.chat.get', { CHAT_ID: chatId }), null);
      assert.equal(await ok(h.owner, 'im.chat.get', { CHAT_ID: 999999 }), null);
    });

    it('the owner may do what members may not; a member may leave, then loses access', async () => {
      const third = await srv.addUser('Third');
      const hook3 = await srv.webhook(third.id);
      await ok(h.owner, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [third.id] });
      assert.equal((await ok(hook3, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).chat_id, chatId);
      await ok(h.owner, 'im.chat.updateTitle', { CHAT_ID: chatId, TITLE: `${SECRET_TITLE} 2` });
      await ok(hook3, 'im.chat.leave', { CHAT_ID: chatId });
      const r = await rest(hook3, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      assert.equal(r.status, 403);
      assert.equal(r.body.error, 'ACCESS_ERROR');
      assert.ok(!(await ok(hook3, 'im.recent.get')).some((i: any) => i.id === `chat${chatId}`));
      const add = await rest(hook3, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'back?' });
      assert.equal(add.body.error, 'ACCESS_ERROR');
      // The owner may remove a member; the removed member loses access at once.
      await ok(h.owner, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [third.id] });
      await ok(h.owner, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: third.id });
      assert.equal((await rest(hook3, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.error, 'ACCESS_ERROR');
    });

    it('a user\'s dialog with another user is visible to the two of them only', async () => {
      const mine = await ok(h.member, 'im.dialog.messages.get', { DIALOG_ID: owner.id });
      assert.ok(mine.messages.some((m: any) => m.id === dialogSecretId));
      // The outsider addressing the owner sees the outsider's own (empty) dialog, never the owner-member one.
      const theirs = await rest(h.outsider, 'im.dialog.messages.get', { DIALOG_ID: owner.id });
      assert.ok(!JSON.stringify(theirs.body).includes(SECRET));
      // Even the administrator does not read other people's dialogs through the API.
      const admin = await rest(h.admin, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      assert.equal(admin.body.error, 'ACCESS_ERROR');
      const adminRecent = await ok(h.admin, 'im.recent.get');
      assert.ok(!JSON.stringify(adminRecent).includes(SECRET));
    });
  });
});
