// im.recent.*: every parameter and filter combination against lists built through the public API, checked as
// exact JSON (field by field, type by type) over real HTTP against a real server process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { act, assertShape, atomSeconds, toAtom } from './helpers/recent.ts';
import { ok, rest, startServer, type Encoding, type TestServer } from './helpers/server.ts';

const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const RESTRICTIONS = { avatar: true, rename: true, extend: true, call: true, mute: true, leave: true, leave_owner: true, send: true, user_list: true };
const PERMISSIONS = {
  manage_users_add: 'member',
  manage_users_delete: 'manager',
  manage_ui: 'member',
  manage_settings: 'owner',
  manage_messages: 'member',
  can_post: 'member',
};

/** Decision 8 as the test states it: pinned, then message date, then numeric item id, then chat id. */
function decisionEightOrder(items: any[]): any[] {
  const num = (i: any) => (typeof i.id === 'number' ? i.id : Number(String(i.id).slice(4)));
  return [...items].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      atomSeconds(b.message.date) - atomSeconds(a.message.date) ||
      num(b) - num(a) ||
      b.chat_id - a.chat_id,
  );
}

/** The recent item's user object: im.user.get's, with the dates a portal forces to false in recent. */
async function recentUser(hook: string, id: number) {
  const u = await ok(hook, 'im.user.get', { ID: id });
  return { ...u, idle: false, mobile_last_date: false, desktop_last_date: false };
}

const TYPE_OF = (i: any) => (i.type === 'user' ? 'P' : i.chat.message_type);

