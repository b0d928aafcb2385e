// Paging audit: every list method paged the two ways real clients page (by `total` in `start` steps, and by `next`
// until it is absent) over a portal larger than one page, and each way must return every row exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const USERS = 130;

type Row = Record<string, any>;

/** The REST answer's body; fails on an error answer. */
async function page(base: string, method: string, params: Record<string, unknown>): Promise<any> {
  const r = await rest(base, method, params);
  assert.equal(r.status, 200, `${method} ${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A client that reads `total` from the first page and then asks for start = 50, 100, ... below it. */
async function pageByTotal(base: string, method: string, params: Record<string, unknown>, step = 50): Promise<Row[]> {
  const first = await page(base, method, { ...params, start: 0 });
  assert.equal(typeof first.total, 'number', `${method} answers total`);
  const rows: Row[] = [...first.result];
  for (let start = step; start < first.total; start += step) rows.push(...(await page(base, method, { ...params, start })).result);
  return rows;
}

/** A client that follows `next` until an answer has none. */
async function pageByNext(base: string, method: string, params: Record<string, unknown>, pick = (b: any): Row[] => b.result): Promise<Row[]> {
  const rows: Row[] = [];
  let start = 0;
  for (let pages = 0; pages < 100; pages++) {
    const body = await page(base, method, { ...params, start });
    rows.push(...pick(body));
    if (body.next === undefined) return rows;
    assert.ok(body.next > start, `${method}: next ${body.next} moves forward from ${start}`);
    start = body.next;
  }
  throw new Error(`${method}: next never ended`);
}

/** Every expected id exactly once, nothing else. */
function assertExactlyOnce(rows: Row[], key: string, expected: number[], what: string): void {
  const got = rows.map((r) => Number(r[key]));
  assert.equal(new Set(got).size, got.length, `${what}: a row came twice`);
  assert.deepEqual([...got].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), `${what}: rows`);
}

describe('paging: every row exactly once, by total and by next', () => {
  let srv: TestServer;
  let admin: string;
  let userIds: number[];
  let inactiveId: number;
  let botId: number;
  let chatId: number;

  before(async () => {
    srv = await startServer();
    admin = await srv.webhook(1, 'im,imbot,user');
    const cmd: Record<string, string> = {};
    for (let i = 0; i < USERS; i++) cmd[`u${i}`] = `user.add?NAME=Pager&LAST_NAME=N${String(i).padStart(3, '0')}`;
    userIds = [];
    const names = Object.keys(cmd);
    for (let i = 0; i < names.length; i += 50) {
      const chunk = Object.fromEntries(names.slice(i, i + 50).map((n) => [n, cmd[n]]));
      const res = await ok(admin, 'batch', { halt: 1, cmd: chunk });
      userIds.push(...Object.values(res.result).map(Number));
    }
    assert.equal(userIds.length, USERS);
    inactiveId = userIds[7];
    await ok(admin, 'user.update', { ID: inactiveId, ACTIVE: 'N' });
    botId = await ok(admin, 'imbot.register', {
      CODE: 'helper_bot', TYPE: 'B', EVENT_HANDLER: 'http://127.0.0.1:9/', CLIENT_ID: 'pager', PROPERTIES: { NAME: 'Helper bot' },
    });
    chatId = await ok(admin, 'im.chat.add', { TITLE: 'Everyone', USERS: userIds, MESSAGE: 'hello all' });
    await ok(admin, 'imbot.chat.user.add', { CHAT_ID: chatId, USERS: [botId], CLIENT_ID: 'pager' }).catch(async () => {
      await ok(admin, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [botId] });
    });
    // A dialog with every active user, so the administrator's recent list is several pages long.
    const active = userIds.filter((id) => id !== inactiveId);
    for (let i = 0; i < active.length; i += 50) {
      const chunk = Object.fromEntries(active.slice(i, i + 50).map((id) => [`m${id}`, `im.message.add?DIALOG_ID=${id}&MESSAGE=hi`]));
      const res = await ok(admin, 'batch', { halt: 1, cmd: chunk });
      assert.deepEqual(res.result_error, []);
    }
  });

  after(async () => srv?.cleanup());

  const activeUsers = () => [1, ...userIds.filter((id) => id !== inactiveId)];

  it('user.get and user.search', async () => {
    const everyone = [...activeUsers(), botId];
    assertExactlyOnce(await pageByTotal(admin, 'user.get', {}), 'ID', everyone, 'user.get by total');
    assertExactlyOnce(await pageByNext(admin, 'user.get', {}), 'ID', everyone, 'user.get by next');
    const pagers = userIds.filter((id) => id !== inactiveId);
    assertExactlyOnce(await pageByTotal(admin, 'user.search', { NAME: 'Pager' }), 'ID', pagers, 'user.search by total');
    assertExactlyOnce(await pageByNext(admin, 'user.search', { NAME: 'Pager' }), 'ID', pagers, 'user.search by next');
  });

  it('im.dialog.users.list: start, next, OFFSET/LIMIT and LAST_ID; inactive members are not counted', async () => {
    const members = [...activeUsers(), botId];
    const dialog = { DIALOG_ID: `chat${chatId}` };
    const first = await page(admin, 'im.dialog.users.list', dialog);
    assert.equal(first.total, members.length);
    assert.equal(first.result.length, 50);
    assert.equal(first.next, 50);
    assertExactlyOnce(await pageByTotal(admin, 'im.dialog.users.list', dialog), 'id', members, 'by total');
    assertExactlyOnce(await pageByNext(admin, 'im.dialog.users.list', dialog), 'id', members, 'by next');

    // OFFSET / LIMIT as the docs' examples page (start, when given, wins over OFFSET).
    const byOffset: Row[] = [];
    for (let offset = 0; offset < first.total; offset += 20) {
      const body = await page(admin, 'im.dialog.users.list', { ...dialog, OFFSET: offset, LIMIT: 20 });
      assert.ok(body.result.length <= 20);
      byOffset.push(...body.result);
    }
    assertExactlyOnce(byOffset, 'id', members, 'by OFFSET/LIMIT');
    const capped = await page(admin, 'im.dialog.users.list', { ...dialog, LIMIT: 1000 });
    assert.equal(capped.result.length, Math.min(200, members.length), 'LIMIT is capped at 200');
    assert.equal(capped.next, undefined);

    // LAST_ID: by user id after the last one seen; a plain list without total/next.
    const byLastId: Row[] = [];
    let lastId = 0;
    for (;;) {
      const body = await page(admin, 'im.dialog.users.list', { ...dialog, LAST_ID: lastId, LIMIT: 30 });
      assert.equal(body.total, undefined);
      assert.equal(body.next, undefined);
      if (body.result.length === 0) break;
      const ids = body.result.map((u: Row) => u.id);
      assert.deepEqual(ids, [...ids].sort((a: number, b: number) => a - b), 'LAST_ID pages are in id order');
      byLastId.push(...body.result);
      lastId = ids[ids.length - 1];
    }
    assertExactlyOnce(byLastId, 'id', members, 'by LAST_ID');

    // SKIP_EXTERNAL leaves the bot out of rows and total; SKIP_EXTERNAL_EXCEPT_TYPES keeps the named types.
    const humans = await pageByNext(admin, 'im.dialog.users.list', { ...dialog, SKIP_EXTERNAL: 'Y' });
    assertExactlyOnce(humans, 'id', activeUsers(), 'SKIP_EXTERNAL');
    assert.equal((await page(admin, 'im.dialog.users.list', { ...dialog, SKIP_EXTERNAL: 'Y' })).total, activeUsers().length);
    const withBots = await pageByNext(admin, 'im.dialog.users.list', { ...dialog, SKIP_EXTERNAL_EXCEPT_TYPES: 'bot, email' });
    assertExactlyOnce(withBots, 'id', members, 'SKIP_EXTERNAL_EXCEPT_TYPES=bot');
  });

  it('im.dialog.users.list refuses a non-member and a malformed dialog as a portal does', async () => {
    const outsider = await srv.webhook(userIds[0]);
    await ok(admin, 'im.chat.user.delete', { CHAT_ID: chatId, USER_ID: userIds[0] });
    const denied = await rest(outsider, 'im.dialog.users.list', { DIALOG_ID: `chat${chatId}` });
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.equal(denied.body.error, 'ACCESS_ERROR');
    const malformed = await rest(admin, 'im.dialog.users.list', { DIALOG_ID: 'chatX' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'DIALOG_ID_EMPTY');
  });

  it('im.recent.list: next until absent (total is -1, as on a portal)', async () => {
    const items = await pageByNext(admin, 'im.recent.list', {}, (b) => b.result.items);
    const first = await page(admin, 'im.recent.list', {});
    assert.equal(first.result.total ?? first.total, -1);
    const dialogs = items.filter((i) => i.type === 'user').map((i) => ({ id: Number(i.id) }));
    assertExactlyOnce(dialogs, 'id', userIds.filter((id) => id !== inactiveId), 'recent dialogs');
    assert.equal(items.filter((i) => i.type === 'chat' && i.chat_id === chatId).length, 1);
  });
});
