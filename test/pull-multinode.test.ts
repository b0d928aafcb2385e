// Push & Pull across nodes: two b24im processes on one PostgreSQL database. The SDK's pull client is connected to
// node A; REST calls go to node B. Polling is slowed to a minute, so only LISTEN/NOTIFY can deliver within 1 s;
// after the LISTEN connection is killed, node A reconnects and catches up from the log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './helpers/pg.ts';
import { PullChild } from './helpers/pull.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const SLOW_POLL = { B24IM_EVENT_POLL_MS: '60000', B24IM_DATABASE_POOL: '6' };

describe('Push & Pull on two nodes (PostgreSQL LISTEN/NOTIFY)', () => {
  let db: TestDatabase;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let sql: pg.Client;
  let client: PullChild;
  let ivan: any;
  let maria: any;
  let mariaOnB: string;

  before(async () => {
    db = await createTestDatabase();
    nodeA = await startServer({ databaseUrl: db.url, https: true, env: SLOW_POLL });
    nodeB = await startServer({ databaseUrl: db.url, env: SLOW_POLL });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const ca = await nodeA.caPath();
    [ivan, maria] = await Promise.all([nodeA.addUser('Ivan', 'Multi'), nodeA.addUser('Maria', 'Multi')]);
    const [ivanHook, mariaHook] = await Promise.all([nodeA.webhook(ivan.id), nodeA.webhook(maria.id)]);
    mariaOnB = mariaHook.replace(nodeA.httpsUrl!, nodeB.url);
    client = await PullChild.started(ca, ivanHook, ivan.id);
  });
  after(async () => {
    await client?.stop();
    await sql?.end();
    await Promise.all([nodeA?.cleanup(), nodeB?.cleanup()]);
    await db?.drop();
  });

  it('a client of node A gets, within 1 s, the message sent through node B', async () => {
    const sent = await ok(mariaOnB, 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'from node B' });
    const returned = Date.now();
    const ev = await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent);
    assert.ok(ev.at - returned < 1000, `arrived ${ev.at - returned} ms after the call returned`);
    assert.equal(ev.params.dialogId, maria.id);
  });

  it('after its LISTEN connection is killed, node A reconnects and delivers what committed meanwhile', async () => {
    const killed = await sql.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'b24im-pull-listen' and datname = current_database()");
    assert.equal(killed.rowCount, 2);
    const sent = await ok(mariaOnB, 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'while A was not listening' });
    // Reconnect after 1 s, then the catch-up read: far sooner than the one-minute poll.
    const ev = await client.waitFor((r) => r.command === 'message' && r.params.message.id === sent, 10_000);
    assert.equal(ev.params.message.text, 'while A was not listening');
    const again = await ok(mariaOnB, 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'listening again' });
    const returned = Date.now();
    const ev2 = await client.waitFor((r) => r.command === 'message' && r.params.message.id === again);
    assert.ok(ev2.at - returned < 1000, `arrived ${ev2.at - returned} ms after the call returned`);
  });
});