describe('im.recent.get and the im.recent family', () => {
  let srv: TestServer;
  let alice: any, bob: any, carol: any, dan: any;
  const hook: Record<string, string> = {};
  const w: Record<string, any> = {};

  before(async () => {
    // A zone without daylight saving (since 2014), so the offset below holds on every day of the year.
    srv = await startServer({ env: { B24IM_TIMEZONE: 'Asia/Yekaterinburg' } });
    // CLI runs are slow process start-ups: run them in parallel.
    [alice, bob, carol, dan] = await Promise.all([
      srv.addUser('Alice', 'Test', ['--work-position', 'Lead', '--gender', 'F']),
      srv.addUser('Bob', 'Test', ['--email', 'bob@example.com']),
      srv.addUser('Carol', 'Test'),
      srv.addUser('Dan', 'Test'),
      srv.cliJson(['app', 'add', '--db', srv.dbPath, '--code', 'shop', '--scope', 'imopenlines,imconnector,im']),
    ]);
    const [ha, hb, hc, hd, token] = await Promise.all([
      ...[alice, bob, carol, dan].map((u) => srv.webhook(u.id)),
      srv.cliJson(['token', 'add', '--db', srv.dbPath, '--user', '1', '--app', 'shop']).then((t) => t.access_token as string),
    ]);
    Object.assign(hook, { alice: ha, bob: hb, carol: hc, dan: hd });
    w.appCall = (method: string, params: Record<string, unknown>) => act(`${srv.url}/rest/`, method, { ...params, auth: token });
    // Alice's world, each write stamped with the server second it ran in.
    w.mBob = await act(hook.bob, 'im.message.add', { DIALOG_ID: alice.id, MESSAGE: 'Hello [b]Alice[/b]\nsecond line' });
    w.mCarol = await act(hook.alice, 'im.message.add', {
      DIALOG_ID: String(carol.id),
      MESSAGE: `[USER=${bob.id}][/USER], see [url=https://example.com/plan]the plan[/url]`,
    });
    w.team = await act(hook.alice, 'im.chat.add', { TITLE: 'Team', USERS: [bob.id, carol.id] });
    w.report = await act(hook.bob, 'im.message.add', { DIALOG_ID: `chat${w.team.result}`, MESSAGE: 'Report', ATTACH: [{ MESSAGE: 'totals' }] });
    w.open = await act(hook.bob, 'im.chat.add', { TYPE: 'OPEN', TITLE: 'Open room', USERS: [alice.id] });
    w.empty = await act(hook.alice, 'im.chat.add', { TITLE: 'Empty' });
    w.left = await act(hook.carol, 'im.chat.add', { TITLE: 'Left', USERS: [alice.id], MESSAGE: 'bye' });
    await act(hook.alice, 'im.chat.leave', { CHAT_ID: w.left.result });
    // An open line with Alice as its operator, and a customer writing through a custom connector (decision 16).
    const icon = { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E', COLOR: '#a6ffa3' };
    await w.appCall('imconnector.register', { ID: 'shop_chat', NAME: 'Shop chat', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/p' });
    const line = (await w.appCall('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Support', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: String(alice.id) }] } })).result;
    await w.appCall('imconnector.activate', { CONNECTOR: 'shop_chat', LINE: line, ACTIVE: 1 });
    w.lineMsg = await w.appCall('imconnector.send.messages', {
      CONNECTOR: 'shop_chat',
      LINE: line,
      MESSAGES: [{ user: { id: 'c1', name: 'Jane', last_name: 'Roe' }, message: { id: 'm1', date: Math.floor(Date.now() / 1000), text: 'Where is my order?' }, chat: { id: 'x1' } }],
    });
    const session = w.lineMsg.result.DATA.RESULT[0].session;
    w.lineChat = Number(session.CHAT_ID);
    w.lineSession = Number(session.ID);
    w.customer = Number(w.lineMsg.result.DATA.RESULT[0].user);
  });
  after(() => srv.cleanup());

  /** What Alice's list must hold now, built from the stamps and from other methods' answers. */
  async function aliceExpected() {
    const pBob = await ok(hook.alice, 'im.dialog.get', { DIALOG_ID: bob.id });
    const pCarol = await ok(hook.alice, 'im.dialog.get', { DIALOG_ID: carol.id });
    const team = await ok(hook.alice, 'im.chat.get', { CHAT_ID: w.team.result });
    const open = await ok(hook.alice, 'im.chat.get', { CHAT_ID: w.open.result });
    const teamHistory = await ok(hook.alice, 'im.dialog.messages.get', { DIALOG_ID: `chat${team.id}` });
    const openHistory = await ok(hook.alice, 'im.dialog.messages.get', { DIALOG_ID: `chat${open.id}` });
    const [uBob, uCarol, uAlice] = [await recentUser(hook.alice, bob.id), await recentUser(hook.alice, carol.id), await recentUser(hook.alice, alice.id)];
    const chatOf = (c: any, role: string, managers: number[]) => ({
      id: c.id,
      parent_chat_id: 0,
      parent_message_id: 0,
      name: c.name,
      title: c.name,
      owner: c.owner,
      extranet: false,
      contains_collaber: false,
      avatar: '',
      color: c.color,
      type: c.type,
      entity_type: '',
      entity_id: '',
      entity_data_1: '',
      entity_data_2: '',
      entity_data_3: '',
      mute_list: [],
      manager_list: managers,
      date_create: c.date_create,
      message_type: c.message_type,
      user_counter: c.user_counter,
      restrictions: RESTRICTIONS,
      role,
      text_field_enabled: true,
      background_id: null,
      entity_link: { type: '', url: '', id: '' },
      permissions: PERMISSIONS,
      public: '',
    });
    const dialogChat = { text_field_enabled: true, background_id: null, mute_list: [] };
    const base = { pinned: false, unread: false, has_reminder: false, options: [] };
    return {
      bob: {
        id: bob.id,
        chat_id: pBob.id,
        type: 'user',
        avatar: { url: '', color: uBob.color },
        title: 'Bob Test',
        message: { id: w.mBob.result, text: 'Hello Alice second line', file: false, author_id: bob.id, attach: false, sticker: null, date: w.mBob.at, status: 'received', uuid: null },
        counter: 1,
        last_id: 0,
        ...base,
        date: w.mBob.at,
        date_update: w.mBob.at,
        date_last_activity: w.mBob.at,
        user: uBob,
        chat: dialogChat,
      },
      carol: {
        id: carol.id,
        chat_id: pCarol.id,
        type: 'user',
        avatar: { url: '', color: uCarol.color },
        title: 'Carol Test',
        message: { id: w.mCarol.result, text: 'Bob Test, see the plan', file: false, author_id: alice.id, attach: false, sticker: null, date: w.mCarol.at, status: 'received', uuid: null },
        counter: 0,
        last_id: w.mCarol.result,
        ...base,
        date: w.mCarol.at,
        date_update: w.mCarol.at,
        date_last_activity: w.mCarol.at,
        user: uCarol,
        chat: dialogChat,
      },
      team: {
        id: `chat${team.id}`,
        chat_id: team.id,
        type: 'chat',
        avatar: { url: '', color: team.color },
        title: 'Team',
        message: { id: w.report.result, text: 'Report [Attachment]', file: false, author_id: bob.id, attach: true, sticker: null, date: w.report.at, status: 'received', uuid: null },
        counter: 1,
        // Alice read the system message of the chat she created.
        last_id: teamHistory.messages.find((m: any) => m.author_id === 0).id,
        ...base,
        date: w.report.at,
        date_update: w.report.at,
        date_last_activity: w.report.at,
        chat: chatOf(team, 'OWNER', [alice.id]),
        user: uBob,
      },
      open: {
        id: `chat${open.id}`,
        chat_id: open.id,
        type: 'chat',
        avatar: { url: '', color: open.color },
        title: 'Open room',
        message: {
          id: openHistory.messages[0].id,
          text: 'Bob Test invited Alice Test to the chat',
          file: false,
          author_id: 0,
          attach: false,
          sticker: null,
          date: w.open.at,
          // Bob, who created the chat, has read it: read by someone other than its (system) author.
          status: 'delivered',
          uuid: null,
        },
        counter: 1,
        last_id: 0,
        ...base,
        date: w.open.at,
        date_update: w.open.at,
        date_last_activity: w.open.at,
        chat: chatOf(open, 'MEMBER', []),
        user: { id: 0 },
      },
      uAlice,
    };
  }

  it('returns each item in the typed modern shape, exactly', async () => {
    const expected = await aliceExpected();
    const list = await ok(hook.alice, 'im.recent.get');
    assert.ok(Array.isArray(list));
    const byId = new Map(list.map((i: any) => [i.id, i]));
    // The empty chat (no message) and the chat Alice left are not in the list (decision 9).
    assert.deepEqual([...byId.keys()].sort(), [bob.id, carol.id, `chat${w.team.result}`, `chat${w.open.result}`, `chat${w.lineChat}`].sort());
    // The open-line item: a chat item with the lines block of its session, the customer as the last author.
    const lineItem: any = byId.get(`chat${w.lineChat}`);
    assert.equal(lineItem.chat_id, w.lineChat);
    assert.equal(lineItem.type, 'chat');
    assert.equal(lineItem.chat.type, 'lines');
    assert.equal(lineItem.chat.message_type, 'L');
    assert.equal(lineItem.chat.entity_type, 'LINES');
    assert.equal(lineItem.message.text, 'Where is my order?');
    assert.equal(lineItem.message.author_id, w.customer);
    assert.equal(lineItem.counter, 1);
    assert.equal(lineItem.user.id, w.customer);
    assert.equal(lineItem.user.connector, true);
    assertShape(lineItem.message.date, w.lineMsg.at);
    assert.deepEqual(Object.keys(lineItem.lines), ['id', 'status', 'date_create']);
    assert.equal(lineItem.lines.id, w.lineSession);
    assert.equal(typeof lineItem.lines.status, 'number');
    assert.match(lineItem.lines.date_create, ATOM);
    for (const i of list) assert.equal('lines' in i, i.chat_id === w.lineChat);
    assertShape(byId.get(bob.id), expected.bob);
    assertShape(byId.get(carol.id), expected.carol);
    assertShape(byId.get(`chat${w.team.result}`), expected.team);
    assertShape(byId.get(`chat${w.open.result}`), expected.open);
    for (const item of list) {
      for (const key of ['date', 'date_update', 'date_last_activity']) assert.match(item[key], ATOM);
      assert.ok(item.date.endsWith('+05:00'), item.date);
    }
  });

  it('orders pinned first, then last message date newest first, then item id descending', async () => {
    const list = await ok(hook.alice, 'im.recent.get');
    assert.deepEqual(list.map((i: any) => i.id), decisionEightOrder(list).map((i: any) => i.id));
    assert.deepEqual(list[0].id, `chat${w.lineChat}`);
    await act(hook.alice, 'im.recent.pin', { DIALOG_ID: bob.id });
    const pinned = await ok(hook.alice, 'im.recent.get');
    assert.equal(pinned[0].id, bob.id);
    assert.equal(pinned[0].pinned, true);
    assert.deepEqual(pinned.map((i: any) => i.id), decisionEightOrder(pinned).map((i: any) => i.id));
    await act(hook.alice, 'im.recent.pin', { DIALOG_ID: bob.id, PIN: 'N' });
    assert.deepEqual((await ok(hook.alice, 'im.recent.get')).map((i: any) => i.id), list.map((i: any) => i.id));
  });

  describe('filters: every combination of SKIP_* and ONLY_OPENLINES, in every encoding and letter case', () => {
    const flags = ['SKIP_OPENLINES', 'SKIP_CHAT', 'SKIP_DIALOG', 'ONLY_OPENLINES'] as const;
    const encodings: Encoding[] = ['json', 'form', 'query'];
    const cases: Record<string, string>[] = [];
    for (let bits = 0; bits < 16; bits++) {
      const c: Record<string, string> = {};
      flags.forEach((f, i) => (c[f] = bits & (1 << i) ? 'Y' : 'N'));
      cases.push(c);
    }
    cases.forEach((c, n) => {
      it(Object.entries(c).map(([k, v]) => `${k}=${v}`).join(' '), async () => {
        const full = await ok(hook.alice, 'im.recent.get');
        const allowed = (t: string) => {
          if (c.ONLY_OPENLINES === 'Y') return t === 'L';
          if (c.SKIP_OPENLINES === 'Y' && t === 'L') return false;
          if (c.SKIP_CHAT === 'Y' && (t === 'C' || t === 'O')) return false;
          if (c.SKIP_DIALOG === 'Y' && t === 'P') return false;
          return true;
        };
        // Names in three letter cases, values as given: im.* upper-cases names only.
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(c)) params[n % 3 === 0 ? k : n % 3 === 1 ? k.toLowerCase() : k[0] + k.slice(1).toLowerCase()] = v;
        const answer = await rest(hook.alice, 'im.recent.get', params, encodings[n % 3]);
        assert.equal(answer.status, 200);
        assert.deepStrictEqual(answer.body.result, full.filter((i: any) => allowed(TYPE_OF(i))));
        assert.equal('total' in answer.body, false);
        assert.equal('next' in answer.body, false);
      });
    });
  });

  it('LAST_UPDATE and LAST_SYNC_DATE return the items updated at or after the date, whatever its offset', async () => {
    const full = await ok(hook.alice, 'im.recent.get');
    const seconds = [...new Set(full.map((i: any) => atomSeconds(i.date_update)))] as number[];
    const probes = seconds.flatMap((s) => [s - 1, s, s + 1]);
    for (const s of probes) {
      const expected = full.filter((i: any) => atomSeconds(i.date_update) >= s);
      for (const [name, offset] of [['LAST_UPDATE', 0], ['LAST_SYNC_DATE', 180], ['last_update', -300], ['Last_Sync_Date', 60]] as const) {
        const got = await ok(hook.alice, 'im.recent.get', { [name]: toAtom(s, offset) });
        assert.deepStrictEqual(got, expected, `${name}=${toAtom(s, offset)}`);
      }
    }
    // The second of the newest change is included: the comparison is >=, dates having whole seconds.
    const newest = Math.max(...seconds);
    assert.ok((await ok(hook.alice, 'im.recent.get', { LAST_UPDATE: toAtom(newest) })).length >= 1);
    assert.deepEqual(await ok(hook.alice, 'im.recent.get', { LAST_UPDATE: toAtom(newest + 1) }), []);
    // Z and fractional seconds are RFC 3339 too.
    assert.deepStrictEqual(await ok(hook.alice, 'im.recent.get', { LAST_UPDATE: new Date((newest - 0.5) * 1000).toISOString() }), full.filter((i: any) => atomSeconds(i.date_update) >= newest - 1));
  });

  it('WITH_COUNTERS=N omits the counter key; anything else keeps it', async () => {
    const full = await ok(hook.alice, 'im.recent.get');
    const without = await ok(hook.alice, 'im.recent.get', { WITH_COUNTERS: 'N' });
    assert.deepStrictEqual(without, full.map(({ counter, ...rest }: any) => rest));
    assert.deepStrictEqual(await ok(hook.alice, 'im.recent.get', { with_counters: 'Y' }), full);
    assert.deepStrictEqual(await ok(hook.alice, 'im.recent.get', { WITH_COUNTERS: 'n' }), full);
    for (const i of full) assert.equal(typeof i.counter, 'number');
  });

  it('lenient by default: bad values are ignored as a portal ignores them', async () => {
    const full = await ok(hook.alice, 'im.recent.get');
    const cases: Record<string, unknown>[] = [
      { SKIP_CHAT: 'y' },
      { SKIP_DIALOG: 'true' },
      { SKIP_DIALOG: '1', ONLY_OPENLINES: 'yes' },
      { LAST_UPDATE: 'yesterday' },
      { LAST_SYNC_DATE: '2019-07-11 10:45:31' },
      { LAST_UPDATE: '2019-13-45T99:00:00+00:00' },
      { FOO: 'bar' },
    ];
    for (const c of cases) assert.deepStrictEqual(await ok(hook.alice, 'im.recent.get', c), full, JSON.stringify(c));
  });

  it('counter and the unread mark are separate; im.recent.unread N reads the dialog', async () => {
    const before = (await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === bob.id);
    const marked = await act(hook.alice, 'im.recent.unread', { DIALOG_ID: bob.id, ACTION: 'Y' });
    assert.equal(marked.result, true);
    let item = (await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === bob.id);
    assertShape(item, { ...before, unread: true, date_update: marked.at });
    assert.equal(item.counter, 1);
    const cleared = await act(hook.alice, 'im.recent.unread', { DIALOG_ID: bob.id, UNREAD: 'N' }, 'form');
    assert.equal(cleared.result, true);
    item = (await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === bob.id);
    // Read by Alice, Bob's message is "delivered", in her item as in his.
    assertShape(item, { ...before, message: { ...before.message, status: 'delivered' }, unread: false, counter: 0, last_id: w.mBob.result, date_update: cleared.at });
    // Bob's own item shows his message as delivered now that Alice read it, and changed when she did.
    const bobsView = (await ok(hook.bob, 'im.recent.get')).find((i: any) => i.id === alice.id);
    assert.equal(bobsView.message.status, 'delivered');
    assertShape(bobsView.date_update, cleared.at);
    // No such dialog: false, not an error.
    assert.equal((await act(hook.alice, 'im.recent.unread', { DIALOG_ID: 99999 })).result, false);
    assert.equal((await act(hook.alice, 'im.recent.unread', { DIALOG_ID: 'chat99999' })).result, false);
    assert.equal((await act(hook.alice, 'im.recent.unread', { DIALOG_ID: dan.id })).result, false);
    const empty = await rest(hook.alice, 'im.recent.unread', {});
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, { error: 'DIALOG_ID_EMPTY', error_description: 'Dialog ID can\'t be empty' });
  });

  it('im.recent.hide removes an item until the next message; a sync answer does not mention it', async () => {
    const openId = `chat${w.open.result}`;
    const before = await ok(hook.alice, 'im.recent.get');
    const hidden = await act(hook.alice, 'im.recent.hide', { DIALOG_ID: openId });
    assert.equal(hidden.result, true);
    const after = await ok(hook.alice, 'im.recent.get');
    assert.deepStrictEqual(after, before.filter((i: any) => i.id !== openId));
    const since = hidden.at.dates[0];
    assert.deepStrictEqual(await ok(hook.alice, 'im.recent.get', { LAST_SYNC_DATE: since }), after.filter((i: any) => atomSeconds(i.date_update) >= atomSeconds(since)));
    // Bob's new message brings it back, with both unread messages counted.
    const again = await act(hook.bob, 'im.message.add', { DIALOG_ID: openId, MESSAGE: 'Anyone?' });
    let item = (await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === openId);
    assert.equal(item.message.id, again.result);
    assert.equal(item.counter, 2);
    assert.equal(item.user.id, bob.id);
    // Deleting that message does not hide it again: the item shows the previous message.
    await act(hook.bob, 'im.message.delete', { MESSAGE_ID: again.result });
    item = (await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === openId);
    assert.equal(item.message.author_id, 0);
    assert.equal(item.counter, 1);
    // Hiding something that is not there is fine.
    assert.equal((await act(hook.alice, 'im.recent.hide', { DIALOG_ID: 'chat99999' })).result, true);
    assert.equal((await rest(hook.alice, 'im.recent.hide', { DIALOG_ID: '' })).body.error, 'DIALOG_ID_EMPTY');
  });

  it('im.recent.pin: PIN and ACTION, a never-written dialog, errors', async () => {
    const teamId = `chat${w.team.result}`;
    const pin = await act(hook.alice, 'im.recent.pin', { DIALOG_ID: teamId, pin: 'Y' });
    assert.equal(pin.result, true);
    let item = (await ok(hook.alice, 'im.recent.get'))[0];
    assert.equal(item.id, teamId);
    assert.equal(item.pinned, true);
    assertShape(item.date_update, pin.at);
    // ACTION is the old name and wins over PIN.
    assert.equal((await act(hook.alice, 'im.recent.pin', { DIALOG_ID: teamId, PIN: 'Y', ACTION: 'N' })).result, true);
    assert.equal((await ok(hook.alice, 'im.recent.get')).find((i: any) => i.id === teamId).pinned, false);
    // Pinning a user Alice never wrote to lists the dialog with an empty message.
    const pd = await act(hook.alice, 'im.recent.pin', { DIALOG_ID: dan.id });
    item = (await ok(hook.alice, 'im.recent.get'))[0];
    const pDan = await ok(hook.alice, 'im.dialog.get', { DIALOG_ID: dan.id });
    assertShape(item, {
      id: dan.id,
      chat_id: pDan.id,
      type: 'user',
      avatar: { url: '', color: (await ok(hook.alice, 'im.user.get', { ID: dan.id })).color },
      title: 'Dan Test',
      message: { id: 0, text: '', file: false, author_id: 0, attach: false, sticker: null, date: pd.at, status: 'received' },
      counter: 0,
      last_id: 0,
      pinned: true,
      unread: false,
      has_reminder: false,
      date: pd.at,
      date_update: pd.at,
      date_last_activity: pd.at,
      user: await recentUser(hook.alice, dan.id),
      chat: { text_field_enabled: true, background_id: null, mute_list: [] },
      options: [],
    });
    await act(hook.alice, 'im.recent.pin', { DIALOG_ID: dan.id, PIN: 'N' });
    assert.equal((await ok(hook.alice, 'im.recent.get')).some((i: any) => i.id === dan.id), false);
    const denied = await rest(hook.alice, 'im.recent.pin', { DIALOG_ID: 'chat99999' });
    assert.equal(denied.status, 400);
    assert.equal(denied.body.error, 'ACCESS_ERROR');
    // Carol's chat Alice left: no access.
    assert.equal((await rest(hook.alice, 'im.recent.pin', { DIALOG_ID: `chat${w.left.result}` })).body.error, 'ACCESS_ERROR');
    assert.equal((await rest(hook.alice, 'im.recent.pin', {})).body.error, 'DIALOG_ID_EMPTY');
  });

  it('im.recent.pin allows 45 pinned items; one more answers false', async () => {
    const cmd: Record<string, string> = {};
    for (let i = 0; i < 45; i++) cmd[`c${i}`] = `im.chat.add?TITLE=Pin${i}&MESSAGE=m${i}`;
    const made = await ok(hook.dan, 'batch', { halt: 1, cmd });
    const ids = Object.values(made.result) as number[];
    const pins: Record<string, string> = {};
    ids.slice(0, 44).forEach((id, i) => (pins[`p${i}`] = `im.recent.pin?DIALOG_ID=chat${id}`));
    const pinned = await ok(hook.dan, 'batch', { halt: 1, cmd: pins });
    assert.ok(Object.values(pinned.result).every((r) => r === true));
    assert.equal((await act(hook.dan, 'im.recent.pin', { DIALOG_ID: `chat${ids[44]}` })).result, true);
    assert.equal((await act(hook.dan, 'im.recent.pin', { DIALOG_ID: alice.id })).result, false);
    // Pinning an already pinned one is still true; freeing a place allows one more.
    assert.equal((await act(hook.dan, 'im.recent.pin', { DIALOG_ID: `chat${ids[0]}` })).result, true);
    assert.equal((await act(hook.dan, 'im.recent.pin', { DIALOG_ID: `chat${ids[0]}`, PIN: 'N' })).result, true);
    assert.equal((await act(hook.dan, 'im.recent.pin', { DIALOG_ID: alice.id })).result, true);
    const list = await ok(hook.dan, 'im.recent.get');
    assert.equal(list.filter((i: any) => i.pinned).length, 45);
    assert.deepEqual(list.map((i: any) => i.id), decisionEightOrder(list).map((i: any) => i.id));
  });

  it('message preview: BB-codes stripped, line breaks as spaces, markers in the portal language', async () => {
    const chat = (await act(hook.carol, 'im.chat.add', { TITLE: 'Previews' })).result;
    const dash = '-'.repeat(54);
    const cases: [Record<string, unknown>, string][] = [
      [{ MESSAGE: 'one\ntwo\r\nthree' }, 'one two three'],
      [{ MESSAGE: '[b]bold[/b] [i]it[/i] [u]under[/u]' }, 'bold it under'],
      [{ MESSAGE: '[s]gone[/s]kept' }, 'kept'],
      [{ MESSAGE: '[url=https://e.com/x]a link[/url] and [url]https://x.y/z[/url]' }, 'a link and https://x.y/z'],
      [{ MESSAGE: `[USER=${alice.id}][/USER] and [USER=${bob.id}]Bobby[/USER]` }, 'Alice Test and Bobby'],
      [{ MESSAGE: '[CHAT=12]the room[/CHAT] [color=#ff0000]red[/color] [size=20]big[/size]' }, 'the room red big'],
      [{ MESSAGE: '[SEND=/help]Help[/SEND] [PUT=/x]Put[/PUT] [CALL=+100]Call[/CALL]' }, 'Help Put Call'],
      [{ MESSAGE: `${dash}\nBob Test [26.11.2026]\nquoted\n${dash}\nanswer` }, '[Quote]  answer'],
      [{ MESSAGE: 'see', ATTACH: [{ MESSAGE: 'x' }] }, 'see [Attachment]'],
      [{ MESSAGE: 'a [ATTACH=1] b' }, 'a  [Attachment]  b'],
      [{ MESSAGE: '[ICON=https://e.com/i.png title=Smile width=10] ok' }, '(Smile) ok'],
      [{ MESSAGE: 'rated [RATING=5]' }, 'rated  [Rating]'],
    ];
    for (const [params, text] of cases) {
      const sent = await act(hook.carol, 'im.message.add', { DIALOG_ID: `chat${chat}`, ...params });
      const item = (await ok(hook.carol, 'im.recent.get')).find((i: any) => i.id === `chat${chat}`);
      assert.equal(item.message.id, sent.result);
      assert.equal(item.message.text, text, JSON.stringify(params));
      assert.equal(item.message.attach, params.ATTACH !== undefined);
      // im.recent.list GET_ORIGINAL_TEXT=Y gives the stored text, short mentions filled with names.
      const original = (await ok(hook.carol, 'im.recent.list', { GET_ORIGINAL_TEXT: 'Y' })).items.find((i: any) => i.id === `chat${chat}`);
      assert.equal(original.message.text, String(params.MESSAGE).replace(`[USER=${alice.id}][/USER]`, `[USER=${alice.id} REPLACE]Alice Test[/USER]`));
    }
  });

  it('a chat the user left, and the empty chat, are not listed; nor mentioned in a delta', async () => {
    const t0 = atomSeconds((await act(hook.alice, 'server.time')).result);
    const c = await act(hook.bob, 'im.chat.add', { TITLE: 'Short', USERS: [alice.id], MESSAGE: 'hi' });
    assert.ok((await ok(hook.alice, 'im.recent.get', { LAST_SYNC_DATE: toAtom(t0) })).some((i: any) => i.id === `chat${c.result}`));
    await act(hook.alice, 'im.chat.leave', { CHAT_ID: c.result });
    assert.equal((await ok(hook.alice, 'im.recent.get', { LAST_SYNC_DATE: toAtom(t0) })).some((i: any) => i.id === `chat${c.result}`), false);
    assert.equal((await ok(hook.alice, 'im.recent.get')).some((i: any) => i.id === `chat${w.empty.result}`), false);
    // Bob still has it, with the leave message from the system.
    const bobs = (await ok(hook.bob, 'im.recent.get')).find((i: any) => i.id === `chat${c.result}`);
    assert.equal(bobs.message.text, 'Alice Test left the chat');
    assert.equal(bobs.chat.user_counter, 1);
  });

  it('a dialog with an inactive user stays while something in it is unread, then is dropped', async () => {
    const admin = await srv.webhook(1);
    const eveId = await ok(admin, 'user.add', { NAME: 'Eve', LAST_NAME: 'Gone' });
    const eve = await srv.webhook(eveId);
    await act(eve, 'im.message.add', { DIALOG_ID: carol.id, MESSAGE: 'last words' });
    await act(admin, 'user.update', { ID: eveId, ACTIVE: 'N' });
    let item = (await ok(hook.carol, 'im.recent.get')).find((i: any) => i.id === eveId);
    assert.equal(item.counter, 1);
    assert.equal(item.user.active, false);
    await act(hook.carol, 'im.dialog.read', { DIALOG_ID: eveId });
    item = (await ok(hook.carol, 'im.recent.get')).find((i: any) => i.id === eveId);
    assert.equal(item, undefined);
    // Also with counters off: the drop depends on the counter, not on whether it is shown.
    assert.equal((await ok(hook.carol, 'im.recent.get', { WITH_COUNTERS: 'N' })).some((i: any) => i.id === eveId), false);
  });

  describe('im.recent.list', () => {
    it('answers {items, hasMore, hasMorePages} with total -1, in pin and activity order', async () => {
      const r = await rest(hook.alice, 'im.recent.list', {});
      assert.equal(r.status, 200);
      assert.equal(r.body.total, -1);
      assert.equal('next' in r.body, false);
      const { items, ...restOfResult } = r.body.result;
      assert.deepStrictEqual(restOfResult, { hasMorePages: false, hasMore: false, copilot: null, messagesAutoDeleteConfigs: [] });
      const full = await ok(hook.alice, 'im.recent.get');
      // Same items (same JSON) as im.recent.get, ordered by pin, then last activity.
      assert.deepStrictEqual([...items].sort((a, b) => String(a.id).localeCompare(String(b.id))), [...full].sort((a, b) => String(a.id).localeCompare(String(b.id))));
      const order = [...items].sort(
        (a: any, b: any) => Number(b.pinned) - Number(a.pinned) || atomSeconds(b.date_last_activity) - atomSeconds(a.date_last_activity),
      );
      assert.deepEqual(items.map((i: any) => atomSeconds(i.date_last_activity)), order.map((i: any) => atomSeconds(i.date_last_activity)));
    });

    it('pages with LIMIT and OFFSET or start; next and hasMore', async () => {
      const all = (await ok(hook.alice, 'im.recent.list', { LIMIT: 200 })).items;
      assert.ok(all.length >= 4);
      for (const via of ['OFFSET', 'start'] as const) {
        const seen: any[] = [];
        let offset = 0;
        for (;;) {
          const r = await rest(hook.alice, 'im.recent.list', { LIMIT: 2, ...(offset ? { [via]: offset } : {}) });
          assert.equal(r.status, 200);
          // Every page is full but the last, which holds exactly what is left.
          assert.equal(r.body.result.items.length, Math.min(2, all.length - seen.length));
          seen.push(...r.body.result.items);
          assert.equal(r.body.result.hasMore, seen.length < all.length);
          assert.equal(r.body.result.hasMorePages, r.body.result.hasMore);
          if (!r.body.result.hasMore) {
            assert.equal('next' in r.body, false);
            break;
          }
          assert.equal(r.body.next, offset + 2);
          offset = r.body.next;
        }
        assert.deepStrictEqual(seen, all);
      }
    });

    it('LAST_MESSAGE_DATE is a cursor on the last activity; SKIP_* and UNREAD_ONLY filter', async () => {
      const all = (await ok(hook.alice, 'im.recent.list')).items;
      for (const item of all) {
        const cut = atomSeconds(item.date_last_activity);
        const page = await rest(hook.alice, 'im.recent.list', { LAST_MESSAGE_DATE: item.date_last_activity, OFFSET: 1 });
        assert.deepStrictEqual(page.body.result.items, all.filter((i: any) => atomSeconds(i.date_last_activity) <= cut));
      }
      const skipped = (await ok(hook.alice, 'im.recent.list', { SKIP_DIALOG: 'Y' })).items;
      assert.deepStrictEqual(skipped, all.filter((i: any) => i.type !== 'user'));
      // SKIP_CHAT drops group chats (C, O), not open lines.
      assert.deepStrictEqual((await ok(hook.alice, 'im.recent.list', { skip_chat: 'Y' })).items, all.filter((i: any) => !['C', 'O'].includes(TYPE_OF(i))));
      assert.deepStrictEqual((await ok(hook.alice, 'im.recent.list', { SKIP_OPENLINES: 'Y' })).items, all.filter((i: any) => TYPE_OF(i) !== 'L'));
      await act(hook.alice, 'im.recent.unread', { DIALOG_ID: carol.id });
      const now = (await ok(hook.alice, 'im.recent.list')).items;
      const unread = (await ok(hook.alice, 'im.recent.list', { UNREAD_ONLY: 'Y' })).items;
      assert.deepStrictEqual(unread, now.filter((i: any) => i.counter > 0 || i.unread));
      assert.ok(unread.some((i: any) => i.id === carol.id && i.counter === 0));
      await act(hook.alice, 'im.recent.unread', { DIALOG_ID: carol.id, ACTION: 'N' });
    });

    it('LIMIT outside 1..200 is clamped', async () => {
      for (const limit of [0, -5, 500]) {
        const r = await rest(hook.alice, 'im.recent.list', { LIMIT: limit });
        assert.equal(r.status, 200);
        assert.equal(r.body.result.hasMore, false);
      }
    });
  });

  it('im.revision.get reports rest revision 30', async () => {
    const r = await ok(hook.alice, 'im.revision.get');
    assert.deepStrictEqual(r, { rest: 30, web: 130, mobile: 23, desktop: 6, im_revision_mobile: 23 });
  });
});

