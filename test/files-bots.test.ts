// Classic bots and files: a file sent to a bot arrives in ONIMBOTMESSAGEADD as PARAMS.FILES (im file objects with
// links the bot may open), and a bot uploads and sends a file in its own name (BOT_ID, as imbot.* take it).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HandlerServer } from './helpers/handler.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

describe('classic bots and files', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let ownerHook: string;
  let userHook: string;
  let userId: number;
  let botId: number;

  before(async () => {
    srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100' } });
    handler = await HandlerServer.start();
    const owner = await srv.addUser('Olga', 'Owner');
    const user = await srv.addUser('Ursula', 'User');
    userId = user.id;
    ownerHook = await srv.webhook(owner.id, 'imbot,im,disk');
    userHook = await srv.webhook(user.id);
    // A supervisor bot (TYPE S): it also hears of edits, as a portal sends them only to those.
    botId = await ok(ownerHook, 'imbot.register', { CODE: 'filebot', TYPE: 'S', CLIENT_ID: 'files-1', EVENT_HANDLER: handler.url, PROPERTIES: { NAME: 'File bot' } });
  });

  after(async () => {
    await handler?.close();
    await srv?.cleanup();
  });

  it('a file sent to the bot arrives as PARAMS.FILES with a link the bot can download', async () => {
    const folder = (await ok(userHook, 'im.disk.folder.get', { DIALOG_ID: String(botId) })).ID;
    const bytes = crypto.randomBytes(30_000);
    const up = await ok(userHook, 'disk.folder.uploadFile', { id: folder, data: { NAME: 'счёт.pdf' }, fileContent: ['счёт.pdf', bytes.toString('base64')] });
    const sent = await ok(userHook, 'im.disk.file.commit', { DIALOG_ID: String(botId), FILE_ID: up.ID, MESSAGE: 'please check' });
    const got = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE_ID === String(sent.MESSAGE_ID));
    const files = got.body.data.PARAMS.FILES;
    assert.deepEqual(Object.keys(files), [String(up.ID)]);
    const f = files[String(up.ID)];
    assert.equal(f.name, 'счёт.pdf');
    assert.equal(f.extension, 'pdf');
    assert.equal(f.size, String(bytes.length)); // a form-encoded event carries every value as a string
    assert.equal(f.authorId, String(userId));
    assert.match(f.urlDownload, new RegExp(`[?&]u=${botId}&`));
    const res = await fetch(f.urlDownload);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(sha(Buffer.from(await res.arrayBuffer())), sha(bytes));
    assert.equal(got.body.data.PARAMS.MESSAGE, 'please check');
    // The user takes the file back: the message keeps its text, and the bot hears of the change as of an edit.
    const chatId = (await ok(userHook, 'im.dialog.get', { DIALOG_ID: String(botId) })).id;
    assert.equal(await ok(userHook, 'im.disk.file.delete', { CHAT_ID: chatId, FILE_ID: up.ID }), true);
    const update = await handler.waitFor((r) => r.body.event === 'ONIMBOTMESSAGEUPDATE' && r.body.data.PARAMS.MESSAGE_ID === String(sent.MESSAGE_ID));
    assert.equal(update.body.data.PARAMS.FILES, undefined);
    assert.equal((await fetch(f.urlDownload)).status, 404);
  });

  it('the bot uploads and sends a file in its own name; the user downloads it', async () => {
    const asBot = { BOT_ID: botId, CLIENT_ID: 'files-1' };
    const folder = (await ok(ownerHook, 'im.disk.folder.get', { ...asBot, DIALOG_ID: String(userId) })).ID;
    const report = Buffer.from('id;value\n1;Привет\n', 'utf8');
    const up = await ok(ownerHook, 'disk.folder.uploadFile', { ...asBot, id: folder, data: { NAME: 'report.csv' }, fileContent: ['report.csv', report.toString('base64')] });
    assert.equal(up.CREATED_BY, String(botId));
    const sent = await ok(ownerHook, 'im.disk.file.commit', { ...asBot, DIALOG_ID: String(userId), FILE_ID: up.ID, MESSAGE: 'Your report' });
    const h = await ok(userHook, 'im.dialog.messages.get', { DIALOG_ID: String(botId) });
    const m = h.messages.find((x: any) => x.id === sent.MESSAGE_ID);
    assert.equal(m.author_id, botId);
    const f = h.files.find((x: any) => x.id === up.ID);
    assert.equal(f.authorId, botId);
    const res = await fetch(f.urlDownload);
    assert.equal(Buffer.from(await res.arrayBuffer()).toString('utf8'), 'id;value\n1;Привет\n');
    // Another application's CLIENT_ID does not act as this bot.
    const foreign = await rest(userHook, 'im.disk.file.commit', { BOT_ID: botId, CLIENT_ID: 'files-1', DIALOG_ID: String(userId), FILE_ID: up.ID });
    assert.notEqual(foreign.status, 200);
  });
});
