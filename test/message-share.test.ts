// im.message.share: TYPE=CHAT makes a new chat of the user and the message's author that opens with the quoted
// message, and leaves a note under the quote where the message was; the types b24im has no module for answer false.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

describe('im.message.share', () => {
  let srv: TestServer;
  const u: Record<'anna' | 'boris' | 'clara', { id: number; hook: string }> = {} as never;

  before(async () => {
    srv = await startServer();
    for (const name of ['anna', 'boris', 'clara'] as const) {
      const user = await srv.addUser(name[0].toUpperCase() + name.slice(1));
      u[name] = { id: user.id, hook: await srv.webhook(user.id) };
    }
  });
  after(async () => srv?.cleanup());

  const chatIds = async (hook: string) =>
    new Set((await ok(hook, 'im.recent.get')).filter((i: any) => i.type === 'chat').map((i: any) => i.chat_id as number));
  const lastMessages = async (hook: string, dialogId: string) => (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: dialogId })).messages;

  it('a dialog message becomes a chat of both users, quoted there and noted in the dialog', async () => {
    const id = await ok(u.boris.hook, 'im.message.add', { DIALOG_ID: u.anna.id, MESSAGE: 'Shall we plan the [b]release[/b]?' });
    const before = await chatIds(u.anna.hook);
    assert.equal(await ok(u.anna.hook, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: String(u.boris.id), TYPE: 'CHAT' }), true);

    const created = [...(await chatIds(u.anna.hook))].filter((c) => !before.has(c));
    assert.equal(created.length, 1);
    const chat = await ok(u.anna.hook, 'im.chat.get', { CHAT_ID: created[0] });
    assert.equal(chat.entity_type, 'THREAD');
    assert.deepEqual((await ok(u.anna.hook, 'im.chat.user.list', { CHAT_ID: created[0] })).sort(), [u.anna.id, u.boris.id].sort());
    assert.ok((await chatIds(u.boris.hook)).has(created[0]), 'the author sees the new chat');

    // The new chat holds exactly one message: the system quote with a link back to the dialog (no "invited" notice).
    const opening = await lastMessages(u.boris.hook, `chat${created[0]}`);
    assert.equal(opening.length, 1);
    assert.equal(opening[0].author_id, 0);
    assert.match(opening[0].text, /Shall we plan the/);
    assert.ok(opening[0].text.includes('Boris Test'), opening[0].text);

    // The dialog got Anna's note under the quote, after Boris's message.
    const [note] = await lastMessages(u.boris.hook, String(u.anna.id));
    assert.equal(note.author_id, u.anna.id);
    assert.match(note.text, /Shall we plan the/);
    assert.match(note.text, /created to discuss/);
  });

  it('a chat message: the note in the chat is the chat\'s system message', async () => {
    const chatId = await ok(u.anna.hook, 'im.chat.add', { TITLE: 'Planning', USERS: [u.boris.id] });
    const id = await ok(u.boris.hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Numbers for Q3' });
    assert.equal(await ok(u.anna.hook, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: `chat${chatId}`, TYPE: 'CHAT' }), true);
    const [note] = await lastMessages(u.anna.hook, `chat${chatId}`);
    assert.equal(note.author_id, 0);
    assert.match(note.text, /Numbers for Q3/);
  });

  it('a message with a file: the quote names the file', async () => {
    const chatId = await ok(u.anna.hook, 'im.chat.add', { TITLE: 'Files', USERS: [u.boris.id] });
    const folder = (await ok(u.boris.hook, 'im.disk.folder.get', { CHAT_ID: chatId })).ID;
    const up = await ok(u.boris.hook, 'disk.folder.uploadFile', { id: folder, data: { NAME: 'план.pdf' }, fileContent: ['план.pdf', Buffer.from('%PDF-1.4 plan').toString('base64')] });
    const sent = await ok(u.boris.hook, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: up.ID, MESSAGE: 'the plan' });
    assert.equal(await ok(u.anna.hook, 'im.message.share', { MESSAGE_ID: sent.MESSAGE_ID, DIALOG_ID: `chat${chatId}`, TYPE: 'CHAT' }), true);
    const [note] = await lastMessages(u.anna.hook, `chat${chatId}`);
    assert.match(note.text, /the plan\n\[File: план\.pdf\]/);
  });

  it('types without their module answer false and create nothing; bad parameters get the documented codes', async () => {
    const id = await ok(u.anna.hook, 'im.message.add', { DIALOG_ID: u.boris.id, MESSAGE: 'a task, maybe' });
    const before = await chatIds(u.anna.hook);
    for (const type of ['TASK', 'POST', 'CALEND']) {
      assert.equal(await ok(u.anna.hook, 'im.message.share', { MESSAGE_ID: id, DIALOG_ID: String(u.boris.id), TYPE: type }), false);
    }
    assert.deepEqual(await chatIds(u.anna.hook), before);

    const cases: [Record<string, unknown>, number, string][] = [
      [{ DIALOG_ID: String(u.boris.id), TYPE: 'CHAT' }, 400, 'MESSAGE_ID_ERROR'],
      [{ MESSAGE_ID: 'x', DIALOG_ID: String(u.boris.id), TYPE: 'CHAT' }, 400, 'MESSAGE_ID_ERROR'],
      [{ MESSAGE_ID: id, TYPE: 'CHAT' }, 400, 'DIALOG_ID_EMPTY'],
      [{ MESSAGE_ID: id, DIALOG_ID: 'chatx', TYPE: 'CHAT' }, 400, 'DIALOG_ID_EMPTY'],
      [{ MESSAGE_ID: id, DIALOG_ID: String(u.boris.id), TYPE: 'NOTE' }, 400, 'PARAMS_ERROR'],
      [{ MESSAGE_ID: id, DIALOG_ID: String(u.boris.id) }, 400, 'PARAMS_ERROR'],
    ];
    for (const [params, status, code] of cases) {
      const r = await rest(u.anna.hook, 'im.message.share', params);
      assert.equal(r.status, status, JSON.stringify(params));
      assert.equal(r.body.error, code, JSON.stringify(params));
    }
  });

  it('nobody shares what they cannot see: another dialog, another chat, or a message named through the wrong dialog', async () => {
    const id = await ok(u.anna.hook, 'im.message.add', { DIALOG_ID: u.boris.id, MESSAGE: 'between us' });
    const before = await chatIds(u.clara.hook);
    for (const params of [
      { MESSAGE_ID: id, DIALOG_ID: String(u.boris.id), TYPE: 'CHAT' }, // Clara's own dialog with Boris: not where it is
      { MESSAGE_ID: id, DIALOG_ID: String(u.anna.id), TYPE: 'CHAT' },
      { MESSAGE_ID: 999_999, DIALOG_ID: String(u.anna.id), TYPE: 'CHAT' },
    ]) {
      const r = await rest(u.clara.hook, 'im.message.share', params);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error, 'ACCESS_ERROR');
    }
    assert.deepEqual(await chatIds(u.clara.hook), before);
  });
});
