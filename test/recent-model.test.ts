// Randomized model test of the recent list: long random sequences of sends, reads, edits, deletes, joins, leaves,
// pins, hides and unread marks through the HTTP API. After every step each user's im.recent.get (the whole list,
// each filter, and a LAST_UPDATE / LAST_SYNC_DATE delta merged into the previous list) must equal what a simple
// independent model predicts. Replay a failure with RECENT_MODEL_SEED=<seed>; RECENT_MODEL_STEPS sets the length.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { act, atomSeconds, type At } from './helpers/recent.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';
import { Random } from '../src/seed/random.ts';

const SEED = Number(process.env.RECENT_MODEL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.RECENT_MODEL_STEPS ?? 100);
const USERS = 4;
/** Chats with more members than this are "large" (read-side fan-out): both storage paths get exercised. */
const FANOUT = 3;

/** A second something happened at: one or two candidates until the server's answer shows which. */
type When = number[];
const whenOf = (at: At): When => at.dates.map(atomSeconds);

interface Msg {
  id: number;
  seq: number;
  author: number;
  text: string;
  deleted: boolean;
  at: When;
  /** Read by someone other than its author (the item's message.status "delivered"). */
  delivered: boolean;
}

interface Member {
  read: number;
  start: number;
  lastId: number;
  pinned: boolean;
  unread: boolean;
  hidden: boolean;
  hiddenSeq: number;
  /** When the user's item last changed. */
  du: When;
  joined: When;
}

interface Chat {
  type: 'P' | 'C' | 'O';
  id: number;
  title: string;
  members: Map<number, Member>;
  msgs: Msg[];
  lastSeq: number;
  /** Date of the latest post (a deletion does not undo the activity). */
  lastPost: When | undefined;
}

/** Why an item may vanish from a list without any delta mentioning it (decision 9). */
type Removal = 'hidden' | 'left' | 'no message';

class Model {
  readonly chats: Chat[] = [];
  constructor(readonly names: Map<number, string>) {}

  dialog(a: number, b: number): Chat | undefined {
    return this.chats.find((c) => c.type === 'P' && c.members.has(a) && c.members.has(b));
  }

  /** A member row; a member added later has read up to `read` and sees the history from start on. */
  newMember(at: When, read = 0, start = 0): Member {
    return { read, start, lastId: 0, pinned: false, unread: false, hidden: false, hiddenSeq: 0, du: [...at], joined: [...at] };
  }

  last(c: Chat): Msg | undefined {
    for (let i = c.msgs.length - 1; i >= 0; i--) if (!c.msgs[i].deleted) return c.msgs[i];
    return undefined;
  }

  latestUpTo(c: Chat, seq: number): Msg | undefined {
    return [...c.msgs].reverse().find((m) => !m.deleted && m.seq <= seq);
  }

  touchAll(c: Chat, at: When): void {
    for (const m of c.members.values()) m.du = [...at];
  }

  /** Reader r's read position moves from `from` to `to`: those messages by others are delivered. */
  markRead(c: Chat, r: number, from: number, to: number): void {
    for (const m of c.msgs) if (m.seq > from && m.seq <= to && m.author !== r) m.delivered = true;
  }

  post(c: Chat, id: number, author: number, text: string, at: When): void {
    c.lastSeq++;
    c.msgs.push({ id, seq: c.lastSeq, author, text, deleted: false, at: [...at], delivered: false });
    c.lastPost = [...at];
    this.touchAll(c, at);
    const me = c.members.get(author);
    if (me) {
      this.markRead(c, author, me.read, c.lastSeq - 1);
      me.read = c.lastSeq;
      me.lastId = id;
      me.unread = false;
    }
  }

  /** After a system message for an action: the actor has read everything. */
  actorReadAll(c: Chat, actor: number): void {
    const me = c.members.get(actor)!;
    if (me.read >= c.lastSeq) return;
    this.markRead(c, actor, me.read, c.lastSeq);
    me.read = c.lastSeq;
    me.lastId = this.last(c)?.id ?? 0;
  }