describe('im.recent.list pages cut ties by item id', () => {
  it('items with the same activity second come in item id order on every page size', async () => {
    const srv = await startServer();
    try {
      const me = await srv.addUser('Tie', 'Me');
      const peers = await Promise.all([1, 2, 3, 4, 5].map((n) => srv.addUser(`Tie${n}`, 'Peer')));
      const hook = await srv.webhook(me.id);
      // One batch posts to five dialogs within milliseconds; retried in the rare case it straddles a second.
      let full: any[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const cmd = Object.fromEntries(peers.map((p, i) => [`m${i}`, `im.message.add?DIALOG_ID=${p.id}&MESSAGE=tie${attempt}`]));
        await ok(hook, 'batch', { halt: 1, cmd });
        full = (await ok(hook, 'im.recent.list', { LIMIT: 200 })).items;
        if (new Set(full.map((i: any) => i.date_last_activity)).size < full.length - 1) break;
      }
      const tied = full.filter((i: any) => full.filter((j: any) => j.date_last_activity === i.date_last_activity).length > 1);
      assert.ok(tied.length >= 3, 'the batch put several dialogs in one second');
      for (let k = 1; k < tied.length; k++) {
        if (tied[k].date_last_activity === tied[k - 1].date_last_activity) assert.ok(tied[k].id < tied[k - 1].id, 'ties: item id descending');
      }
      for (const limit of [1, 2]) {
        const paged: number[] = [];
        for (let offset = 0; offset < full.length; offset += limit) {
          paged.push(...(await ok(hook, 'im.recent.list', { LIMIT: limit, OFFSET: offset })).items.map((i: any) => i.id));
        }
        assert.deepEqual(paged, full.map((i: any) => i.id), `pages of ${limit}`);
      }
    } finally {
      await srv.cleanup();
    }
  });
});

