// b24im serve --workers 2: two processes answer on one port; a write handled by one is seen by the next read in the
// other (each keeps its own im.recent.get cache, checked against the database); a Push & Pull client connected to one
// worker gets the events of calls the other handled at once, not at the next poll (B24IM_EVENT_POLL_MS is 5 s here).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { PullChild } from './helpers/pull.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let srv: TestServer;
let a: { id: number };
let b: { id: number };
let hookA: string;
let hookB: string;
let client: PullChild;

before(async () => {
  srv = await startServer({ https: true, args: ['--workers', '2'], env: { B24IM_LOG_LEVEL: 'info', B24IM_EVENT_POLL_MS: '5000' } });
  let ca: string;
  [a, b, ca] = await Promise.all([srv.addUser('Wanda', 'One'), srv.addUser('Walter', 'Two'), srv.caPath()]);
  [hookA, hookB] = await Promise.all([srv.webhook(a.id), srv.webhook(b.id)]);
  client = await PullChild.started(ca, hookB, b.id);
});
after(async () => {
  await client?.stop();
  await srv?.cleanup();
});

const plain = (hook: string) => hook.replace(srv.httpsUrl!, srv.url);

/** A request on a new connection: the cluster hands out connections, not requests, in turn. */
function fresh(url: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: body ? 'POST' : 'GET', agent: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const call = async (hook: string, method: string, params: Record<string, unknown> = {}) => {
  const body = JSON.parse(await fresh(`${plain(hook)}${method}`, params));
  assert.ok(!body.error, JSON.stringify(body));
  return body.result;
};

it('both workers answer, and a write through one is in the next list read through the other', async () => {
  for (let i = 0; i < 12; i++) {
    const id = await call(hookA, 'im.message.add', { DIALOG_ID: b.id, MESSAGE: `w${i}` });
    // Two reads, so that with connections handed out in turn both workers answer reads.
    for (const read of [1, 2]) {
      const list = await call(hookB, 'im.recent.get');
      const item = list.find((x: any) => x.id === a.id);
      assert.equal(item?.message.id, id, `read ${read} after message ${i} shows it`);
      assert.equal(item.counter, i + 1);
    }
  }
  // Every call's log line names its process: the reads were answered by both.
  const pids = new Set(
    srv.log.split('\n').filter((l) => l.includes('"method":"im.recent.get"')).map((l) => JSON.parse(l).pid as number),
  );
  assert.equal(pids.size, 2, `processes that answered: ${[...pids]}`);
});

it('a pull client on one worker gets the events of calls the other worker handled without waiting for a poll', async () => {
  for (let i = 0; i < 6; i++) {
    const sent = Date.now();
    const id = await call(hookA, 'im.message.add', { DIALOG_ID: b.id, MESSAGE: `pull ${i}` });
    const event = await client.waitFor((r) => r.type === 'event' && r.command === 'message' && r.params?.message?.id === id, 10_000);
    assert.ok(event.at - sent < 2500, `message ${i} arrived after ${event.at - sent} ms (the poll is 5 s)`);
  }
});
