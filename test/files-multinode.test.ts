// Files on several nodes: two server processes on one PostgreSQL database share the file store (bytes in
// blob_chunks). A file uploaded through one node downloads through the other, with the same access rules,
// Range answers and freeing of bytes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('files on two nodes sharing PostgreSQL', () => {
  let db: TestDatabase;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let sql: pg.Client;
  let annaA: string;
  let borisB: string;
  let claraB: string;
  let chatId: number;

  before(async () => {
    db = await createTestDatabase();
    const nodes = await Promise.allSettled([1, 2].map(() => startServer({ databaseUrl: db.url })));
    const failed = nodes.find((n) => n.status === 'rejected');
    if (failed) {
      for (const n of nodes) if (n.status === 'fulfilled') await n.value.cleanup();
      throw failed.reason;
    }
    [nodeA, nodeB] = nodes.map((n) => (n as PromiseFulfilledResult<TestServer>).value);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    annaA = await nodeA.webhook(1);
    const b = await nodeA.addUser('Boris', 'Node');
    const c = await nodeA.addUser('Clara', 'Node');
    borisB = (await nodeA.webhook(b.id)).replace(nodeA.url, nodeB.url);
    claraB = (await nodeA.webhook(c.id)).replace(nodeA.url, nodeB.url);
    chatId = await ok(annaA, 'im.chat.add', { TITLE: 'Shared', USERS: [b.id] });
  });

  after(async () => {
    await sql?.end();
    await Promise.all([nodeA?.cleanup(), nodeB?.cleanup()]);
    await db?.drop();
  });

  it('uploads through node A (both ways) download byte for byte through node B', async () => {
    const folder = (await ok(annaA, 'im.disk.folder.get', { CHAT_ID: chatId })).ID;
    assert.deepEqual(await ok(borisB, 'im.disk.folder.get', { CHAT_ID: chatId }), { ID: folder });
    // 1.3 MB crosses several 256 KiB chunks and ends mid-chunk.
    const big = crypto.randomBytes(1_300_000);
    const step = await ok(annaA, 'disk.folder.uploadFile', { id: folder });
    // The uploadUrl node A handed out works on node B too.
    const form = new FormData();
    form.append(step.field, new Blob([new Uint8Array(big)]), 'данные.bin');
    const up = await fetch(step.uploadUrl.replace(nodeA.url, nodeB.url), { method: 'POST', body: form });
    assert.equal(up.status, 200);
    const bigId = (await up.json()).result.ID;
    const small = crypto.randomBytes(5000);
    const s = await ok(annaA, 'disk.folder.uploadFile', { id: folder, data: { NAME: 'small.bin' }, fileContent: ['small.bin', small.toString('base64')] });
    await ok(annaA, 'im.disk.file.commit', { CHAT_ID: chatId, FILE_ID: [bigId, s.ID] });

    const h = await ok(borisB, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(h.files.length, 2);
    // Each node links to itself (its public URL); the link works on every node.
    for (const f of h.files) assert.ok(f.urlDownload.startsWith(nodeB.url), f.urlDownload);
    const bigUrl = h.files.find((f: any) => f.id === bigId).urlDownload.replace(nodeB.url, nodeA.url);
    const onB = await get(bigUrl.replace(nodeA.url, nodeB.url));
    assert.equal(onB.status, 200);
    assert.equal(sha(onB.bytes), sha(big));
    const onA = await get(bigUrl);
    assert.equal(sha(onA.bytes), sha(big));
    assert.equal(onA.headers.get('etag'), onB.headers.get('etag'));
    // A range across a chunk boundary, through node B.
    const from = 256 * 1024 - 10;
    const slice = await get(bigUrl.replace(nodeA.url, nodeB.url), { range: `bytes=${from}-${from + 99}` });
    assert.equal(slice.status, 206);
    assert.ok(slice.bytes.equals(big.subarray(from, from + 100)));
    // Bytes live in the database, one row per chunk.
    const chunks = await sql.query('select count(*)::int as n from blob_chunks where key = $1', [sha(big)]);
    assert.equal(chunks.rows[0].n, Math.ceil(big.length / (256 * 1024)));
  });

  it('a non-member is refused on every node; deleting through node B frees the shared bytes', async () => {
    const h = await ok(borisB, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const clara = await ok(claraB, 'user.current', {});
    for (const f of h.files) {
      for (const node of [nodeA, nodeB]) {
        const url = f.urlDownload.replace(nodeB.url, node.url).replace(/u=\d+/, `u=${clara.ID}`);
        assert.equal((await get(url)).status, 403);
      }
    }
    assert.equal((await rest(claraB, 'im.disk.folder.get', { CHAT_ID: chatId })).status, 403);
    const file = h.files.find((f: any) => f.name === 'small.bin');
    const key = (await get(file.urlDownload)).headers.get('etag')!.replace(/"/g, '');
    assert.equal(await ok(annaA.replace(nodeA.url, nodeB.url), 'im.disk.file.delete', { CHAT_ID: chatId, FILE_ID: file.id }), true);
    assert.equal((await get(file.urlDownload)).status, 404);
    const left = await sql.query('select (select count(*)::int from blob_chunks where key = $1) as chunks, (select count(*)::int from blobs where key = $1) as rows', [key]);
    assert.deepEqual(left.rows[0], { chunks: 0, rows: 0 });
    const usage = await nodeB.cliJson(['files', 'quota', '--db', db.url]);
    assert.equal(usage.store, 'postgres');
    assert.equal(usage.files, 1);
  });
});