describe('im.recent.* in strict mode, Russian portal, western zone', () => {
  let srv: TestServer;
  let hook: string;
  let other: any;

  before(async () => {
    // A western zone without daylight saving (since 1993): the offset holds all year.
    srv = await startServer({ env: { B24IM_TIMEZONE: 'America/Bogota', B24IM_LANGUAGE: 'ru' }, args: ['--strict'] });
    const me = await srv.addUser('Иван', 'Петров');
    other = await srv.addUser('Пётр', 'Иванов');
    hook = await srv.webhook(me.id);
    const peer = await srv.webhook(other.id);
    await ok(peer, 'im.message.add', { DIALOG_ID: me.id, MESSAGE: 'Отчёт', ATTACH: [{ MESSAGE: 'x' }] });
  });
  after(() => srv.cleanup());

  it('markers in the portal language, dates with the portal offset', async () => {
    const [item] = await ok(hook, 'im.recent.get');
    assert.equal(item.message.text, 'Отчёт [Вложение]');
    assert.equal(item.title, 'Пётр Иванов');
    assert.ok(item.date.endsWith('-05:00'), item.date);
  });

  it('each value a portal would ignore is 400 ERROR_ARGUMENT naming the parameter', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['im.recent.get', { SKIP_CHAT: 'y' }, 'SKIP_CHAT'],
      ['im.recent.get', { skip_dialog: 'true' }, 'SKIP_DIALOG'],
      ['im.recent.get', { SKIP_OPENLINES: '1' }, 'SKIP_OPENLINES'],
      ['im.recent.get', { ONLY_OPENLINES: 'yes' }, 'ONLY_OPENLINES'],
      ['im.recent.get', { LAST_UPDATE: 'yesterday' }, 'LAST_UPDATE'],
      ['im.recent.get', { LAST_SYNC_DATE: '2019-07-11 10:45:31' }, 'LAST_SYNC_DATE'],
      ['im.recent.get', { WITH_COUNTERS: 'no' }, 'WITH_COUNTERS'],
      ['im.recent.get', { FOO: 'bar' }, 'FOO'],
      ['im.recent.list', { LIMIT: 500 }, 'LIMIT'],
      ['im.recent.list', { LIMIT: 'ten' }, 'LIMIT'],
      ['im.recent.list', { OFFSET: -1 }, 'OFFSET'],
      ['im.recent.list', { UNREAD_ONLY: 'true' }, 'UNREAD_ONLY'],
      ['im.recent.list', { LAST_MESSAGE_DATE: 'now' }, 'LAST_MESSAGE_DATE'],
      ['im.recent.pin', { DIALOG_ID: other.id, PIN: 'yes' }, 'PIN'],
      ['im.recent.pin', { DIALOG_ID: other.id, ACTION: 'off' }, 'ACTION'],
      ['im.recent.unread', { DIALOG_ID: other.id, ACTION: 'no' }, 'ACTION'],
      ['im.recent.hide', { DIALOG_ID: other.id, EXTRA: 1 }, 'EXTRA'],
    ];
    for (const [method, params, argument] of cases) {
      const r = await rest(hook, method, params);
      assert.equal(r.status, 400, `${method} ${JSON.stringify(params)}`);
      assert.equal(r.body.error, 'ERROR_ARGUMENT');
      assert.equal(r.body.argument, argument);
      assert.equal(typeof r.body.error_description, 'string');
    }
    // Good values pass.
    assert.equal((await rest(hook, 'im.recent.get', { SKIP_CHAT: 'N', LAST_SYNC_DATE: '2019-07-11T10:45:31+02:00', with_counters: 'Y' })).status, 200);
  });
});