  /** im.dialog.read / im.recent.unread N: reads up to a seq, never back; clears the unread mark. */
  read(c: Chat, u: number, upTo: number, at: When): void {
    const me = c.members.get(u)!;
    const target = Math.max(me.read, upTo);
    if (target === me.read && !me.unread) return;
    me.du = at;
    me.unread = false;
    if (target === me.read) return;
    const last = this.last(c);
    const flips = last && !last.delivered && last.author !== u && last.seq > me.read && last.seq <= target;
    const lastRead = this.latestUpTo(c, target);
    if (lastRead) me.lastId = lastRead.id;
    this.markRead(c, u, me.read, target);
    me.read = target;
    // The last message's new status is part of every member's item.
    if (flips) this.touchAll(c, at);
  }

  counter(c: Chat, u: number): number {
    const read = c.members.get(u)!.read;
    return c.msgs.filter((m) => m.seq > read && !m.deleted && m.author !== u).length;
  }

  /** Why the user's item of this chat is not listed, or undefined when it is. */
  absent(c: Chat, u: number): Removal | undefined {
    const me = c.members.get(u);
    if (!me) return 'left';
    if (me.hidden && c.lastSeq <= me.hiddenSeq) return 'hidden';
    if (!this.last(c) && !(c.type === 'P' && me.pinned)) return 'no message';
    return undefined;
  }

  itemId(c: Chat, u: number): number | string {
    return c.type === 'P' ? this.peer(c, u) : `chat${c.id}`;
  }

  peer(c: Chat, u: number): number {
    return [...c.members.keys()].find((m) => m !== u) ?? u;
  }

  listed(u: number): Chat[] {
    return this.chats.filter((c) => this.absent(c, u) === undefined);
  }

  byItemId(u: number, id: number | string): Chat | undefined {
    return this.chats.find((c) => (c.members.has(u) || c.type !== 'P') && this.itemId(c, u) === id && (c.type !== 'P' || c.members.has(u)));
  }
}

/** Checks a candidate second and settles the model on the server's choice. */
function settle(when: When, atom: string, what: string): void {
  const s = atomSeconds(atom);
  assert.ok(when.includes(s), `${what}: ${atom} (${s}) not in [${when.join(', ')}]`);
  when.splice(0, when.length, s);
}

let srv: TestServer;
const users: number[] = [];
const hooks = new Map<number, string>();
const names = new Map<number, string>();

before(async () => {
  srv = await startServer({ env: { B24IM_FANOUT_LIMIT: String(FANOUT) } });
  for (let i = 0; i < USERS; i++) {
    const u = await srv.addUser(`R${i}`, 'Model');
    users.push(u.id);
    names.set(u.id, `R${i} Model`);
    hooks.set(u.id, await srv.webhook(u.id));
  }
});
after(() => srv.cleanup());

