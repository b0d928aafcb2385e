// What PHP bots send, byte for byte: http_build_query form bodies with `auth` in the body, posted to
// client_endpoint + METHOD.json (as the classic bot template does with curl), GET query strings, and curl's
// multipart form posts. Answers are read from the raw socket and parsed with a plain JSON.parse.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { curlMultipart, httpBuildQuery, rawRequest, type PhpValue, type RawAnswer } from './helpers/php.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const execFileP = promisify(execFile);

describe('PHP bots', () => {
  let srv: TestServer;
  let ca: string;
  let ivan: any;
  let maria: any;
  let token: any;

  /** restCommand() of the classic PHP bot: POST http_build_query(params + auth) to client_endpoint.METHOD.json. */
  async function bot(method: string, params: { [key: string]: PhpValue } = {}, extra: { expectContinue?: boolean } = {}) {
    const body = httpBuildQuery({ ...params, auth: token.access_token });
    const answer = await rawRequest(`${token.client_endpoint}${method}.json`, { body, ca, ...extra });
    return { ...answer, json: JSON.parse(answer.text) };
  }

  const isJson = (a: RawAnswer) => assert.match(a.headers['content-type'] ?? '', /^application\/json; charset=utf-8$/i);

  before(async () => {
    srv = await startServer({ https: true });
    ivan = await srv.addUser('Ivan', 'Petrov');
    maria = await srv.addUser('Maria', 'Sidorova');
    token = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(ivan.id)]);
    ca = fs.readFileSync(await srv.caPath(), 'utf8');
  });
  after(() => srv?.cleanup());

  it('the test\'s http_build_query and curl multipart match what the real php and curl send', async () => {
    const cases: { [key: string]: PhpValue }[] = [
      { a: { b: ['x y', 'z'] }, auth: 'tok' },
      { flag: true, off: false, none: null, empty: [], n: 5, f: 1.5 },
      { t: 'Привет ~*\'&=+/', 'key with space': 'v', 'ключ': ['a', { deep: 'b' }] },
      { ATTACH: [{ MESSAGE: 'Build [b]#7[/b]' }, { LINK: { NAME: 'Log & details', LINK: 'https://ci.example.com/job?id=7&x=a b' } }] },
    ];
    const php = await execFileP('php', ['-r', 'foreach (json_decode($argv[1], true) as $c) echo http_build_query($c), "\\n";', JSON.stringify(cases)]);
    assert.deepEqual(php.stdout.split('\n').slice(0, -1), cases.map((c) => httpBuildQuery(c)));

    // curl's multipart body for CURLOPT_POSTFIELDS as an array, captured from a real php+curl post.
    const capture = net.createServer();
    const got = new Promise<Buffer>((resolve) => {
      capture.on('connection', (socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (c) => {
          chunks.push(c);
          const all = Buffer.concat(chunks);
          if (all.includes('--\r\n')) {
            socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
            resolve(all);
          } else if (all.includes('Expect: 100-continue') && !all.includes('\r\n\r\n--')) {
            socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          }
        });
      });
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    const port = (capture.address() as net.AddressInfo).port;
    const fields = { 'FIELDS[TITLE]': 'Команда & co', 'USERS[0]': '2', MESSAGE: 'line1\nline2' };
    const script = '$c = curl_init($argv[1]); curl_setopt_array($c, [CURLOPT_POST => 1, CURLOPT_RETURNTRANSFER => 1, ' +
      'CURLOPT_POSTFIELDS => json_decode($argv[2], true)]); curl_exec($c);';
    await execFileP('php', ['-r', script, `http://127.0.0.1:${port}/rest/x`, JSON.stringify(fields)]);
    const raw = await got;
    capture.close();
    const realBody = raw.subarray(raw.indexOf('\r\n\r\n--') + 4);
    const boundary = /boundary=([^\r\n]+)/.exec(raw.toString('latin1'))![1];
    const ours = curlMultipart(Object.entries(fields).map(([name, value]) => ({ name, value })));
    const ourBoundary = /boundary=(.+)$/.exec(ours.contentType)![1];
    const normal = (body: Buffer, b: string) => body.toString('utf8').split(b).join('BOUNDARY');
    assert.equal(normal(ours.body, ourBoundary), normal(realBody, boundary));
  });

  it('token add gives a client_endpoint on HTTPS; the bot posts forms there with auth in the body', async () => {
    assert.equal(token.client_endpoint, `${srv.httpsUrl}/rest/`);
    const me = await bot('user.current');
    assert.equal(me.status, 200);
    isJson(me);
    assert.equal(me.json.result.ID, String(ivan.id));
    // The same over plain HTTP, and without the .json suffix.
    const plain = await rawRequest(`${srv.url}/rest/im.user.get`, { body: httpBuildQuery({ ID: maria.id, auth: token.access_token }) });
    assert.equal(JSON.parse(plain.text).result.id, maria.id);
  });

  it('im.message.add with text that needs encoding and a nested ATTACH stores exactly what PHP sent', async () => {
    const text = 'Привет, Maria! 1 + 1 = 2 & 50% off; "quotes" \'apos\' <b>\nsecond line\ttab ~';
    const attach: PhpValue = [
      { MESSAGE: 'Build [b]#7[/b] passed' },
      { LINK: { NAME: 'Log & details', LINK: 'https://ci.example.com/job?id=7&x=a b' } },
      { DELIMITER: { SIZE: 200, COLOR: '#c8c8c8' } },
    ];
    const sent = await bot('im.message.add', { DIALOG_ID: maria.id, MESSAGE: text, ATTACH: attach, URL_PREVIEW: 'N' });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(typeof sent.json.result, 'number');
    const history = await bot('im.dialog.messages.get', { DIALOG_ID: maria.id });
    const msg = history.json.result.messages.find((m: any) => m.id === sent.json.result);
    assert.equal(msg.text, text);
    assert.equal(msg.author_id, ivan.id);
    const stored = JSON.stringify(msg.params.ATTACH);
    for (const piece of ['Build [b]#7[/b] passed', 'Log & details', 'https://ci.example.com/job?id=7&x=a b', '#c8c8c8']) {
      assert.ok(stored.includes(JSON.stringify(piece).slice(1, -1)), piece);
    }
  });

  it('chat, recent list, read and pin: ids and flags come back with the portal\'s JSON types', async () => {
    const chat = await bot('im.chat.add', { TYPE: 'CHAT', TITLE: 'PHP team', USERS: [maria.id, 1], MESSAGE: 'hello from PHP' });
    assert.equal(chat.status, 200, chat.text);
    const chatId = chat.json.result;
    assert.equal(typeof chatId, 'number');
    const recent = await bot('im.recent.get', { SKIP_DIALOG: 'Y' });
    const item = recent.json.result.find((i: any) => i.id === `chat${chatId}`);
    assert.equal(item.type, 'chat');
    assert.equal(item.chat_id, chatId);
    assert.equal(typeof item.counter, 'number');
    assert.equal(item.pinned, false);
    assert.equal(item.unread, false);
    // Maria reads it and pins it, from her own token.
    const hers = await srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', String(maria.id)]);
    const as = (m: string, p: { [key: string]: PhpValue }) =>
      rawRequest(`${hers.client_endpoint}${m}.json`, { body: httpBuildQuery({ ...p, auth: hers.access_token }), ca }).then((a) => JSON.parse(a.text));
    const before = (await as('im.recent.get', {})).result.find((i: any) => i.id === `chat${chatId}`);
    assert.ok(before.counter >= 1);
    const read = await as('im.dialog.read', { DIALOG_ID: `chat${chatId}` });
    assert.equal(read.result.counter, 0);
    assert.equal((await as('im.recent.pin', { DIALOG_ID: `chat${chatId}`, PIN: 'Y' })).result, true);
    const after = (await as('im.recent.get', {})).result;
    assert.equal(after[0].id, `chat${chatId}`);
    assert.equal(after[0].pinned, true);
    assert.equal(after[0].counter, 0);
    // The dialog from the previous test: a user item has a numeric id.
    const dialog = after.find((i: any) => i.id === ivan.id);
    assert.equal(dialog.type, 'user');
  });

  it('batch with cmd built by http_build_query (commands carrying their own query strings) and references', async () => {
    const b = await bot('batch', {
      halt: 0,
      cmd: {
        me: 'user.current',
        peer: `im.user.get?${httpBuildQuery({ ID: maria.id })}`,
        post: `im.message.add?${httpBuildQuery({ DIALOG_ID: '$result[peer][id]', MESSAGE: 'from batch: a&b=c' })}`,
        bad: `im.user.get?${httpBuildQuery({ ID: 999999 })}`,
      },
    });
    assert.equal(b.status, 200, b.text);
    const r = b.json.result;
    assert.equal(r.result.me.ID, String(ivan.id));
    assert.equal(r.result.peer.id, maria.id);
    assert.equal(typeof r.result.post, 'number');
    assert.equal(r.result_error.bad.error, 'USER_NOT_EXISTS');
    const msgs = (await bot('im.dialog.messages.get', { DIALOG_ID: maria.id })).json.result.messages;
    assert.equal(msgs.find((m: any) => m.id === r.result.post).text, 'from batch: a&b=c');
  });

  it('a large post with "Expect: 100-continue" (curl does this for bigger bodies) is answered 100, then 200', async () => {
    const long = 'x'.repeat(3000);
    const r = await bot('im.message.add', { DIALOG_ID: maria.id, MESSAGE: long }, { expectContinue: true });
    assert.equal(r.continued, true);
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.json.result, 'number');
  });

  it('GET with the query string (file_get_contents bots) and a form Content-Type with a charset', async () => {
    const q = httpBuildQuery({ SKIP_CHAT: 'Y', auth: token.access_token });
    const viaGet = await rawRequest(`${token.client_endpoint}im.recent.get.json?${q}`, { ca });
    assert.equal(viaGet.status, 200, viaGet.text);
    const items = JSON.parse(viaGet.text).result;
    assert.ok(items.length > 0);
    assert.ok(items.every((i: any) => i.type === 'user'));
    const charset = await rawRequest(`${token.client_endpoint}im.user.get.json`, {
      body: httpBuildQuery({ ID: maria.id, auth: token.access_token }),
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      ca,
    });
    assert.equal(JSON.parse(charset.text).result.name, 'Maria Sidorova');
  });

  it('errors are JSON with the portal\'s codes and statuses', async () => {
    const noDialog = await bot('im.message.add', { MESSAGE: 'to nobody' });
    assert.equal(noDialog.status, 400);
    isJson(noDialog);
    assert.deepEqual(Object.keys(noDialog.json).sort(), ['error', 'error_description']);
    assert.equal(noDialog.json.error, 'PARAMS_ERROR');
    const badToken = await rawRequest(`${token.client_endpoint}user.current.json`, { body: httpBuildQuery({ auth: 'f'.repeat(64) }), ca });
    assert.equal(badToken.status, 401);
    assert.equal(JSON.parse(badToken.text).error, 'invalid_token');
    const noAuth = await rawRequest(`${token.client_endpoint}user.current.json`, { body: httpBuildQuery({ x: 1 }), ca });
    assert.equal(noAuth.status, 401);
    assert.equal(JSON.parse(noAuth.text).error, 'NO_AUTH_FOUND');
    const unknown = await bot('im.nothing.here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error, 'ERROR_METHOD_NOT_FOUND');
  });

  describe('multipart/form-data (curl with CURLOPT_POSTFIELDS as an array)', () => {
    it('fields with flat PHP keys reach the method as structures', async () => {
      const { body, contentType } = curlMultipart([
        { name: 'DIALOG_ID', value: String(maria.id) },
        { name: 'MESSAGE', value: 'Multipart: Привет & до свидания\r\nline 2' },
        { name: 'ATTACH[0][MESSAGE]', value: 'attached [i]text[/i]' },
        { name: 'ATTACH[1][LINK][LINK]', value: 'https://example.com/?a=1&b=2' },
        { name: 'auth', value: token.access_token },
      ]);
      const r = await rawRequest(`${token.client_endpoint}im.message.add.json`, { body, contentType, ca, expectContinue: true });
      assert.equal(r.status, 200, r.text);
      const id = JSON.parse(r.text).result;
      assert.equal(typeof id, 'number');
      const msgs = (await bot('im.dialog.messages.get', { DIALOG_ID: maria.id })).json.result.messages;
      const msg = msgs.find((m: any) => m.id === id);
      assert.equal(msg.text, 'Multipart: Привет & до свидания\r\nline 2');
      assert.ok(JSON.stringify(msg.params.ATTACH).includes('attached [i]text[/i]'));
      assert.ok(JSON.stringify(msg.params.ATTACH).includes('https://example.com/?a=1&b=2'));
    });

    it('a batch posted as multipart works too', async () => {
      const { body, contentType } = curlMultipart([
        { name: 'cmd[a]', value: 'user.current' },
        { name: 'cmd[b]', value: 'im.user.get?ID=$result[a][ID]' },
        { name: 'auth', value: token.access_token },
      ]);
      const r = await rawRequest(`${token.client_endpoint}batch.json`, { body, contentType, ca });
      const json = JSON.parse(r.text);
      assert.equal(json.result.result.b.id, ivan.id);
    });

    it('file parts are refused with a clear error, not ignored', async () => {
      const { body, contentType } = curlMultipart([
        { name: 'DIALOG_ID', value: String(maria.id) },
        { name: 'FILE', value: Buffer.from([0, 1, 2, 3]), filename: 'a.bin' },
        { name: 'auth', value: token.access_token },
      ]);
      const r = await rawRequest(`${token.client_endpoint}im.message.add.json`, { body, contentType, ca });
      assert.equal(r.status, 400);
      const json = JSON.parse(r.text);
      assert.equal(json.error, 'INVALID_REQUEST');
      assert.match(json.error_description, /File uploads are not supported/);
    });

    it('a multipart body without a boundary or over the size limit gets a 4xx, never a 500', async () => {
      const noBoundary = await rawRequest(`${token.client_endpoint}server.time.json`, { body: 'abc', contentType: 'multipart/form-data', ca });
      assert.equal(noBoundary.status, 400);
      assert.equal(JSON.parse(noBoundary.text).error, 'INVALID_REQUEST');
      const { body, contentType } = curlMultipart([
        { name: 'MESSAGE', value: 'y'.repeat(5 * 1024 * 1024) },
        { name: 'auth', value: token.access_token },
      ]);
      const big = await rawRequest(`${token.client_endpoint}server.time.json`, { body, contentType, ca });
      assert.equal(big.status, 413);
      assert.equal(JSON.parse(big.text).error, 'INVALID_REQUEST');
    });
  });
});