describe('dates on both sides of a daylight-saving change (clock pinned with B24IM_CLOCK_OFFSET)', () => {
  // Europe/Berlin moved from +01:00 to +02:00 at 2026-03-29T01:00Z; America/New_York from -05:00 to -04:00 at
  // 2026-03-08T07:00Z. Each server's clock is pinned a day before or after, so the test does not depend on today.
  const cases = [
    { zone: 'Europe/Berlin', at: '2026-03-28T12:00:00Z', offset: '+01:00' },
    { zone: 'Europe/Berlin', at: '2026-03-30T12:00:00Z', offset: '+02:00' },
    { zone: 'America/New_York', at: '2026-03-07T12:00:00Z', offset: '-05:00' },
    { zone: 'America/New_York', at: '2026-03-09T12:00:00Z', offset: '-04:00' },
  ];
  /** The wall-clock text of an instant at a fixed offset, e.g. 2026-03-28T13:00:05 for 12:00:05Z at +01:00. */
  const wallClock = (ms: number, offset: string) => {
    const minutes = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    return new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  };
  for (const c of cases) {
    it(`${c.zone} at ${c.at}: ${c.offset}`, async () => {
      const pinned = Date.parse(c.at);
      const offset = Math.round((pinned - Date.now()) / 1000);
      const srv = await startServer({ env: { B24IM_TIMEZONE: c.zone, B24IM_CLOCK_OFFSET: String(offset) } });
      try {
        const [me, peer] = [await srv.addUser('Zone', 'Me'), await srv.addUser('Zone', 'Peer')];
        await ok(await srv.webhook(peer.id), 'im.message.add', { DIALOG_ID: me.id, MESSAGE: 'tick' });
        const [item] = await ok(await srv.webhook(me.id), 'im.recent.get');
        for (const date of [item.date, item.message.date, item.date_update]) {
          const instant = Date.parse(date);
          // The pinned clock ran on while the test worked; the change is hours away, so an hour of slack is safe.
          assert.ok(instant >= pinned - 60_000 && instant < pinned + 3_600_000, `${date} is not near ${c.at}`);
          assert.equal(date, `${wallClock(instant, c.offset)}${c.offset}`);
        }
      } finally {
        await srv.cleanup();
      }
    });
  }
});

