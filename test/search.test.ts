// Search over HTTP: messages of a chat through the full-text index (words as prefixes, any case, Cyrillic, dates,
// order, LAST_ID paging, edits and deletions followed, history a member may see), people and chats, and access.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

describe('search', () => {
  let srv: TestServer;
  let anna: any;
  let boris: any;
  let outsider: any;
  let h: { anna: string; boris: string; outsider: string };
  let chatId: number;
  const ids: Record<string, number> = {};

  before(async () => {
    srv = await startServer();
    anna = await srv.addUser('Anna', 'Searcher', ['--work-position', 'Accountant']);
    boris = await srv.addUser('Борис', 'Поисков');
    outsider = await srv.addUser('Olga', 'Outside');
    h = { anna: await srv.webhook(anna.id), boris: await srv.webhook(boris.id), outsider: await srv.webhook(outsider.id) };
    chatId = await ok(h.anna, 'im.chat.add', { TITLE: 'Quarterly Finance', USERS: [boris.id] });
    const say = async (key: string, who: string, text: string) => (ids[key] = await ok(who, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: text }));
    await say('invoice', h.anna, 'The invoice for March is ready');
    await say('invoices', h.boris, 'Two more INVOICES arrived today');
    await say('ru', h.boris, 'Счёт за апрель оплачен');
    await say('both', h.anna, 'March invoice paid, see the [b]report[/b]');
    await say('other', h.anna, 'Lunch?');
    await ok(h.anna, 'im.chat.add', { TITLE: 'Finance archive', USERS: [boris.id] });
    await ok(h.anna, 'im.chat.add', { TITLE: 'Secret finance plans' });
  });

  after(async () => srv?.cleanup());

  const search = async (base: string, params: Record<string, unknown>) => ok(base, 'im.dialog.messages.search', { CHAT_ID: chatId, ...params });
  const found = async (base: string, params: Record<string, unknown>) => (await search(base, params)).messages.map((m: any) => m.id);

  it('finds words as prefixes in any case, every word required, newest first', async () => {
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'invoice' }), [ids.both, ids.invoices, ids.invoice]);
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'MARCH invoice' }), [ids.both, ids.invoice]);
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'счЁт' }), [ids.ru]);
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'report paid' }), [ids.both], 'BBCode does not hide words');
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'nothing-like-this' }), []);
    const body = await search(h.boris, { SEARCH_MESSAGE: 'invoice' });
    const m = body.messages.find((x: any) => x.id === ids.invoices);
    assert.equal(m.chatId, chatId);
    assert.equal(m.authorId, boris.id);
    assert.equal(m.author_id, boris.id);
    assert.equal(m.text, 'Two more INVOICES arrived today');
    assert.deepEqual(body.users.map((u: any) => u.id).sort(), [anna.id, boris.id].sort());
    assert.ok('firstName' in body.users[0], 'users in the 2.0 shape, as the portal answers this method');
    assert.deepEqual(body.tariffRestrictions, { isHistoryLimitExceeded: false });
  });

  it('a phrase of two characters or less searches nothing: every message, in the order and pages asked', async () => {
    const all = await found(h.anna, { SEARCH_MESSAGE: 'in' });
    assert.ok(all.length >= 5);
    const asc = await found(h.anna, { ORDER: { ID: 'ASC' }, LIMIT: 2 });
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
    const next = await found(h.anna, { ORDER: { ID: 'ASC' }, LIMIT: 2, LAST_ID: asc[1] });
    assert.ok(next.every((id: number) => id > asc[1]));
    const page1 = await found(h.anna, { SEARCH_MESSAGE: 'invoice', LIMIT: 2 });
    const page2 = await found(h.anna, { SEARCH_MESSAGE: 'invoice', LIMIT: 2, LAST_ID: page1[1] });
    assert.deepEqual([...page1, ...page2], [ids.both, ids.invoices, ids.invoice]);
  });

  it('follows edits and deletions, and dates', async () => {
    await ok(h.anna, 'im.message.update', { MESSAGE_ID: ids.other, MESSAGE: 'Lunch after the invoice review' });
    assert.ok((await found(h.boris, { SEARCH_MESSAGE: 'review' })).includes(ids.other));
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'lunch?' }), [ids.other]);
    await ok(h.anna, 'im.message.delete', { MESSAGE_ID: ids.other });
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'review' }), []);
    // The day of a message as the server dated it.
    const stamped = (await search(h.boris, { SEARCH_MESSAGE: 'апрель' })).messages[0].date as string;
    const day = `${stamped.slice(0, 10)}T00:00:00${stamped.slice(19)}`;
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'апрель', DATE: day }), [ids.ru]);
    assert.deepEqual(await found(h.boris, { SEARCH_MESSAGE: 'апрель', DATE_FROM: '2000-01-01T00:00:00+00:00', DATE_TO: '2000-01-02T00:00:00+00:00' }), []);
  });

  it('a member sees only the history they may; others are refused', async () => {
    const late = await srv.addUser('Late', 'Joiner');
    await ok(h.anna, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [late.id], HIDE_HISTORY: 'Y' });
    const hl = await srv.webhook(late.id);
    assert.deepEqual(await found(hl, { SEARCH_MESSAGE: 'invoice' }), [], 'history before joining stays hidden');
    const denied = await rest(h.outsider, 'im.dialog.messages.search', { CHAT_ID: chatId, SEARCH_MESSAGE: 'invoice' });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'ACCESS_ERROR');
    const empty = await rest(h.anna, 'im.dialog.messages.search', { SEARCH_MESSAGE: 'invoice' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error, 'CHAT_ID_EMPTY');
  });

  it('im.search.user.list and im.search.chat.list', async () => {
    const people = await rest(h.outsider, 'im.search.user.list', { FIND: 'Searcher' });
    assert.equal(people.status, 200);
    assert.deepEqual(Object.keys(people.body.result), [String(anna.id)], 'keyed by user id');
    assert.equal(people.body.result[anna.id].work_position, 'Accountant');
    assert.equal(people.body.total, 1);
    const cyr = await ok(h.anna, 'im.search.user.list', { FIND: 'поиск' });
    assert.deepEqual(Object.keys(cyr), [String(boris.id)]);
    const short = await rest(h.anna, 'im.search.user.list', { FIND: 'An' });
    assert.equal(short.body.error, 'FIND_SHORT');

    const chats = await rest(h.boris, 'im.search.chat.list', { FIND: 'FINANCE' });
    assert.deepEqual(chats.body.result.map((c: any) => c.name).sort(), ['Finance archive', 'Quarterly Finance'], "only the caller's chats");
    assert.equal(chats.body.total, 2);
    const paged = await rest(h.boris, 'im.search.chat.list', { FIND: 'finance', LIMIT: 1 });
    assert.equal(paged.body.result.length, 1);
    assert.equal(paged.body.next, 1);
    const second = await rest(h.boris, 'im.search.chat.list', { FIND: 'finance', LIMIT: 1, start: 1 });
    assert.notEqual(second.body.result[0].id, paged.body.result[0].id);
    assert.equal(second.body.next, undefined);
    assert.deepEqual(await ok(h.outsider, 'im.search.chat.list', { FIND: 'finance' }), []);
  });

  it('im.search.last: remembers dialogs the user may open, lists them with their user or chat, forgets them', async () => {
    assert.deepEqual(await ok(h.boris, 'im.search.last.get'), []);
    assert.equal(await ok(h.boris, 'im.search.last.add', { DIALOG_ID: anna.id }), true);
    assert.equal(await ok(h.boris, 'im.search.last.add', { DIALOG_ID: `chat${chatId}` }), true);
    assert.equal(await ok(h.outsider, 'im.search.last.add', { DIALOG_ID: `chat${chatId}` }), false, 'not a chat Olga may open');
    const bad = await rest(h.boris, 'im.search.last.add', { DIALOG_ID: 'chatX' });
    assert.equal(bad.body.error, 'DIALOG_ID_EMPTY');
    const items = await ok(h.boris, 'im.search.last.get');
    const byId = new Map(items.map((i: any) => [i.id, i]));
    const user = byId.get(anna.id) as any;
    assert.equal(user.type, 'user');
    assert.equal(user.title, 'Anna Searcher');
    assert.equal(user.user.id, anna.id);
    const chat = byId.get(`chat${chatId}`) as any;
    assert.equal(chat.type, 'chat');
    assert.equal(chat.chat.id, chatId);
    assert.equal(chat.chat.name, 'Quarterly Finance');
    assert.equal(chat.chat.message_type, 'C');
    assert.deepEqual((await ok(h.boris, 'im.search.last.get', { SKIP_CHAT: 'Y' })).map((i: any) => i.id), [anna.id]);
    assert.deepEqual((await ok(h.boris, 'im.search.last.get', { SKIP_DIALOG: 'Y' })).map((i: any) => i.id), [`chat${chatId}`]);
    assert.deepEqual(await ok(h.anna, 'im.search.last.get'), [], "Boris's searches are his own");
    assert.equal(await ok(h.boris, 'im.search.last.delete', { DIALOG_ID: anna.id }), true);
    assert.equal(await ok(h.boris, 'im.search.last.delete', { DIALOG_ID: anna.id }), false);
    assert.deepEqual((await ok(h.boris, 'im.search.last.get')).map((i: any) => i.id), [`chat${chatId}`]);
  });
});
