// Notifications (im.notify.*) over HTTP: adding (personal, system, tagged), the bell's list with its cursor, reading,
// deleting, confirm buttons and quick answers (made with `b24im notify add`), search, counters, and isolation.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

async function fails(base: string, method: string, params: Record<string, unknown>, status: number, error: string): Promise<void> {
  const r = await rest(base, method, params);
  assert.equal(r.status, status, `${method}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error, error, `${method}: ${JSON.stringify(r.body)}`);
}

const appTag = (clientKey: string, tag: string) => `MP|${crypto.createHash('md5').update(clientKey).digest('hex').slice(0, 5)}|${tag}`;

describe('notifications', () => {
  let srv: TestServer;
  let alice: any;
  let bob: any;
  let h: { alice: string; bob: string };

  const notifyAdd = async (args: string[]) => {
    const r = await srv.cli(['notify', 'add', '--db', srv.dbTarget, ...args]);
    assert.equal(r.code, 0, r.stderr);
    return Number(r.stdout.trim());
  };

  before(async () => {
    srv = await startServer();
    alice = await srv.addUser('Alice');
    bob = await srv.addUser('Bob');
    h = { alice: await srv.webhook(alice.id), bob: await srv.webhook(bob.id) };
  });

  after(async () => srv?.cleanup());

  it('a personal notification reaches its recipient only, with its author and the counters', async () => {
    const empty = await ok(h.bob, 'im.notify.get');
    assert.deepEqual(empty, { notifications: [], users: [] }, 'no notification chat yet: only the lists');
    const id = await ok(h.alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: '  Lunch at [b]one[/b]?  ' });
    assert.equal(typeof id, 'number');
    const got = await ok(h.bob, 'im.notify.get');
    assert.equal(got.total_count, 1);
    assert.equal(got.total_unread_count, 1);
    assert.ok(got.chat_id > 0);
    const [n] = got.notifications;
    assert.equal(n.id, id);
    assert.equal(n.chat_id, got.chat_id);
    assert.equal(n.author_id, alice.id);
    assert.equal(n.notify_type, 2);
    assert.equal(n.notify_module, 'rest');
    assert.equal(n.notify_event, 'rest_notify');
    assert.equal(n.setting_name, 'rest|rest_notify');
    assert.equal(n.text, 'Lunch at [b]one[/b]?', 'trimmed, BBCode kept');
    assert.equal(n.notify_read, 'N');
    assert.equal(n.params, null);
    assert.match(n.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.deepEqual(got.users.map((u: any) => u.id), [alice.id]);
    const html = await ok(h.bob, 'im.notify.get', { CONVERT_TEXT: 'Y' });
    assert.equal(html.notifications[0].text, 'Lunch at <b>one</b>?');

    const counters = await ok(h.bob, 'im.counters.get');
    assert.equal(counters.TYPE.NOTIFY, 1);
    assert.equal(counters.TYPE.ALL, counters.TYPE.MESSENGER + 1);
    // Alice sees nothing of Bob's bell.
    assert.deepEqual(await ok(h.alice, 'im.notify.get'), { notifications: [], users: [] });
    assert.equal((await ok(h.alice, 'im.counters.get')).TYPE.NOTIFY, 0);
    assert.equal(await ok(h.alice, 'im.notify.delete', { ID: id }), false, 'not hers to delete');
    assert.equal((await ok(h.bob, 'im.notify.get')).total_count, 1);
  });

  it('system notifications, attachments, tags replacing and deleting by tag', async () => {
    const sys = await ok(h.alice, 'im.notify.system.add', { USER_ID: bob.id, MESSAGE: 'Build #12 passed', ATTACH: [{ MESSAGE: 'details' }] });
    const viaType = await ok(h.alice, 'im.notify', { USER_ID: bob.id, TYPE: 'SYSTEM', MESSAGE: 'via im.notify' });
    const list = (await ok(h.bob, 'im.notify.get')).notifications;
    const byId = new Map(list.map((n: any) => [n.id, n]));
    assert.equal((byId.get(sys) as any).author_id, 0);
    assert.equal((byId.get(sys) as any).notify_type, 4);
    assert.equal((byId.get(viaType) as any).notify_type, 4);
    const attach = (byId.get(sys) as any).params.ATTACH;
    assert.equal(attach.length, 1);
    assert.deepEqual(attach[0].BLOCKS, [{ MESSAGE: 'details' }]);

    // A webhook names its application with CLIENT_ID; the same tag replaces the recipient's previous one.
    const first = await ok(h.alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: 'v1', TAG: 'build', SUB_TAG: 'ci', CLIENT_ID: 'ci-app' });
    const second = await ok(h.alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: 'v2', TAG: 'build', SUB_TAG: 'ci', CLIENT_ID: 'ci-app' });
    let tagged = (await ok(h.bob, 'im.notify.get')).notifications.filter((n: any) => n.notify_tag);
    assert.deepEqual(tagged.map((n: any) => n.id), [second]);
    assert.ok(first < second);
    assert.equal(tagged[0].notify_tag, appTag('customci-app', 'build'));
    assert.equal(tagged[0].notify_sub_tag, appTag('customci-app', 'ci'));

    await fails(h.alice, 'im.notify.delete', { TAG: 'build' }, 403, 'ACCESS_DENIED');
    await fails(h.alice, 'im.notify.delete', { CLIENT_ID: 'ci-app' }, 400, 'PARAMS_ERROR');
    assert.equal(await ok(h.alice, 'im.notify.delete', { TAG: 'build', CLIENT_ID: 'other-app' }), true);
    assert.equal((await ok(h.bob, 'im.notify.get')).notifications.filter((n: any) => n.notify_tag).length, 1, "another application's tag is another tag");
    assert.equal(await ok(h.alice, 'im.notify.delete', { SUB_TAG: 'ci', CLIENT_ID: 'ci-app' }), true);
    tagged = (await ok(h.bob, 'im.notify.get')).notifications.filter((n: any) => n.notify_tag);
    assert.deepEqual(tagged, []);
    assert.equal(await ok(h.bob, 'im.notify.delete', { ID: sys }), true);
    assert.ok(!(await ok(h.bob, 'im.notify.get')).notifications.some((n: any) => n.id === sys));
  });

  it('refuses bad input with the portal codes', async () => {
    await fails(h.alice, 'im.notify.personal.add', { MESSAGE: 'x' }, 400, 'USER_ID_EMPTY');
    await fails(h.alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: '   ' }, 400, 'MESSAGE_EMPTY');
    await fails(h.alice, 'im.notify.system.add', { USER_ID: bob.id, MESSAGE: 'x', ATTACH: 'not json' }, 400, 'ATTACH_ERROR');
    assert.equal(await ok(h.alice, 'im.notify.personal.add', { USER_ID: 999999, MESSAGE: 'nobody' }), false);
    await fails(h.bob, 'im.notify.get', { LAST_ID: 5 }, 400, 'LAST_ID_AND_LAST_TYPE');
    await fails(h.bob, 'im.notify.get', { LAST_ID: 'abc', LAST_TYPE: 3 }, 400, 'LAST_ID_STRING');
    await fails(h.bob, 'im.notify.confirm', { NOTIFY_VALUE: 'Y' }, 400, 'ID_ERROR');
    await fails(h.bob, 'im.notify.confirm', { NOTIFY_ID: 1 }, 400, 'NOTIFY_VALUE_ERROR');
    await fails(h.bob, 'im.notify.answer', { NOTIFY_ID: 1 }, 400, 'ANSWER_TEXT_ERROR');
    await fails(h.bob, 'im.notify.history.search', { SEARCH_TEXT: 'ab' }, 400, 'SEARCH_TEXT_ERROR');
    await fails(h.bob, 'im.notify.read.list', { IDS: 5 }, 400, 'PARAMS_ERROR');
  });

  it('reading: one, it and newer, a list, all; unread again', async () => {
    const carol = await srv.addUser('Carol');
    const hc = await srv.webhook(carol.id);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await ok(h.alice, 'im.notify.personal.add', { USER_ID: carol.id, MESSAGE: `n${i}` }));
    const unread = async () => (await ok(hc, 'im.notify.get')).total_unread_count;
    const readFlags = async () => Object.fromEntries((await ok(hc, 'im.notify.get')).notifications.map((n: any) => [n.id, n.notify_read]));
    await ok(hc, 'im.notify.read', { ID: ids[1], ONLY_CURRENT: 'Y' });
    assert.equal(await unread(), 4);
    await ok(hc, 'im.notify.read', { ID: ids[3] });
    assert.deepEqual(await readFlags(), { [ids[0]]: 'N', [ids[1]]: 'Y', [ids[2]]: 'N', [ids[3]]: 'Y', [ids[4]]: 'Y' });
    await ok(hc, 'im.notify.read', { ID: ids[4], ACTION: 'N', ONLY_CURRENT: 'Y' });
    await ok(hc, 'im.notify.read.list', { IDS: [ids[0], ids[2], 0, ids[4]] });
    const flags = await readFlags();
    assert.equal(flags[ids[0]], 'Y');
    assert.equal(flags[ids[2]], 'Y');
    assert.equal(flags[ids[4]], 'N', 'the list stops at the first id that is not positive');
    await ok(hc, 'im.notify.read.all');
    assert.equal(await unread(), 0);
    assert.equal((await ok(hc, 'im.counters.get')).TYPE.NOTIFY, 0);
    await ok(hc, 'im.notify.read.list', { IDS: [ids[0]], ACTION: 'N' });
    assert.equal(await unread(), 1);
    // Another user's ids change nothing.
    await ok(h.bob, 'im.notify.read', { ID: ids[0] });
    assert.equal(await unread(), 1);
  });

  it('pages confirms first, then the rest, with LAST_ID / LAST_TYPE, every notification once', async () => {
    const dave = await srv.addUser('Dave');
    const hd = await srv.webhook(dave.id);
    const plain: number[] = [];
    for (let i = 0; i < 50; i++) plain.push(await ok(h.alice, 'im.notify.personal.add', { USER_ID: dave.id, MESSAGE: `item ${i}` }));
    const confirms = [
      await notifyAdd(['--user', String(dave.id), '--text', 'Join the chat "Plans"?', '--button', 'Y:Accept', '--button', 'N:Decline']),
      await notifyAdd(['--user', String(dave.id), '--text', 'Join the chat "Ops"?', '--button', 'Y:Accept', '--button', 'N:Decline']),
    ];
    const seen: any[] = [];
    let cursor: Record<string, unknown> = {};
    for (let pages = 0; pages < 10; pages++) {
      const body = await ok(hd, 'im.notify.get', { LIMIT: 20, ...cursor });
      assert.ok(body.notifications.length <= 20);
      if (body.notifications.length === 0) break;
      seen.push(...body.notifications);
      const last = body.notifications.at(-1);
      cursor = { LAST_ID: last.id, LAST_TYPE: last.notify_type === 1 ? 1 : 3 };
    }
    assert.deepEqual(seen.slice(0, 2).map((n) => n.id), [...confirms].reverse(), 'confirms first, newest first');
    assert.equal(seen[0].notify_buttons !== undefined, true);
    assert.deepEqual(JSON.parse(seen[0].notify_buttons).map((b: any) => b.VALUE), ['Y', 'N']);
    assert.deepEqual(seen.slice(2).map((n) => n.id), [...plain].reverse());
    assert.equal(new Set(seen.map((n) => n.id)).size, 52);
    assert.equal((await ok(hd, 'im.notify.get', { LIMIT: 500 })).notifications.length, 50, 'LIMIT is at most 50');
  });

  it('confirm buttons and quick answers', async () => {
    const erin = await srv.addUser('Erin');
    const he = await srv.webhook(erin.id);
    const invite = await notifyAdd(['--user', String(erin.id), '--text', 'Join?', '--button', 'Y:Accept', '--button', 'N:Decline']);
    assert.deepEqual(await ok(he, 'im.notify.confirm', { NOTIFY_ID: invite, NOTIFY_VALUE: 'maybe' }), { result_message: false });
    assert.deepEqual(await ok(h.bob, 'im.notify.confirm', { NOTIFY_ID: invite, NOTIFY_VALUE: 'Y' }), { result_message: false }, "not Bob's");
    assert.deepEqual(await ok(he, 'im.notify.confirm', { NOTIFY_ID: invite, NOTIFY_VALUE: 'Y' }), { result_message: ['Accept'] });
    assert.ok(!(await ok(he, 'im.notify.get')).notifications.some((n: any) => n.id === invite), 'a confirmed notification is done');

    const question = await notifyAdd(['--user', String(erin.id), '--from', String(alice.id), '--text', 'Can you review?', '--answer']);
    const plain = await ok(h.alice, 'im.notify.personal.add', { USER_ID: erin.id, MESSAGE: 'no answers here' });
    // Clients learn which ones take an answer from params.CAN_ANSWER, as a portal stores NOTIFY_ANSWER=Y.
    const listed = new Map((await ok(he, 'im.notify.get')).notifications.map((n: any) => [n.id, n]));
    assert.deepEqual((listed.get(question) as any).params, { CAN_ANSWER: 'Y' });
    assert.equal((listed.get(plain) as any).params, null);
    assert.deepEqual(await ok(he, 'im.notify.answer', { NOTIFY_ID: plain, ANSWER_TEXT: 'hi' }), { result_message: false });
    const answered = await ok(he, 'im.notify.answer', { ID: question, ANSWER_TEXT: 'Yes, after lunch' });
    assert.equal(answered.result_message.length, 1);
    const history = await ok(h.alice, 'im.dialog.messages.get', { DIALOG_ID: erin.id });
    assert.ok(history.messages.some((m: any) => m.text === 'Yes, after lunch' && m.author_id === erin.id), 'the answer reached the author');
    const q = (await ok(he, 'im.notify.get')).notifications.find((n: any) => n.id === question);
    assert.equal(q.notify_read, 'Y');
  });

  it('history search by text (any case, Cyrillic too), type, author and date, within the own bell only', async () => {
    const frank = await srv.addUser('Frank');
    const hf = await srv.webhook(frank.id);
    const invoice = await ok(h.alice, 'im.notify.personal.add', { USER_ID: frank.id, MESSAGE: 'Счёт №7 оплачен' });
    await ok(h.bob, 'im.notify.personal.add', { USER_ID: frank.id, MESSAGE: 'Weekly report' });
    const sys = await notifyAdd(['--user', String(frank.id), '--text', 'Disk almost full', '--module', 'disk', '--event', 'quota']);
    await ok(h.alice, 'im.notify.personal.add', { USER_ID: bob.id, MESSAGE: 'счёт для Боба' });
    const byText = await ok(hf, 'im.notify.history.search', { SEARCH_TEXT: 'СЧЁТ' });
    assert.deepEqual(byText.notifications.map((n: any) => n.id), [invoice]);
    assert.equal(byText.total_results, 1);
    assert.ok(byText.chat_id > 0);
    assert.deepEqual(byText.users.map((u: any) => u.id), [alice.id]);
    const byType = await ok(hf, 'im.notify.history.search', { SEARCH_TYPE: 'disk|quota' });
    assert.deepEqual(byType.notifications.map((n: any) => n.id), [sys]);
    // Long type and author lists (a fuzz counterexample: 800 types made an SQL expression too deep for SQLite, a 500):
    // repeated values count once, module-only and module|event types mix.
    const manyTypes = [...Array.from({ length: 500 }, (_, i) => `mod${i % 7}`), ...Array.from({ length: 600 }, (_, i) => `x|e${i}`), 'disk|quota', 'rest'];
    const byMany = await ok(hf, 'im.notify.history.search', { SEARCH_TYPES: manyTypes, SEARCH_TEXT: 'disk', SEARCH_AUTHORS: Array.from({ length: 700 }, (_, i) => i) });
    assert.ok(Array.isArray(byMany.notifications));
    const byBoth = await ok(hf, 'im.notify.history.search', { SEARCH_TYPES: ['rest', 'disk|quota'], SEARCH_TEXT: 'disk' });
    assert.ok(byBoth.notifications.some((n: any) => n.id === sys), 'module|event and module-only types together');
    const byAuthor = await ok(hf, 'im.notify.history.search', { SEARCH_TEXT: 'report', SEARCH_AUTHORS: [bob.id] });
    assert.equal(byAuthor.total_results, 1);
    // The day the server dated the invoice (its own clock and zone), not the test's calendar.
    const stamped = byText.notifications[0].date as string;
    const day = `${stamped.slice(0, 10)}T00:00:00${stamped.slice(19)}`;
    const byDate = await ok(hf, 'im.notify.history.search', { SEARCH_DATE: day });
    assert.equal(byDate.total_results, 3);
    const page = await ok(hf, 'im.notify.history.search', { SEARCH_DATE: day, LIMIT: 2 });
    assert.equal(page.notifications.length, 2);
    const rest2 = await ok(hf, 'im.notify.history.search', { SEARCH_DATE: day, LIMIT: 2, LAST_ID: page.notifications[1].id });
    assert.deepEqual(rest2.notifications.map((n: any) => n.id), [invoice]);
    const schema = await ok(hf, 'im.notify.schema.get');
    assert.deepEqual(schema.rest.LIST.map((t: any) => t.ID), ['rest|rest_notify']);
  });
});
