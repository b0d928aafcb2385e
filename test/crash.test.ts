// Crash safety: the server is killed with SIGKILL while clients stream messages and read them, then restarted.
// Every message acknowledged to a client must be stored, acknowledged reads must hold, counters must agree with
// an independent count of the stored rows, and the database must pass its integrity checks. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openProbe } from './helpers/dump.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

const ROUNDS = Number(process.env.B24IM_CRASH_ROUNDS ?? 6);

interface Sent {
  id: number;
  text: string;
  dialog: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety', () => {
  let srv: TestServer;
  let dir: string;
  let users: { a: number; b: number; c: number };
  let codes: { a: string; b: string; c: string };
  let chatId: number;
  const acked: Sent[] = [];
  /** The newest message id B was told it has read, per dialog as B names it. */
  const readAck = new Map<string, number>();
  let unacked = 0;

  const hook = (who: keyof typeof codes) => `${srv.url}/rest/${users[who]}/${codes[who]}/`;

  before(async () => {
    srv = await startServer();
    dir = srv.dir;
    const a = await srv.addUser('Alice');
    const b = await srv.addUser('Bob');
    const c = await srv.addUser('Carol');
    users = { a: a.id, b: b.id, c: c.id };
    const code = async (id: number) => (await srv.webhook(id)).split('/').at(-2)!;
    codes = { a: await code(a.id), b: await code(b.id), c: await code(c.id) };
    chatId = await ok(hook('a'), 'im.chat.add', { USERS: [users.b, users.c], TITLE: 'Crash' });
  });
  after(async () => {
    await srv.cleanup();
  });

