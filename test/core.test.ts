// The messenger core over real HTTP: users, dialogs, chats, messages, read state, counters, and their errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

interface Person {
  id: number;
  hook: string;
}

async function expectError(base: string, method: string, params: Record<string, unknown>, code: string, status = 400) {
  const r = await rest(base, method, params);
  assert.equal(r.body?.error, code, `${method} ${JSON.stringify(params)} -> ${JSON.stringify(r.body)}`);
  assert.equal(r.status, status, `${method} status`);
  assert.equal(typeof r.body.error_description, 'string');
}

describe('messenger core', () => {
  let srv: TestServer;
  let admin: Person;
  let anna: Person;
  let boris: Person;
  let clara: Person;

  before(async () => {
    srv = await startServer();
    const mk = async (name: string): Promise<Person> => {
      const u = await srv.addUser(name, 'Core');
      return { id: u.id, hook: await srv.webhook(u.id) };
    };
    admin = { id: 1, hook: await srv.webhook(1) };
    anna = await mk('Anna');
    boris = await mk('Boris');
    clara = await mk('Clara');
  });
  after(() => srv.cleanup());

  describe('users', () => {
    it('im.user.list.get returns users keyed by id, or an array', async () => {
      const byId = await ok(anna.hook, 'im.user.list.get', { ID: [boris.id, clara.id, 99999] });
      assert.deepEqual(Object.keys(byId).sort(), [String(boris.id), String(clara.id)].sort());
      assert.equal(byId[boris.id].first_name, 'Boris');
      const arr = await ok(anna.hook, 'im.user.list.get', { ID: JSON.stringify([clara.id]), RESULT_TYPE: 'array' });
      assert.equal(arr[0].id, clara.id);
      await expectError(anna.hook, 'im.user.list.get', {}, 'INVALID_FORMAT');
    });

    it('status set/get and idle start/end keep the user object current', async () => {
      assert.equal(await ok(anna.hook, 'im.user.status.get'), 'online');
      assert.equal(await ok(anna.hook, 'im.user.status.set', { STATUS: 'dnd' }), true);
      assert.equal(await ok(anna.hook, 'im.user.status.get'), 'dnd');
      await expectError(anna.hook, 'im.user.status.set', { STATUS: 'DND' }, 'STATUS_ERROR');
      assert.equal((await ok(boris.hook, 'im.user.get', { ID: anna.id })).status, 'dnd');
      await ok(anna.hook, 'im.user.status.idle.start', { AGO: 5 });
      const idle = (await ok(boris.hook, 'im.user.get', { ID: anna.id })).idle;
      assert.match(idle, /^\d{4}-\d{2}-\d{2}T/);
      assert.ok(Math.abs(Date.parse(idle) - (Date.now() - 5 * 60_000)) < 5_000);
      await ok(anna.hook, 'im.user.status.idle.end');
      assert.equal((await ok(boris.hook, 'im.user.get', { ID: anna.id })).idle, false);
      await ok(anna.hook, 'im.user.status.set', { STATUS: 'online' });
    });

    it('user.add and user.update are for administrators', async () => {
      const id = await ok(admin.hook, 'user.add', { NAME: 'Dmitry', LAST_NAME: 'Added', WORK_POSITION: 'QA', PERSONAL_GENDER: 'M', PERSONAL_BIRTHDAY: '1990-03-15' });
      assert.equal(typeof id, 'number');
      const u = await ok(anna.hook, 'im.user.get', { ID: id });
      assert.equal(u.name, 'Dmitry Added');
      assert.equal(u.work_position, 'QA');
      assert.equal(u.birthday, '15-03');
      await expectError(anna.hook, 'user.add', { NAME: 'X' }, 'ACCESS_DENIED', 403);
      await ok(admin.hook, 'user.update', { ID: id, ABSENT_TO: '2030-01-01T00:00:00+00:00' });
      assert.equal((await ok(anna.hook, 'im.user.get', { ID: id })).absent, '2030-01-01T00:00:00+00:00');
      await expectError(anna.hook, 'user.update', { ID: id, NAME: 'Y' }, 'ACCESS_DENIED', 403);
      assert.equal(await ok(anna.hook, 'user.update', { ID: anna.id, WORK_POSITION: 'Lead' }), true);
      assert.equal((await ok(boris.hook, 'im.user.get', { ID: anna.id })).work_position, 'Lead');
    });
  });

  describe('one-to-one dialogs', () => {
    it('im.message.add to a user id opens the dialog for both; counters follow reads', async () => {
      const m1 = await ok(anna.hook, 'im.message.add', { DIALOG_ID: String(boris.id), MESSAGE: 'Hi [b]Boris[/b]' });
      const m2 = await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'second' }, 'form');
      assert.equal(typeof m1, 'number');
      assert.ok(m2 > m1);
      const counters = await ok(boris.hook, 'im.counters.get');
      assert.equal(counters.DIALOG[anna.id], 2);
      assert.equal(counters.TYPE.DIALOG, 2);
      assert.equal(counters.TYPE.MESSENGER, counters.TYPE.DIALOG + counters.TYPE.CHAT + counters.TYPE.LINES);
      // The author has read their own messages.
      assert.equal((await ok(anna.hook, 'im.counters.get')).DIALOG[boris.id], undefined);
      const read1 = await ok(boris.hook, 'im.dialog.read', { DIALOG_ID: anna.id, MESSAGE_ID: m1 });
      assert.deepEqual(read1, { dialogId: String(anna.id), chatId: read1.chatId, lastId: m1, counter: 1 });
      // Reading never moves back.
      const again = await ok(boris.hook, 'im.dialog.read', { DIALOG_ID: anna.id, MESSAGE_ID: 1 });
      assert.equal(again.counter, 1);
      const all = await ok(boris.hook, 'im.dialog.read', { DIALOG_ID: anna.id });
      assert.equal(all.counter, 0);
      assert.equal(all.lastId, m2);
      assert.deepEqual((await ok(boris.hook, 'im.counters.get')).DIALOG, []);
      assert.equal(await ok(boris.hook, 'im.dialog.unread', { DIALOG_ID: anna.id, MESSAGE_ID: m1 }), true);
      assert.equal((await ok(boris.hook, 'im.counters.get')).DIALOG[anna.id], 2);
    });

    it('im.dialog.messages.get pages backwards and forwards', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await ok(clara.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: `page ${i}` }));
      const first = await ok(boris.hook, 'im.dialog.messages.get', { DIALOG_ID: clara.id, LIMIT: 2 });
      assert.deepEqual(first.messages.map((m: any) => m.id), [ids[4], ids[3]]);
      assert.equal(first.messages[0].unread, true);
      assert.equal(first.messages[0].author_id, clara.id);
      assert.deepEqual(first.users.map((u: any) => u.id), [clara.id]);
      const older = await ok(boris.hook, 'im.dialog.messages.get', { DIALOG_ID: clara.id, LAST_ID: ids[3], LIMIT: 2 });
      assert.deepEqual(older.messages.map((m: any) => m.id), [ids[2], ids[1]]);
      const newer = await ok(boris.hook, 'im.dialog.messages.get', { DIALOG_ID: clara.id, FIRST_ID: ids[1], LIMIT: 2 });
      assert.deepEqual(newer.messages.map((m: any) => m.id), [ids[3], ids[2]]);
      await expectError(boris.hook, 'im.dialog.messages.get', { DIALOG_ID: clara.id, LAST_ID: 'abc' }, 'LAST_ID_STRING');
      await expectError(boris.hook, 'im.dialog.messages.get', { DIALOG_ID: clara.id, FIRST_ID: 'x' }, 'FIRST_ID_STRING');
      await expectError(boris.hook, 'im.dialog.messages.get', {}, 'DIALOG_ID_EMPTY');
      // Someone else's dialog is not readable.
      const dialogChat = first.chat_id;
      await expectError(anna.hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${dialogChat}` }, 'ACCESS_ERROR', 403);
    });

    it('edit and delete: only the author; deleting the last message moves the preview back', async () => {
      const a = await ok(anna.hook, 'im.message.add', { DIALOG_ID: clara.id, MESSAGE: 'keep' });
      const b = await ok(anna.hook, 'im.message.add', { DIALOG_ID: clara.id, MESSAGE: 'oops' });
      await expectError(clara.hook, 'im.message.update', { MESSAGE_ID: b, MESSAGE: 'hack' }, 'CANT_EDIT_MESSAGE', 403);
      await expectError(clara.hook, 'im.message.delete', { MESSAGE_ID: b }, 'CANT_EDIT_MESSAGE', 403);
      await expectError(anna.hook, 'im.message.update', { MESSAGE: 'x' }, 'MESSAGE_ID_ERROR');
      await expectError(anna.hook, 'im.message.delete', { MESSAGE_ID: 0 }, 'MESSAGE_ID_ERROR');
      assert.equal(await ok(anna.hook, 'im.message.update', { MESSAGE_ID: a, MESSAGE: 'kept, edited' }), true);
      assert.equal((await ok(clara.hook, 'im.counters.get')).DIALOG[anna.id], 2);
      assert.equal(await ok(anna.hook, 'im.message.delete', { MESSAGE_ID: b }), true);
      assert.equal((await ok(clara.hook, 'im.counters.get')).DIALOG[anna.id], 1);
      const hist = await ok(clara.hook, 'im.dialog.messages.get', { DIALOG_ID: anna.id });
      assert.equal(hist.messages[0].id, a);
      assert.equal(hist.messages[0].text, 'kept, edited');
      assert.equal(hist.messages[0].params.IS_EDITED, 'Y');
      const recent = await ok(clara.hook, 'im.recent.get');
      const item = recent.find((i: any) => i.id === anna.id);
      assert.equal(item.message.id, a);
      assert.equal(item.message.text, 'kept, edited');
      // An empty text deletes, as on a portal.
      assert.equal(await ok(anna.hook, 'im.message.update', { MESSAGE_ID: a, MESSAGE: '' }), true);
      assert.equal((await ok(clara.hook, 'im.counters.get')).DIALOG[anna.id], undefined);
      await expectError(anna.hook, 'im.message.delete', { MESSAGE_ID: a }, 'CANT_EDIT_MESSAGE', 403);
    });

    it('im.message.add errors', async () => {
      // The portal's messageAdd: no target at all, a chat number that is no id, a user id that is no id.
      await expectError(anna.hook, 'im.message.add', { MESSAGE: 'x' }, 'PARAMS_ERROR');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: '', MESSAGE: 'x' }, 'PARAMS_ERROR');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: 'chatX', MESSAGE: 'x' }, 'CHAT_ID_EMPTY');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: 'chat0', MESSAGE: 'x' }, 'CHAT_ID_EMPTY');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: 'abc', MESSAGE: 'x' }, 'USER_ID_EMPTY');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: '0', MESSAGE: 'x' }, 'USER_ID_EMPTY');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: '   ' }, 'MESSAGE_EMPTY');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: 99999, MESSAGE: 'x' }, 'USER_NOT_FOUND');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: 'chat99999', MESSAGE: 'x' }, 'CHAT_ID');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'x', ATTACH: 'not json' }, 'ATTACH_ERROR');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'x', KEYBOARD: 'nope' }, 'KEYBOARD_ERROR');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'x'.repeat(20001) }, 'MESSAGE_TOO_LONG');
      const other = await ok(boris.hook, 'im.message.add', { DIALOG_ID: clara.id, MESSAGE: 'elsewhere' });
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'x', REPLY_ID: other }, 'REPLY_FROM_OTHER_CHAT_ERROR');
      await expectError(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'x', REPLY_ID: 999999 }, 'REPLY_ACCESS_ERROR');
      const withAttach = await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, ATTACH: [{ MESSAGE: 'card' }] });
      assert.equal(typeof withAttach, 'number');
      const recent = await ok(boris.hook, 'im.recent.get');
      const item = recent.find((i: any) => i.id === anna.id);
      assert.equal(item.message.attach, true);
      assert.equal(item.message.text, '[Attachment]');
    });
  });

  describe('group chats', () => {
    let chatId: number;

    it('im.chat.add creates a chat with its members, owner and first message', async () => {
      chatId = await ok(anna.hook, 'im.chat.add', { TITLE: 'Core team', DESCRIPTION: 'd', COLOR: 'MINT', USERS: [boris.id], MESSAGE: 'welcome', ENTITY_TYPE: 'CRM', ENTITY_ID: '42' });
      assert.equal(typeof chatId, 'number');
      const chat = await ok(boris.hook, 'im.chat.get', { CHAT_ID: chatId });
      assert.equal(chat.name, 'Core team');
      assert.equal(chat.owner, anna.id);
      assert.equal(chat.color, '#4ba984');
      assert.equal(chat.type, 'chat');
      assert.equal(chat.message_type, 'C');
      assert.equal(chat.entity_type, 'CRM');
      assert.equal(chat.entity_id, '42');
      assert.equal(chat.user_counter, 2);
      assert.deepEqual((await ok(boris.hook, 'im.chat.user.list', { CHAT_ID: chatId })).sort(), [anna.id, boris.id].sort());
      // The invitation and the first message are unread for Boris.
      assert.equal((await ok(boris.hook, 'im.counters.get')).CHAT[chatId], 2);
      assert.equal((await ok(anna.hook, 'im.counters.get')).CHAT[chatId], undefined);
      const dialog = await ok(boris.hook, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` });
      assert.equal(dialog.dialog_id, `chat${chatId}`);
      assert.equal(dialog.counter, 2);
      assert.equal(dialog.role, 'member');
      assert.equal(await ok(clara.hook, 'im.chat.get', { CHAT_ID: chatId }), null);
      await expectError(clara.hook, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` }, 'ACCESS_ERROR', 403);
      await expectError(clara.hook, 'im.dialog.get', {}, 'DIALOG_ID_EMPTY');
      const open = await ok(clara.hook, 'im.chat.add', { TYPE: 'OPEN', USERS: [anna.id] });
      assert.equal((await ok(anna.hook, 'im.chat.get', { CHAT_ID: open })).type, 'open');
    });

    it('members join and leave; non-members cannot post; leaving removes the chat from the recent list', async () => {
      await expectError(clara.hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'x' }, 'ACCESS_ERROR');
      await expectError(clara.hook, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [clara.id] }, 'ACCESS_ERROR');
      await expectError(boris.hook, 'im.chat.user.add', { USERS: [clara.id] }, 'CHAT_ID_EMPTY');
      await expectError(boris.hook, 'im.chat.user.add', { CHAT_ID: `chat${chatId}`, USERS: [clara.id] }, 'CHAT_ID_EMPTY');
      assert.equal(await ok(boris.hook, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [clara.id] }), true);
      // HIDE_HISTORY (default Y): Clara sees only what came after she joined.
      const hist = await ok(clara.hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
      assert.equal(hist.messages.length, 1);
      assert.equal(hist.messages[0].author_id, 0);
      assert.deepEqual(hist.messages[0].params, { CODE: ['CHAT_JOIN'], NOTIFY: 'N' });
      assert.equal((await ok(clara.hook, 'im.counters.get')).CHAT[chatId], 1);
      const posted = await ok(clara.hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'hello all' });
      assert.equal(typeof posted, 'number');
      // Members may not kick; the owner may.
      await expectError(boris.hook, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: clara.id }, 'ACCESS_DENIED_KICK');
      await expectError(anna.hook, 'im.chat.user.delete', { CHAT_ID: chatId }, 'USER_ID_EMPTY');
      await expectError(anna.hook, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: admin.id }, 'USER_NOT_FOUND');
      assert.equal(await ok(anna.hook, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: clara.id }), true);
      const claraRecent = await ok(clara.hook, 'im.recent.get');
      assert.ok(!claraRecent.some((i: any) => i.id === `chat${chatId}`));
      await expectError(clara.hook, 'im.chat.leave', { CHAT_ID: chatId }, 'ACCESS_DENIED_KICK');
      await expectError(clara.hook, 'im.chat.leave', {}, 'CHAT_ID_EMPTY');
      assert.equal(await ok(boris.hook, 'im.chat.leave', { CHAT_ID: chatId }), true);
      assert.deepEqual(await ok(anna.hook, 'im.chat.user.list', { CHAT_ID: chatId }), [anna.id]);
      await expectError(boris.hook, 'im.chat.user.list', { CHAT_ID: chatId }, 'ACCESS_ERROR');
    });

    it('avatars: im.chat.add and im.chat.updateAvatar keep a base64 image, shown to members in im.chat.get', async () => {
      // The smallest valid PNG (1x1), as clients send it: plain base64 or a data: URL.
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
      const withAvatar = await ok(anna.hook, 'im.chat.add', { TITLE: 'Pictured', USERS: [boris.id], AVATAR: png });
      assert.equal((await ok(boris.hook, 'im.chat.get', { CHAT_ID: withAvatar })).avatar, `data:image/png;base64,${png}`);
      assert.equal(await ok(boris.hook, 'im.chat.updateAvatar', { DIALOG_ID: `chat${withAvatar}`, AVATAR: `data:image/png;base64,${png}` }), true);
      const item = (await ok(anna.hook, 'im.recent.get')).find((i: any) => i.id === `chat${withAvatar}`);
      assert.equal(item.avatar.url, `data:image/png;base64,${png}`);
      await expectError(boris.hook, 'im.chat.updateAvatar', { CHAT_ID: withAvatar, AVATAR: 'bm90IGFuIGltYWdl' }, 'AVATAR_ERROR');
      await expectError(boris.hook, 'im.chat.updateAvatar', { DIALOG_ID: String(anna.id), AVATAR: png }, 'DIALOG_ID_EMPTY');
      await expectError(boris.hook, 'im.chat.updateAvatar', { AVATAR: png }, 'CHAT_ID_EMPTY');
      await expectError(clara.hook, 'im.chat.updateAvatar', { CHAT_ID: withAvatar, AVATAR: png }, 'ACCESS_DENIED', 403);
      await expectError(anna.hook, 'im.chat.add', { TITLE: 'Broken', AVATAR: 'not base64 at all' }, 'AVATAR_ERROR');
    });

    it('title, colour, owner and mute', async () => {
      assert.equal(await ok(anna.hook, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [boris.id], HIDE_HISTORY: 'N' }), true);
      assert.equal(await ok(boris.hook, 'im.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'Renamed' }), true);
      assert.equal((await ok(anna.hook, 'im.chat.get', { CHAT_ID: chatId })).name, 'Renamed');
      await expectError(boris.hook, 'im.chat.updateTitle', { CHAT_ID: chatId, TITLE: '  ' }, 'TITLE_EMPTY');
      await expectError(clara.hook, 'im.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'x' }, 'ACCESS_ERROR');
      assert.equal(await ok(boris.hook, 'im.chat.updateColor', { CHAT_ID: chatId, COLOR: 'RED' }), true);
      await expectError(boris.hook, 'im.chat.updateColor', { CHAT_ID: chatId, COLOR: 'RED' }, 'WRONG_REQUEST');
      await expectError(boris.hook, 'im.chat.updateColor', { CHAT_ID: chatId, COLOR: 'BLACKISH' }, 'WRONG_COLOR');
      await expectError(boris.hook, 'im.chat.setOwner', { CHAT_ID: chatId, USER_ID: boris.id }, 'WRONG_REQUEST');
      assert.equal(await ok(anna.hook, 'im.chat.setOwner', { CHAT_ID: chatId, USER_ID: boris.id }), true);
      assert.equal((await ok(anna.hook, 'im.chat.get', { CHAT_ID: chatId })).owner, boris.id);
      await ok(anna.hook, 'im.dialog.read', { DIALOG_ID: `chat${chatId}` });
      assert.equal(await ok(anna.hook, 'im.chat.mute', { CHAT_ID: chatId, ACTION: 'Y' }), true);
      await ok(boris.hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'muted for Anna' });
      const counters = await ok(anna.hook, 'im.counters.get');
      assert.equal(counters.CHAT[chatId], undefined);
      assert.equal(counters.CHAT_MUTED[chatId], 1);
      const chat = await ok(anna.hook, 'im.chat.get', { CHAT_ID: chatId });
      assert.deepEqual(chat.mute_list, [anna.id]);
      await ok(anna.hook, 'im.chat.mute', { CHAT_ID: chatId, ACTION: 'N' });
      assert.equal((await ok(anna.hook, 'im.counters.get')).CHAT[chatId], 1);
    });

    it('owners and managers may delete others\' messages in a group chat', async () => {
      const m = await ok(anna.hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'moderate me' });
      assert.equal(await ok(boris.hook, 'im.message.delete', { MESSAGE_ID: m }), true);
      const hist = await ok(anna.hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 50 });
      assert.ok(!hist.messages.some((x: any) => x.id === m));
    });

    it('im.dialog.read.all reads everything', async () => {
      await ok(clara.hook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'unread' });
      assert.ok((await ok(anna.hook, 'im.counters.get')).TYPE.ALL > 0);
      assert.equal(await ok(anna.hook, 'im.dialog.read.all'), true);
      assert.equal((await ok(anna.hook, 'im.counters.get')).TYPE.ALL, 0);
    });
  });

  describe('isolation', () => {
    it('a user never sees another user\'s dialogs, messages or counters', async () => {
      const secret = await ok(anna.hook, 'im.message.add', { DIALOG_ID: boris.id, MESSAGE: 'secret between A and B' });
      const claraRecent = await ok(clara.hook, 'im.recent.get');
      assert.ok(!JSON.stringify(claraRecent).includes('secret between A and B'));
      const hist = await rest(clara.hook, 'im.dialog.messages.get', { DIALOG_ID: anna.id });
      assert.ok(!JSON.stringify(hist.body).includes('secret'));
      await expectError(clara.hook, 'im.message.update', { MESSAGE_ID: secret, MESSAGE: 'x' }, 'CANT_EDIT_MESSAGE', 403);
      const read = await ok(clara.hook, 'im.dialog.read', { DIALOG_ID: `chat${(await ok(anna.hook, 'im.dialog.get', { DIALOG_ID: boris.id })).id}` });
      assert.equal(read, false);
      assert.equal((await ok(boris.hook, 'im.counters.get')).DIALOG[anna.id] > 0, true);
    });
  });
});