it(`im.recent.get follows the model, whole, filtered and as deltas (seed ${SEED}, ${STEPS} steps)`, async () => {
  console.log(`recent model: seed ${SEED}, ${STEPS} steps (replay with RECENT_MODEL_SEED=${SEED})`);
  // The dataset generator's seeded source, so a failing sequence replays exactly with the printed seed.
  const random = new Random(SEED);
  const rnd = () => random.float();
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const model = new Model(names);
  const log: string[] = [];
  const hook = (u: number) => hooks.get(u)!;
  const dialogIdFor = (c: Chat, u: number) => (c.type === 'P' ? String(model.peer(c, u)) : `chat${c.id}`);
  const mine = (u: number, f: (c: Chat) => boolean = () => true) => model.chats.filter((c) => c.members.has(u) && f(c));
  /** The newest message of a chat (system messages' ids come from the history). */
  const newestId = async (c: Chat) => (await ok(hook([...c.members.keys()][0]), 'im.dialog.messages.get', { DIALOG_ID: dialogIdFor(c, [...c.members.keys()][0]), LIMIT: 1 })).messages[0].id as number;
  let textNo = 0;

  const ops: Record<string, () => Promise<void>> = {
    async sendDialog() {
      const [a, b] = [pick(users), pick(users)];
      if (a === b) return;
      const text = `hello ${++textNo}`;
      const r = await act(hook(a), 'im.message.add', { DIALOG_ID: b, MESSAGE: text });
      let c = model.dialog(a, b);
      if (!c) {
        const d = await ok(hook(a), 'im.dialog.get', { DIALOG_ID: b });
        c = { type: 'P', id: d.id, title: '', members: new Map(), msgs: [], lastSeq: 0, lastPost: undefined };
        c.members.set(a, model.newMember(whenOf(r.at)));
        c.members.set(b, model.newMember(whenOf(r.at)));
        model.chats.push(c);
      }
      model.post(c, r.result, a, text, whenOf(r.at));
      log.push(`send ${a}->${b} #${r.result}`);
    },
    async sendChat() {
      const u = pick(users);
      const cs = mine(u, (c) => c.type !== 'P');
      if (!cs.length) return;
      const c = pick(cs);
      const text = `chat text ${++textNo}\nsecond line`;
      const r = await act(hook(u), 'im.message.add', { DIALOG_ID: `chat${c.id}`, MESSAGE: text });
      model.post(c, r.result, u, text.replace('\n', ' '), whenOf(r.at));
      log.push(`send ${u}->chat${c.id} #${r.result}`);
    },
    async createChat() {
      const u = pick(users);
      const others = users.filter((x) => x !== u && rnd() < 0.6);
      const type = rnd() < 0.5 ? 'C' : 'O';
      const title = `room ${model.chats.length}`;
      const r = await act(hook(u), 'im.chat.add', { USERS: others, TITLE: title, TYPE: type === 'O' ? 'OPEN' : 'CHAT' });
      const c: Chat = { type, id: r.result, title, members: new Map(), msgs: [], lastSeq: 0, lastPost: undefined };
      for (const m of [u, ...others]) c.members.set(m, model.newMember(whenOf(r.at)));
      model.chats.push(c);
      if (others.length) {
        model.post(c, await newestId(c), 0, '', whenOf(r.at));
        model.actorReadAll(c, u);
      }
      log.push(`create ${type} chat${c.id} by ${u} with ${others}`);
    },
    async read() {
      const u = pick(users);
      const cs = mine(u);
      if (!cs.length) return;
      const c = pick(cs);
      const upTo = c.msgs.length && rnd() < 0.5 ? pick(c.msgs) : undefined;
      const r = await act(hook(u), 'im.dialog.read', { DIALOG_ID: dialogIdFor(c, u), ...(upTo ? { MESSAGE_ID: upTo.id } : {}) });
      model.read(c, u, upTo ? upTo.seq : c.lastSeq, whenOf(r.at));
      log.push(`read ${u} ${dialogIdFor(c, u)} up to ${upTo?.id ?? 'all'}`);
    },
    async unreadFrom() {
      const u = pick(users);
      const cs = mine(u, (c) => c.msgs.length > 0);
      if (!cs.length) return;
      const c = pick(cs);
      const m = pick(c.msgs);
      const r = await act(hook(u), 'im.dialog.unread', { DIALOG_ID: dialogIdFor(c, u), MESSAGE_ID: m.id });
      const me = c.members.get(u)!;
      const target = Math.max(me.start - 1, m.seq - 1, 0);
      if (target < me.read) {
        me.read = target;
        me.lastId = model.latestUpTo(c, target)?.id ?? 0;
        me.du = whenOf(r.at);
      }
      log.push(`dialog.unread ${u} ${dialogIdFor(c, u)} from #${m.id}`);
    },
    async edit() {
      const u = pick(users);
      const own = mine(u).flatMap((c) => c.msgs.filter((m) => m.author === u && !m.deleted).map((m) => [c, m] as const));
      if (!own.length) return;
      const [c, m] = pick(own);
      const text = `edited ${++textNo}`;
      const r = await act(hook(u), 'im.message.update', { MESSAGE_ID: m.id, MESSAGE: text });
      m.text = text;
      // Editing the last message changes every member's item; an older one changes no item.
      if (model.last(c) === m) model.touchAll(c, whenOf(r.at));
      log.push(`edit ${u} #${m.id}`);
    },
    async remove() {
      const u = pick(users);
      const own = mine(u).flatMap((c) => c.msgs.filter((m) => m.author === u && !m.deleted).map((m) => [c, m] as const));
      if (!own.length) return;
      const [c, m] = pick(own);
      const r = await act(hook(u), 'im.message.delete', { MESSAGE_ID: m.id });
      m.deleted = true;
      model.touchAll(c, whenOf(r.at));
      log.push(`delete ${u} #${m.id}`);
    },
    async join() {
      const u = pick(users);
      const cs = mine(u, (c) => c.type !== 'P');
      if (!cs.length) return;
      const c = pick(cs);
      const outside = users.filter((x) => !c.members.has(x));
      if (!outside.length) return;
      const newcomer = pick(outside);
      const r = await act(hook(u), 'im.chat.user.add', { CHAT_ID: c.id, USERS: [newcomer] });
      c.members.set(newcomer, model.newMember(whenOf(r.at), c.lastSeq, c.lastSeq + 1));
      model.post(c, await newestId(c), 0, '', whenOf(r.at));
      model.actorReadAll(c, u);
      log.push(`join ${newcomer} to chat${c.id} by ${u}`);
    },
    async leave() {
      const u = pick(users);
      const cs = mine(u, (c) => c.type !== 'P');
      if (!cs.length) return;
      const c = pick(cs);
      const r = await act(hook(u), 'im.chat.leave', { CHAT_ID: c.id });
      c.members.delete(u);
      if (c.members.size > 0) model.post(c, await newestId(c), 0, '', whenOf(r.at));
      log.push(`leave ${u} chat${c.id}`);
    },
    async pin() {
      const u = pick(users);
      const target = pick(users.filter((x) => x !== u));
      const cs = mine(u);
      const c = cs.length && rnd() < 0.7 ? pick(cs) : model.dialog(u, target);
      const dialogId = c ? dialogIdFor(c, u) : String(target);
      const pin = rnd() < 0.65;
      const r = await act(hook(u), 'im.recent.pin', { DIALOG_ID: dialogId, ...(pin ? {} : { PIN: 'N' }) });
      assert.equal(r.result, true);
      let chat = c;
      if (!chat) {
        // Pinning a user never written to opens the dialog.
        const d = await ok(hook(u), 'im.dialog.get', { DIALOG_ID: target });
        chat = { type: 'P', id: d.id, title: '', members: new Map(), msgs: [], lastSeq: 0, lastPost: undefined };
        chat.members.set(u, model.newMember(whenOf(r.at)));
        chat.members.set(target, model.newMember(whenOf(r.at)));
        model.chats.push(chat);
      }
      const me = chat.members.get(u)!;
      if (me.pinned !== pin) {
        me.pinned = pin;
        if (pin) me.hidden = false;
        me.du = whenOf(r.at);
      }
      log.push(`${pin ? 'pin' : 'unpin'} ${u} ${dialogId}`);
    },
    async hide() {
      const u = pick(users);
      const cs = mine(u);
      if (!cs.length) return;
      const c = pick(cs);
      const r = await act(hook(u), 'im.recent.hide', { DIALOG_ID: dialogIdFor(c, u) });
      assert.equal(r.result, true);
      Object.assign(c.members.get(u)!, { hidden: true, hiddenSeq: c.lastSeq, pinned: false, unread: false, du: whenOf(r.at) });
      log.push(`hide ${u} ${dialogIdFor(c, u)}`);
    },
    async markUnread() {
      const u = pick(users);
      const cs = mine(u);
      if (!cs.length) return;
      const c = pick(cs);
      const set = rnd() < 0.6;
      const r = await act(hook(u), 'im.recent.unread', { DIALOG_ID: dialogIdFor(c, u), ACTION: set ? 'Y' : 'N' });
      assert.equal(r.result, true);
      if (set) Object.assign(c.members.get(u)!, { unread: true, hidden: false, du: whenOf(r.at) });
      else model.read(c, u, c.lastSeq, whenOf(r.at));
      log.push(`recent.unread ${set ? 'Y' : 'N'} ${u} ${dialogIdFor(c, u)}`);
    },
  };
  const weights: [string, number][] = [
    ['sendDialog', 6], ['sendChat', 6], ['createChat', 1.2], ['read', 4], ['unreadFrom', 1], ['edit', 1.5], ['remove', 2],
    ['join', 1.5], ['leave', 1], ['pin', 2.5], ['hide', 1.5], ['markUnread', 2],
  ];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const chooseOp = () => {
    let r = rnd() * total;
    for (const [name, w] of weights) if ((r -= w) < 0) return name;
    return weights[0][0];
  };

  /** Each user's previous full list and the date to ask for changes since (the start of that call). */
  const previous = new Map<number, { list: any[]; since: string }>();
  let boundaryCrossings = 0;

  for (let step = 0; step < STEPS; step++) {
    const op = chooseOp();
    // Now and then start the operation just before a second ends, so the write and the reads straddle it.
    if (rnd() < 0.15) await new Promise((r) => setTimeout(r, 985 - (Date.now() % 1000) > 0 ? 985 - (Date.now() % 1000) : 0));
    await ops[op]();
    for (const u of users) {
      const where = () => `seed ${SEED} step ${step} (${op}) user ${u}; last ops:\n${log.slice(-10).join('\n')}`;
      const got = await act(hook(u), 'im.recent.get');
      const list = got.result as any[];
      // 1. The whole list: the listed items, each field as the model has it.
      const expected = model.listed(u);
      assert.deepEqual(
        list.map((i) => i.id).sort(),
        expected.map((c) => model.itemId(c, u)).sort(),
        `items, ${where()}`,
      );
      for (const item of list) {
        const c = expected.find((x) => model.itemId(x, u) === item.id)!;
        const me = c.members.get(u)!;
        const last = model.last(c);
        const what = `${item.id}, ${where()}`;
        assert.equal(item.chat_id, c.id, what);
        assert.equal(item.type, c.type === 'P' ? 'user' : 'chat', what);
        assert.equal(item.title, c.type === 'P' ? names.get(model.peer(c, u)) : c.title, what);
        assert.equal(item.counter, model.counter(c, u), `counter ${what}`);
        assert.equal(item.last_id, me.lastId, `last_id ${what}`);
        assert.equal(item.pinned, me.pinned, `pinned ${what}`);
        assert.equal(item.unread, me.unread, `unread ${what}`);
        assert.equal(item.message.id, last?.id ?? 0, `message.id ${what}`);
        assert.equal(item.message.author_id, last?.author ?? 0, `author ${what}`);
        if (last && last.author > 0) assert.equal(item.message.text, last.text, `text ${what}`);
        assert.equal(item.message.status, last?.delivered ? 'delivered' : 'received', `status ${what}`);
        settle(me.du, item.date_update, `date_update ${what}`);
        if (last) settle(last.at, item.message.date, `message.date ${what}`);
        else assert.equal(item.message.date, item.date_update, what);
        assert.equal(item.date, item.message.date, what);
        const activity = Math.max(Math.min(...me.joined), c.lastPost ? Math.min(...c.lastPost) : 0);
        const activityHi = Math.max(Math.max(...me.joined), c.lastPost ? Math.max(...c.lastPost) : 0);
        const dla = atomSeconds(item.date_last_activity);
        assert.ok(dla >= activity && dla <= activityHi, `date_last_activity ${item.date_last_activity} ${what}`);
        assert.equal(item.user.id, c.type === 'P' ? model.peer(c, u) : (last?.author ?? 0), `user ${what}`);
        if (c.type !== 'P') {
          assert.equal(item.chat.user_counter, c.members.size, `user_counter ${what}`);
          assert.equal(item.chat.message_type, c.type, what);
        }
      }
      // Decision 8 order, with the dates the server has shown.
      const num = (i: any) => (typeof i.id === 'number' ? i.id : Number(i.id.slice(4)));
      const ordered = [...list].sort(
        (a, b) => Number(b.pinned) - Number(a.pinned) || atomSeconds(b.message.date) - atomSeconds(a.message.date) || num(b) - num(a) || b.chat_id - a.chat_id,
      );
      assert.deepEqual(list.map((i) => i.id), ordered.map((i) => i.id), `order, ${where()}`);

      // 2. One filter per step, in turn: the same items, filtered, as exact JSON.
      const filters: [Record<string, string>, (items: any[]) => any[]][] = [
        [{ SKIP_DIALOG: 'Y' }, (l) => l.filter((i) => i.type !== 'user')],
        [{ SKIP_CHAT: 'Y', SKIP_OPENLINES: 'Y' }, (l) => l.filter((i) => i.type === 'user')],
        [{ WITH_COUNTERS: 'N' }, (l) => l.map(({ counter, ...rest }) => rest)],
        [{ ONLY_OPENLINES: 'Y' }, () => []],
        [{ SKIP_OPENLINES: 'Y' }, (l) => l],
      ];
      const [params, apply] = filters[(step + u) % filters.length];
      assert.deepStrictEqual(await ok(hook(u), 'im.recent.get', params), apply(list), `filter ${JSON.stringify(params)}, ${where()}`);

      // 3. The delta since the previous list, merged into it, gives this list (apart from unreported removals).
      const prev = previous.get(u);
      if (prev) {
        const name = step % 2 ? 'LAST_UPDATE' : 'LAST_SYNC_DATE';
        const delta = await ok(hook(u), 'im.recent.get', { [name]: prev.since });
        const sinceS = atomSeconds(prev.since);
        assert.deepStrictEqual(delta, list.filter((i) => atomSeconds(i.date_update) >= sinceS), `${name} answer, ${where()}`);
        const merged = new Map(prev.list.map((i) => [i.id, i]));
        for (const i of delta) merged.set(i.id, i);
        for (const id of [...merged.keys()]) {
          if (list.some((i) => i.id === id)) continue;
          // Gone without being mentioned: only for the reasons a portal does not report.
          const c = model.chats.find((x) => x.id === merged.get(id).chat_id)!;
          const why = model.absent(c, u);
          assert.ok(why === 'hidden' || why === 'left' || why === 'no message', `${id} vanished unexplained, ${where()}`);
          merged.delete(id);
        }
        const rebuilt = [...merged.values()].sort(
          (a, b) => Number(b.pinned) - Number(a.pinned) || atomSeconds(b.message.date) - atomSeconds(a.message.date) || num(b) - num(a) || b.chat_id - a.chat_id,
        );
        assert.deepStrictEqual(rebuilt, list, `previous list + ${name} delta, ${where()}`);
        if (got.at.dates[0] !== prev.since) boundaryCrossings++;
      }
      previous.set(u, { list, since: got.at.dates[0] });

      // 4. Now and then, im.recent.list holds the same items, by pin and last activity.
      if ((step + u) % 7 === 0) {
        const page = await ok(hook(u), 'im.recent.list', { LIMIT: 200 });
        const byId = (l: any[]) => [...l].sort((a, b) => String(a.id).localeCompare(String(b.id)));
        assert.deepStrictEqual(byId(page.items), byId(list), `im.recent.list, ${where()}`);
        const acts = page.items.map((i: any) => [Number(i.pinned), atomSeconds(i.date_last_activity)]);
        for (let k = 1; k < acts.length; k++) {
          assert.ok(acts[k - 1][0] > acts[k][0] || (acts[k - 1][0] === acts[k][0] && acts[k - 1][1] >= acts[k][1]), `im.recent.list order, ${where()}`);
        }
      }
    }
  }
  assert.ok(boundaryCrossings > STEPS / 4, `the run crossed second boundaries between lists (${boundaryCrossings})`);
});
