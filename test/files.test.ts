// Files in chats over HTTP, as clients do it: the chat's folder, both uploads disk.folder.uploadfile documents
// (base64 fileContent and the uploadUrl multipart form), im.disk.file.commit, history `files`, the recent [File]
// marker, downloads (hash-compared bytes, RFC 5987 names, Range, ETag), access errors for non-members on the
// folder and every URL, the size limit, delete / save, and reference counting that frees bytes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openProbe } from './helpers/dump.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { png as realPng } from './helpers/images.ts';
import sharp from 'sharp';

const LIMIT = 600_000;

const sha = (b: Buffer | Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** Random bytes that contain every byte value (NUL, CR, LF, 0xFF ...), so no text decoding slips through. */
function binary(size: number): Buffer {
  const b = crypto.randomBytes(size);
  for (let i = 0; i < 256 && i < size; i++) b[i] = i;
  return b;
}

/** A real 3x2 PNG (IHDR with the size), so the image dimensions are read from the bytes. */
function png(width: number, height: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8;
  ihdr[17] = 2;
  return Buffer.concat([sig, ihdr, crypto.randomBytes(64)]);
}

async function uploadForm(uploadUrl: string, name: string, bytes: Buffer, field = 'file'): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(uploadUrl, { method: 'POST', body: form });
  return { status: res.status, body: await res.json() };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('files in chats', () => {
  let srv: TestServer;
  let anna: string;
  let boris: string;
  let clara: string;
  let borisId: number;
  let chatId: number;
  let folderId: number;

  const quota = async () => srv.cliJson(['files', 'quota', '--db', srv.dbPath]);

  before(async () => {
    srv = await startServer({ env: { B24IM_FILE_LIMIT: String(LIMIT) } });
    anna = await srv.webhook(1);
    const b = await srv.addUser('Boris', 'Files');
    const c = await srv.addUser('Clara', 'Outsider');
    borisId = b.id;
    boris = await srv.webhook(b.id);
    clara = await srv.webhook(c.id);
    chatId = await ok(anna, 'im.chat.add', { TITLE: 'Documents', USERS: [b.id] });
  });

  after(async () => {
    await srv?.cleanup();
  });

  it('im.disk.folder.get: one folder per chat for every member; errors for the rest', async () => {
    const byChat = await ok(anna, 'im.disk.folder.get', { CHAT_ID: chatId });
    assert.equal(typeof byChat.ID, 'number');
    folderId = byChat.ID;
    assert.deepEqual(await ok(boris, 'im.disk.folder.get', { DIALOG_ID: `chat${chatId}` }), { ID: folderId });
    const outsider = await rest(clara, 'im.disk.folder.get', { CHAT_ID: chatId });
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error, 'ACCESS_ERROR');
    const none = await rest(anna, 'im.disk.folder.get', {});
    assert.equal(none.status, 400);
    assert.equal(none.body.error, 'CHAT_ID_EMPTY');
    assert.equal((await rest(anna, 'im.disk.folder.get', { DIALOG_ID: 'chatX' })).body.error, 'DIALOG_ID_EMPTY');
    // A private dialog has its folder too.
    const dialog = await ok(anna, 'im.disk.folder.get', { DIALOG_ID: String(borisId) });
    assert.notEqual(dialog.ID, folderId);
  });

  let first: { id: number; bytes: Buffer; name: string };
  let second: { id: number; bytes: Buffer; name: string };
  let image: { id: number; bytes: Buffer };

  it('disk.folder.uploadfile with base64 fileContent stores the exact bytes', async () => {
    const bytes = binary(200_000);
    const name = 'отчёт «Q3» 100% "final".bin';
    const r = await ok(anna, 'disk.folder.uploadFile', { id: folderId, data: { NAME: name }, fileContent: [name, bytes.toString('base64')] });
    assert.equal(r.NAME, name);
    assert.equal(r.SIZE, String(bytes.length));
    assert.equal(r.PARENT_ID, String(folderId));
    assert.equal(r.TYPE, 'file');
    assert.match(r.CREATE_TIME, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    first = { id: r.ID, bytes, name };
    // Anna's own URL works for Anna before the file is sent.
    const got = await get(r.DOWNLOAD_URL);
    assert.equal(got.status, 200);
    assert.equal(sha(got.bytes), sha(bytes));
  });

  it('disk.folder.uploadfile without fileContent hands out an uploadUrl taking a multipart form', async () => {
    const step1 = await ok(anna, 'disk.folder.uploadFile', { id: folderId });
    assert.equal(step1.field, 'file');
    assert.match(step1.uploadUrl, /^http:\/\/127\.0\.0\.1:\d+\/rest\/upload\.json\?token=/);
    const bytes = binary(450_000);
    const name = 'Смета 2026 (черновик).xlsx';
    const up = await uploadForm(step1.uploadUrl, name, bytes);
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(up.body.result.NAME, name);
    assert.equal(up.body.result.SIZE, String(bytes.length));
    second = { id: up.body.result.ID, bytes, name };
    // A forged or altered token is refused.
    const forged = await uploadForm(step1.uploadUrl.replace(/token=(.)/, (_m: string, c: string) => `token=${c === 'A' ? 'B' : 'A'}`), 'x.bin', Buffer.from('x'));
    assert.equal(forged.status, 401);
  });

  it('uploads into a folder the user may not write to are refused, and so is a missing folder', async () => {
    const r = await rest(clara, 'disk.folder.uploadFile', { id: folderId, data: { NAME: 'a.txt' }, fileContent: ['a.txt', 'YQ=='] });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'ACCESS_DENIED');
    const step = await rest(clara, 'disk.folder.uploadFile', { id: folderId });
    assert.equal(step.status, 403);
    const missing = await rest(anna, 'disk.folder.uploadFile', { id: 99999, data: { NAME: 'a.txt' }, fileContent: ['a.txt', 'YQ=='] });
    assert.equal(missing.body.error, 'ERROR_NOT_FOUND');
    assert.equal((await rest(anna, 'disk.folder.uploadFile', {})).body.error, 'ERROR_ARGUMENT');
  });

  it('im.disk.file.commit posts one message with the files, in the documented shape', async () => {
    const img = png(72, 61);
    const up = await ok(boris, 'disk.folder.uploadFile', { id: folderId, data: { NAME: 'image.png' }, fileContent: ['image.png', img.toString('base64')] });
    image = { id: up.ID, bytes: img };
    const r = await ok(anna, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: [first.id, second.id], MESSAGE: 'Документы по проекту' });
    assert.equal(typeof r.MESSAGE_ID, 'number');
    assert.deepEqual(r.DISK_ID, [String(first.id), String(second.id)]);
    assert.deepEqual(Object.keys(r.FILES), [`upload${first.id}`, `upload${second.id}`]);
    const f = r.FILES[`upload${first.id}`];
    assert.equal(f.id, first.id);
    assert.equal(f.chatId, chatId);
    assert.equal(f.type, 'file');
    assert.equal(f.name, first.name);
    assert.equal(f.extension, 'bin');
    assert.equal(f.size, first.bytes.length);
    assert.equal(f.status, 'done');
    assert.equal(f.authorId, 1);
    assert.equal(typeof f.urlDownload, 'string');
    assert.equal(r.FILE_MODELS[`upload${second.id}`].size, second.bytes.length);
    // Boris sends his image by UPLOAD_ID, as a plain message without text.
    const img2 = await ok(boris, 'im.disk.file.commit', { DIALOG_ID: `chat${chatId}`, UPLOAD_ID: image.id });
    assert.equal(img2.FILES[`upload${image.id}`].type, 'image');
    assert.deepEqual(img2.FILES[`upload${image.id}`].image, { width: 72, height: 61 });
  });

  it('im.disk.file.commit errors: no files, unknown files, files of another user, a chat the caller is not in', async () => {
    assert.equal((await rest(anna, 'im.disk.file.commit', { CHAT_ID: chatId })).body.error, 'FILES_ERROR');
    assert.equal((await rest(anna, 'im.disk.file.commit', { FILE_ID: [first.id] })).body.error, 'CHAT_ID_EMPTY');
    assert.equal((await rest(anna, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: [987654] })).body.error, 'SAVE_ERROR');
    const outsider = await rest(clara, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: [first.id] });
    assert.equal(outsider.status, 403);
    assert.equal(outsider.body.error, 'ACCESS_ERROR');
    // Clara cannot send Anna's file into her own dialog either: she cannot see it.
    const steal = await rest(clara, 'im.disk.file.commit', { DIALOG_ID: '1', FILE_ID: [first.id] });
    assert.equal(steal.body.error, 'SAVE_ERROR');
    // A refused commit stores nothing: no folder, no new dialog (the access check writes nothing).
    const probe = await openProbe(srv);
    try {
      const stranger = await srv.addUser('Stranger');
      const before = await probe.dump();
      const refused = await rest(clara, 'im.disk.file.commit', { DIALOG_ID: String(stranger.id), UPLOAD_ID: [987654] });
      assert.equal(refused.body.error, 'SAVE_ERROR');
      assert.equal(await probe.dump(), before);
    } finally {
      await probe.close();
    }
  });

  it('im.dialog.messages.get returns the files and FILE_ID; the recent item shows [File]', async () => {
    const h = await ok(boris, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const ids = h.files.map((f: any) => f.id).sort((a: number, b: number) => a - b);
    assert.deepEqual(ids, [first.id, second.id, image.id].sort((a, b) => a - b));
    const withFiles = h.messages.find((m: any) => m.text === 'Документы по проекту');
    assert.deepEqual(withFiles.params.FILE_ID, [first.id, second.id]);
    const shownImage = h.files.find((f: any) => f.id === image.id);
    assert.equal(shownImage.type, 'image');
    assert.match(shownImage.urlPreview, /\/files\/\d+\/preview\//);
    const recent = await ok(anna, 'im.recent.get', {});
    const item = recent.find((i: any) => i.id === `chat${chatId}`);
    assert.equal(item.message.text, '[File]');
    assert.equal(item.message.file, true);
  });

  it('downloads: exact bytes for every member, UTF-8 names, Range, ETag', async () => {
    const h = await ok(boris, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const f = h.files.find((x: any) => x.id === first.id);
    const full = await get(f.urlDownload);
    assert.equal(full.status, 200);
    assert.equal(sha(full.bytes), sha(first.bytes));
    assert.equal(full.headers.get('content-length'), String(first.bytes.length));
    assert.equal(full.headers.get('content-type'), 'application/octet-stream');
    const disposition = full.headers.get('content-disposition')!;
    assert.match(disposition, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(disposition.split("UTF-8''")[1]), first.name);
    const etag = full.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    assert.equal((await get(f.urlDownload, { 'if-none-match': etag })).status, 304);

    const slice = await get(f.urlDownload, { range: 'bytes=1000-1999' });
    assert.equal(slice.status, 206);
    assert.equal(slice.headers.get('content-range'), `bytes 1000-1999/${first.bytes.length}`);
    assert.ok(slice.bytes.equals(first.bytes.subarray(1000, 2000)));
    const tail = await get(f.urlDownload, { range: 'bytes=-100' });
    assert.ok(tail.bytes.equals(first.bytes.subarray(first.bytes.length - 100)));
    const open = await get(f.urlDownload, { range: `bytes=${first.bytes.length - 5}-` });
    assert.ok(open.bytes.equals(first.bytes.subarray(first.bytes.length - 5)));
    const beyond = await get(f.urlDownload, { range: `bytes=${first.bytes.length}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${first.bytes.length}`);

    const s = h.files.find((x: any) => x.id === second.id);
    const big = await get(s.urlDownload);
    assert.equal(sha(big.bytes), sha(second.bytes));
    // The image is shown inline as an image; the other files never are.
    const img = h.files.find((x: any) => x.id === image.id);
    const shown = await get(img.urlShow);
    assert.equal(shown.headers.get('content-type'), 'image/png');
    assert.match(shown.headers.get('content-disposition')!, /^inline;/);
    assert.ok(shown.bytes.equals(image.bytes));
  });

  it('urlPreview serves a resized image (at most 640 px), urlShow and urlDownload the original', async () => {
    const big = realPng(1280, 100);
    const up = await ok(anna, 'disk.folder.uploadFile', { id: folderId, data: { NAME: 'wide.png' }, fileContent: ['wide.png', big.toString('base64')] });
    const sent = await ok(anna, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: up.ID });
    const f = sent.FILES[`upload${up.ID}`];
    assert.deepEqual(f.image, { width: 1280, height: 100 });
    const preview = await get(f.urlPreview);
    assert.equal(preview.status, 200);
    assert.equal(preview.headers.get('content-type'), 'image/png');
    const meta = await sharp(preview.bytes).metadata();
    assert.deepEqual([meta.width, meta.height], [640, 50]);
    const etag = preview.headers.get('etag')!;
    assert.equal((await get(f.urlPreview, { 'if-none-match': etag })).status, 304);
    const original = await get(f.urlShow);
    assert.ok(original.bytes.equals(big));
    // An image too small to shrink is previewed at its own size; bytes that are no image fall back to the original.
    const small = await get(image.id ? (await ok(boris, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).files.find((x: any) => x.id === image.id).urlPreview : '');
    assert.equal(small.status, 200);
    assert.ok(small.bytes.equals(image.bytes), 'an undecodable image is served as it is');
  });

  it('a non-member gets an access error on every URL; a member removed from the chat loses access at once', async () => {
    const h = await ok(boris, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const claraSees = await rest(clara, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(claraSees.body.error, 'ACCESS_ERROR');
    const c = await ok(clara, 'user.current', {});
    for (const f of h.files) {
      for (const url of [f.urlDownload, f.urlShow, f.urlPreview].filter(Boolean)) {
        // Boris's link with Clara's id, and with a broken signature.
        const asClara = await get(url.replace(/u=\d+/, `u=${c.ID}`));
        assert.equal(asClara.status, 403, url);
        const broken = await get(url.replace(/s=([^&]+)/, 's=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
        assert.equal(broken.status, 403);
        const body = JSON.parse(broken.bytes.toString());
        assert.equal(body.error, 'ACCESS_DENIED');
      }
    }
    // Boris leaves: his links stop working on the next request.
    const url = h.files[0].urlDownload;
    assert.equal((await get(url)).status, 200);
    await ok(anna, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: borisId });
    assert.equal((await get(url)).status, 403);
    await ok(anna, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [borisId], HIDE_HISTORY: 'N' });
  });

  it('a file over B24IM_FILE_LIMIT is refused on both upload paths, leaving nothing behind', async () => {
    const before = await quota();
    const tooBig = binary(LIMIT + 1);
    const r = await rest(anna, 'disk.folder.uploadFile', { id: folderId, data: { NAME: 'big.bin' }, fileContent: ['big.bin', tooBig.toString('base64')] });
    assert.equal(r.status, 413);
    assert.equal(r.body.error, 'ERROR_COULD_NOT_SAVE_FILE');
    const step = await ok(anna, 'disk.folder.uploadFile', { id: folderId });
    const up = await uploadForm(step.uploadUrl, 'big.bin', binary(LIMIT * 3));
    assert.equal(up.status, 413);
    assert.equal(up.body.error, 'ERROR_COULD_NOT_SAVE_FILE');
    // Exactly at the limit is fine.
    const exact = await uploadForm(step.uploadUrl, 'exact.bin', binary(LIMIT));
    assert.equal(exact.status, 200);
    const afterIt = await quota();
    assert.equal(afterIt.files, before.files + 1);
    assert.equal(afterIt.blobBytes, before.blobBytes + LIMIT);
    if (afterIt.store === 'local') assert.deepEqual(fs.readdirSync(path.join(srv.dir, 'files', 'tmp')), []);
  });

  it('im.disk.file.delete: only the sender removes a file; the message keeps the rest', async () => {
    const empty = await rest(anna, 'im.disk.file.delete', { CHAT_ID: chatId });
    assert.equal(empty.body.error, 'FILE_ID_EMPTY');
    assert.equal((await rest(anna, 'im.disk.file.delete', { FILE_ID: first.id })).body.error, 'CHAT_ID_EMPTY');
    // Another member: true, and nothing changes. A non-member or a wrong chat: false.
    assert.equal(await ok(boris, 'im.disk.file.delete', { CHAT_ID: chatId, FILE_ID: first.id }), true);
    assert.equal(await ok(clara, 'im.disk.file.delete', { CHAT_ID: chatId, FILE_ID: first.id }), false);
    assert.equal(await ok(anna, 'im.disk.file.delete', { CHAT_ID: chatId + 1000, FILE_ID: first.id }), false);
    const before = await ok(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const url = before.files.find((f: any) => f.id === first.id).urlDownload;
    assert.equal(await ok(anna, 'im.disk.file.delete', { CHAT_ID: chatId, FILE_ID: first.id }), true);
    const h = await ok(anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    assert.ok(!h.files.some((f: any) => f.id === first.id));
    const m = h.messages.find((x: any) => x.text === 'Документы по проекту');
    assert.deepEqual(m.params.FILE_ID, [second.id]);
    assert.equal((await get(url)).status, 404);
  });

  it('im.disk.file.save copies into the user\'s Saved files, sharing the bytes', async () => {
    const before = await quota();
    assert.equal((await rest(boris, 'im.disk.file.save', {})).body.error, 'FILE_ID_EMPTY');
    assert.equal((await rest(clara, 'im.disk.file.save', { FILE_ID: second.id })).body.error, 'FILE_SAVE_ERROR');
    const saved = await ok(boris, 'im.disk.file.save', { FILE_ID: second.id });
    assert.equal(saved.folder.name, 'Saved files');
    assert.equal(saved.file.name, second.name);
    assert.notEqual(saved.file.id, second.id);
    const afterIt = await quota();
    assert.equal(afterIt.files, before.files + 1);
    assert.equal(afterIt.blobs, before.blobs, 'a copy shares the content');
    // Boris can send his saved copy to his dialog with Clara, who then sees it.
    const sent = await ok(boris, 'im.disk.file.commit', { DIALOG_ID: String((await ok(clara, 'user.current', {})).ID), FILE_ID: saved.file.id });
    const claraView = await ok(clara, 'im.dialog.messages.get', { DIALOG_ID: String(borisId) });
    const f = claraView.files.find((x: any) => x.id === Number(sent.DISK_ID[0]));
    assert.equal(sha((await get(f.urlDownload)).bytes), sha(second.bytes));
  });

  it('reference counting: the same content is stored once and freed with its last reference', async () => {
    const start = await quota();
    const bytes = binary(120_000);
    const ids: number[] = [];
    for (const name of ['copy-a.bin', 'copy-b.bin']) {
      const r = await ok(anna, 'disk.folder.uploadFile', { id: folderId, data: { NAME: name }, fileContent: [name, bytes.toString('base64')] });
      ids.push(r.ID);
    }
    const both = await quota();
    assert.equal(both.files, start.files + 2);
    assert.equal(both.blobs, start.blobs + 1);
    assert.equal(both.blobBytes, start.blobBytes + bytes.length);
    const sent = await ok(anna, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: ids });
    // Deleting the message takes its files; the content goes with the last one.
    await ok(anna, 'im.message.delete', { MESSAGE_ID: sent.MESSAGE_ID });
    const freed = await quota();
    assert.equal(freed.files, start.files);
    assert.equal(freed.blobs, start.blobs);
    assert.equal(freed.blobBytes, start.blobBytes);
    if (freed.store === 'local') {
      const key = sha(bytes);
      assert.equal(fs.existsSync(path.join(srv.dir, 'files', key.slice(0, 2), key.slice(2, 4), key)), false);
    }
  });
});