  /** Sends messages until the server goes away; records the acknowledged ones. */
  async function writer(who: 'a' | 'b' | 'c', dialog: string, tag: string): Promise<void> {
    for (let n = 0; ; n++) {
      const text = `${tag}-${n}-${Math.random().toString(36).slice(2, 8)}`;
      let r;
      try {
        r = await rest(hook(who), 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text });
      } catch {
        unacked++;
        return; // killed mid-request: this message may or may not be stored
      }
      if (r.status === 503) return; // closing
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(typeof r.body.result, 'number');
      acked.push({ id: r.body.result, text, dialog });
    }
  }

  /** Bob keeps reading his dialog with Alice and the group chat up to the newest message he knows of. */
  async function reader(): Promise<void> {
    for (;;) {
      for (const dialog of [String(users.a), `chat${chatId}`]) {
        const newest = acked.filter((m) => m.dialog === (dialog === String(users.a) ? `${users.b}` : dialog)).at(-1);
        if (!newest) continue;
        try {
          const r = await rest(hook('b'), 'im.dialog.read', { DIALOG_ID: dialog, MESSAGE_ID: newest.id });
          if (r.status !== 200) return;
          readAck.set(dialog, Math.max(readAck.get(dialog) ?? 0, newest.id));
        } catch {
          return;
        }
      }
      await sleep(20);
    }
  }

  /** Every message of a dialog as `who` sees it, paging backwards with LAST_ID. */
  async function history(who: 'a' | 'b', dialog: string): Promise<any[]> {
    const out: any[] = [];
    let lastId: number | undefined;
    for (;;) {
      const page = await ok(hook(who), 'im.dialog.messages.get', { DIALOG_ID: dialog, LIMIT: 50, ...(lastId ? { LAST_ID: lastId } : {}) });
      out.push(...page.messages);
      if (page.messages.length < 50) return out;
      lastId = Math.min(...page.messages.map((m: any) => m.id));
    }
  }

  it(`keeps every acknowledged message, read and counter across ${ROUNDS} SIGKILLs`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const work = Promise.all([
        writer('a', String(users.b), `a${round}`),
        writer('a', `chat${chatId}`, `ac${round}`),
        writer('c', `chat${chatId}`, `cc${round}`),
        writer('b', `chat${chatId}`, `bc${round}`),
        reader(),
      ]);
      // Kill at a random moment once this round has acknowledged a random number of messages (slow machines too).
      const target = acked.length + 5 + Math.floor(Math.random() * 40);
      for (let waited = 0; acked.length < target && waited < 20_000; waited += 10) await sleep(10);
      await sleep(Math.floor(Math.random() * 30));
      const code = await srv.stop('SIGKILL');
      assert.equal(code, null); // killed by the signal, no orderly exit
      await work;
      srv = await startServer({ dir });
    }
    console.log(`crash: ${ROUNDS} SIGKILLs, ${acked.length} acknowledged messages, ${unacked} requests cut by a kill, reads acknowledged up to ${JSON.stringify(Object.fromEntries(readAck))}`);
    assert.ok(acked.length >= ROUNDS * 5, `only ${acked.length} messages were acknowledged`);

    // Every acknowledged message is stored with its text, in the dialog it was sent to.
    const dialogMsgs = await history('b', String(users.a));
    const chatMsgs = await history('b', `chat${chatId}`);
    const stored = new Map<number, any>([...dialogMsgs, ...chatMsgs].map((m) => [m.id, m]));
    for (const m of acked) {
      const got = stored.get(m.id);
      assert.ok(got, `acknowledged message ${m.id} (${m.text}) is missing after a crash`);
      assert.equal(got.text, m.text);
      assert.equal(got.chat_id, m.dialog === `chat${chatId}` ? chatId : dialogMsgs[0].chat_id);
    }
    // Nothing stored that no client sent, and ids are unique.
    const sentTexts = new Set(acked.map((m) => m.text));
    const extra = [...stored.values()].filter((m) => !sentTexts.has(m.text) && /^(a|ac|cc|bc)\d+-\d+-/.test(m.text));
    assert.ok(extra.length <= unacked, `${extra.length} unacknowledged messages stored but only ${unacked} requests were cut`);
    assert.equal(new Set([...dialogMsgs, ...chatMsgs].map((m) => m.id)).size, dialogMsgs.length + chatMsgs.length);

    // Acknowledged reads hold: nothing at or before the acknowledged position is unread.
    for (const [dialog, msgs] of [[String(users.a), dialogMsgs], [`chat${chatId}`, chatMsgs]] as const) {
      const readUpTo = readAck.get(dialog) ?? 0;
      for (const m of msgs) if (m.id <= readUpTo) assert.equal(m.unread, false, `message ${m.id} unread after acknowledged read up to ${readUpTo}`);
    }

    // Counters agree with an independent count of the stored rows (read beside the server, not its unread flags),
    // and with the unread flags of the history.
    const probe = await openProbe(srv);
    const unreadDialog = await probe.unread(dialogMsgs[0].chat_id, users.b);
    const unreadChat = await probe.unread(chatId, users.b);
    await probe.close();
    assert.equal(dialogMsgs.filter((m) => m.unread).length, unreadDialog);
    assert.equal(chatMsgs.filter((m) => m.unread).length, unreadChat);
    const counters = await ok(hook('b'), 'im.counters.get');
    assert.equal(Array.isArray(counters.DIALOG) ? 0 : (counters.DIALOG[users.a] ?? 0), unreadDialog);
    assert.equal(Array.isArray(counters.CHAT) ? 0 : (counters.CHAT[chatId] ?? 0), unreadChat);
    const recent = await ok(hook('b'), 'im.recent.get');
    const items = new Map<string, any>(recent.map((i: any) => [String(i.id), i]));
    assert.equal(items.get(String(users.a))?.counter, unreadDialog);
    assert.equal(items.get(`chat${chatId}`)?.counter, unreadChat);
    assert.equal(items.get(`chat${chatId}`)?.message?.id, Math.max(...chatMsgs.map((m) => m.id)));
    assert.equal(items.get(String(users.a))?.message?.id, Math.max(...dialogMsgs.map((m) => m.id)));

    // Reading after recovery still works and brings the counter to zero.
    await ok(hook('b'), 'im.dialog.read', { DIALOG_ID: `chat${chatId}` });
    const after = await ok(hook('b'), 'im.counters.get');
    assert.ok(Array.isArray(after.CHAT) || !after.CHAT[chatId]);
    // And the server takes new messages after the last crash.
    const id = await ok(hook('a'), 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'after the storm' });
    assert.ok(id > Math.max(...stored.keys()));
  });

  it('the database passes its integrity checks after the crashes', async () => {
    const kill = await srv.stop('SIGKILL');
    assert.equal(kill, null);
    const probe = await openProbe(srv);
    try {
      assert.equal(await probe.integrity(), 'ok');
    } finally {
      await probe.close();
    }
    srv = await startServer({ dir });
    assert.equal(typeof (await ok(hook('a'), 'server.time')), 'string');
  });
});
