// Credentials lifecycle: webhooks and tokens are listed and revoked from the CLI, sign-out revokes its token, and a
// revocation holds on the very next request on every node (two servers on one database).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';
import { addApp } from './helpers/handler.ts';

describe('credentials: list and revoke, at once on every node', () => {
  let node1: TestServer;
  let node2: TestServer;
  let user: any;
  let keysApp: any;

  before(async () => {
    node1 = await startServer();
    // The second node shares the first one's database (its directory: the SQLite file or the PostgreSQL database).
    node2 = await startServer({ dir: node1.dir });
    user = await node1.addUser('Vera', 'Keys');
    keysApp = await addApp(node1, 'keys', 'http://127.0.0.1:9/keys');
  });
  after(async () => {
    await node2.stop();
    await node1.cleanup();
  });

  const token = async (app?: string) =>
    node1.cliJson(['token', 'add', '--db', node1.dbPath, '--user', String(user.id), ...(app ? ['--app', app] : [])]);
  /** Both nodes answer im.user.get with this credential (warming whatever they keep), then the error code or ''. */
  const asToken = async (t: string) => Promise.all([node1, node2].map(async (n) => (await rest(`${n.url}/rest/`, 'im.user.get', { auth: t })).body.error ?? ''));
  const asHook = async (path: string) => Promise.all([node1, node2].map(async (n) => (await rest(`${n.url}${path}`, 'im.user.get')).body.error ?? ''));

  it('token list shows live tokens; token revoke ID is refused by both nodes on the next request', async () => {
    const t = await token('keys');
    assert.deepEqual(await asToken(t.access_token), ['', '']);
    const listed = await node1.cliJson(['token', 'list', '--db', node1.dbPath, '--user', String(user.id)]);
    const row = listed.find((r: any) => r.user === user.id);
    assert.ok(row, JSON.stringify(listed));
    assert.ok(!JSON.stringify(listed).includes(t.access_token), 'secrets are never listed');
    const revoked = await node1.cli(['token', 'revoke', String(row.id), '--db', node1.dbPath]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.deepEqual(await asToken(t.access_token), ['invalid_token', 'invalid_token']);
    assert.ok(!(await node1.cliJson(['token', 'list', '--db', node1.dbPath])).some((r: any) => r.id === row.id));
    // Its refresh token is gone too.
    const query = new URLSearchParams({ grant_type: 'refresh_token', client_id: keysApp.client_id, client_secret: keysApp.client_secret, refresh_token: t.refresh_token });
    const refreshed = await fetch(`${node2.url}/oauth/token?${query}`);
    assert.equal((await refreshed.json()).error, 'invalid_grant');
  });

  it('token revoke --app ends every token of an application (what app uninstall uses)', async () => {
    const [a, b, other] = [await token('keys'), await token('keys'), await token()];
    assert.deepEqual([...(await asToken(a.access_token)), ...(await asToken(b.access_token))], ['', '', '', '']);
    const r = await node1.cli(['token', 'revoke', '--app', 'keys', '--db', node1.dbPath]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2 token\(s\) revoked/);
    assert.deepEqual([...(await asToken(a.access_token)), ...(await asToken(b.access_token))], ['invalid_token', 'invalid_token', 'invalid_token', 'invalid_token']);
    assert.deepEqual(await asToken(other.access_token), ['', '']);
  });

  it('webhook list and delete: the URL stops working on both nodes at once', async () => {
    const made = await node1.cliJson(['webhook', 'add', '--db', node1.dbPath, '--user', String(user.id), '--json']);
    const path = `/rest/${user.id}/${made.code}/`;
    assert.deepEqual(await asHook(path), ['', '']);
    const listed = await node1.cliJson(['webhook', 'list', '--db', node1.dbPath]);
    assert.ok(listed.some((h: any) => h.id === made.id && h.user === user.id));
    assert.ok(!JSON.stringify(listed).includes(made.code));
    const del = await node1.cli(['webhook', 'delete', String(made.id), '--db', node1.dbPath]);
    assert.equal(del.code, 0, del.stderr);
    assert.deepEqual(await asHook(path), ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    assert.notEqual((await node1.cli(['webhook', 'delete', String(made.id), '--db', node1.dbPath])).code, 0);
  });

  it('sign-out (POST /oauth/revoke) revokes the token everywhere; an unknown token gets the same answer', async () => {
    const t = await token();
    assert.deepEqual(await asToken(t.access_token), ['', '']);
    const out = await fetch(`${node2.url}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t.access_token }) });
    assert.equal(out.status, 200);
    assert.deepEqual(await asToken(t.access_token), ['invalid_token', 'invalid_token']);
    const unknown = await fetch(`${node1.url}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'ab'.repeat(32) }) });
    assert.equal(unknown.status, 200);
    // The same user's other credentials keep working.
    const hook = await node1.webhook(user.id);
    assert.equal((await ok(hook, 'im.user.get')).id, user.id);
  });
});