describe('im.recent.get date windows (server clock moved forward by B24IM_CLOCK_OFFSET)', () => {
  const DAY = 24 * 3600;
  let dir: string;
  let hook: string;
  let peerHook: string;
  let me: any;
  let srv: TestServer | undefined;

  before(async () => {
    const first = await startServer();
    dir = first.dir;
    me = await first.addUser('Window', 'User');
    const peer = await first.addUser('Peer', 'User');
    hook = (await first.webhook(me.id)).replace(first.url, '');
    peerHook = (await first.webhook(peer.id)).replace(first.url, '');
    await ok(first.url + peerHook, 'im.message.add', { DIALOG_ID: me.id, MESSAGE: 'then' });
    await first.stop();
  });
  after(async () => {
    await srv?.cleanup();
  });

  async function at(offsetDays: number, env: Record<string, string> = {}) {
    await srv?.stop();
    srv = await startServer({ dir, env: { B24IM_CLOCK_OFFSET: String(offsetDays * DAY), ...env } });
    return srv.url;
  }

  it('8 days later: in the 30-day window; LAST_SYNC_DATE is clamped to 7 days, LAST_UPDATE is not', async () => {
    const url = await at(8);
    const old = toAtom(Math.floor(Date.now() / 1000) - 20 * DAY, 180);
    const [item] = await ok(url + hook, 'im.recent.get');
    assert.equal(item.message.text, 'then');
    assert.deepEqual(await ok(url + hook, 'im.recent.get', { LAST_SYNC_DATE: old }), []);
    assert.deepStrictEqual(await ok(url + hook, 'im.recent.get', { LAST_UPDATE: old }), [item]);
    // Both given: LAST_UPDATE wins.
    assert.deepStrictEqual(await ok(url + hook, 'im.recent.get', { LAST_SYNC_DATE: old, LAST_UPDATE: old }), [item]);
    // New activity is in the clamped window, with its date on the moved clock.
    const sent = await act(url + peerHook, 'im.message.add', { DIALOG_ID: me.id, MESSAGE: 'now' });
    const [fresh] = await ok(url + hook, 'im.recent.get', { LAST_SYNC_DATE: old });
    assert.equal(fresh.message.id, sent.result);
    assert.ok(atomSeconds(fresh.date_update) >= Math.floor(Date.now() / 1000) + 8 * DAY - 60);
  });

  it('40 days later: outside the 30-day window unless a date or a wider window is given', async () => {
    let url = await at(40);
    assert.deepEqual(await ok(url + hook, 'im.recent.get'), []);
    const [item] = await ok(url + hook, 'im.recent.get', { LAST_UPDATE: '2000-01-01T00:00:00+00:00' });
    assert.equal(item.message.text, 'now');
    url = await at(40, { B24IM_RECENT_WINDOW_DAYS: '35' });
    assert.deepStrictEqual(await ok(url + hook, 'im.recent.get'), [item]);
    // im.recent.list has no window.
    assert.equal((await ok(url + hook, 'im.recent.list')).items.length, 1);
  });
});
