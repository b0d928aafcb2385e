// The company structure: departments made with `b24im department`, read through im.department.*,
// im.search.department.list and user.get's UF_DEPARTMENT filter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

describe('departments', () => {
  let srv: TestServer;
  let head: any;
  let seller: any;
  let east: any;
  let other: any;
  let h: { head: string; seller: string; east: string; admin: string };
  let sales: number;
  let salesEast: number;

  const cli = async (args: string[]) => {
    const r = await srv.cli(['department', ...args, '--db', srv.dbTarget]);
    return r;
  };

  before(async () => {
    srv = await startServer();
    head = await srv.addUser('Helen', 'Head');
    seller = await srv.addUser('Sam', 'Seller');
    east = await srv.addUser('Eva', 'East');
    other = await srv.addUser('Oscar', 'Other');
    h = { head: await srv.webhook(head.id), seller: await srv.webhook(seller.id), east: await srv.webhook(east.id), admin: await srv.webhook(1, 'im,user') };
    const added = await cli(['add', '--name', 'Sales', '--head', String(head.id)]);
    assert.equal(added.code, 0, added.stderr);
    sales = JSON.parse(added.stdout).id;
    salesEast = JSON.parse((await cli(['add', '--name', 'Sales East', '--parent', String(sales)])).stdout).id;
    for (const [user, deps] of [[head, `${sales}`], [seller, `1,${sales}`], [east, `${salesEast}`]] as const) {
      const r = await cli(['assign', '--user', String(user.id), '--departments', deps]);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  after(async () => srv?.cleanup());

  it('im.department.get: names, full names up to the company, heads', async () => {
    const got = await ok(h.seller, 'im.department.get', { ID: [salesEast, sales, 999] });
    assert.deepEqual(got, [
      { id: sales, name: 'Sales', full_name: 'Sales / Company', manager_user_id: head.id },
      { id: salesEast, name: 'Sales East', full_name: 'Sales East / Sales / Company', manager_user_id: 0 },
    ]);
    const withHead = await ok(h.seller, 'im.department.get', { ID: JSON.stringify([sales]), USER_DATA: 'Y' });
    assert.equal(withHead[0].manager_user_data.id, head.id);
    assert.equal(withHead[0].manager_user_data.name, 'Helen Head');
    const bad = await rest(h.seller, 'im.department.get', {});
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'INVALID_FORMAT');
  });

  it('managers, employees and colleagues', async () => {
    assert.deepEqual(await ok(h.seller, 'im.department.managers.get', { ID: [sales, salesEast] }), { [sales]: [head.id], [salesEast]: [] });
    const employees = await ok(h.seller, 'im.department.employees.get', { ID: [sales, salesEast] });
    assert.deepEqual(employees, { [sales]: [head.id, seller.id], [salesEast]: [east.id] });
    const full = await ok(h.seller, 'im.department.employees.get', { ID: [salesEast], USER_DATA: 'Y' });
    assert.equal(full[salesEast][0].id, east.id);
    assert.deepEqual(full[salesEast][0].departments, [salesEast]);
    const empty = await rest(h.seller, 'im.department.managers.get', { ID: [] });
    assert.equal(empty.body.error, 'ID_EMPTY');

    // Sam is in the company (1) and Sales: everyone in either, Helen as Sales' head; never Sam himself.
    const colleagues = await rest(h.seller, 'im.department.colleagues.list', { LIMIT: 50 });
    assert.ok(colleagues.body.result.includes(head.id));
    assert.ok(colleagues.body.result.includes(other.id), 'other users are in the company department from the start');
    assert.ok(!colleagues.body.result.includes(seller.id));
    assert.ok(!colleagues.body.result.includes(east.id), 'Sales East is not one of his departments');
    assert.equal(colleagues.body.total, colleagues.body.result.length);
    // Paged by next, one at a time.
    const paged: number[] = [];
    for (let start = 0; ; ) {
      const body = (await rest(h.seller, 'im.department.colleagues.list', { LIMIT: 1, start })).body;
      paged.push(...body.result);
      if (body.next === undefined) break;
      start = body.next;
    }
    assert.deepEqual(paged, colleagues.body.result);
    const mine = await ok(h.east, 'im.department.colleagues.list', { USER_DATA: 'Y' });
    assert.deepEqual(mine, [], 'Eva is alone in Sales East, which has no head');
  });

  it('search, the user.get filter, moving, and refusals', async () => {
    const found = await rest(h.seller, 'im.search.department.list', { FIND: 'east' });
    assert.deepEqual(found.body.result.map((d: any) => d.id), [salesEast]);
    assert.equal(found.body.total, 1);
    const members = await ok(h.admin, 'user.get', { FILTER: { UF_DEPARTMENT: sales } });
    assert.deepEqual(members.map((u: any) => Number(u.ID)).sort((a: number, b: number) => a - b), [head.id, seller.id]);
    assert.deepEqual(members.find((u: any) => Number(u.ID) === seller.id).UF_DEPARTMENT, [1, sales]);

    assert.equal((await cli(['move', '--id', String(salesEast), '--parent', '1'])).code, 0);
    assert.equal((await ok(h.seller, 'im.department.get', { ID: [salesEast] }))[0].full_name, 'Sales East / Company');
    assert.equal((await cli(['move', '--id', String(salesEast), '--parent', String(sales)])).code, 0);
    assert.equal((await cli(['update', '--id', String(salesEast), '--name', 'Sales: East', '--head', String(east.id)])).code, 0);
    const listed = JSON.parse((await cli(['list'])).stdout);
    assert.deepEqual(listed.find((d: any) => d.id === salesEast), { id: salesEast, name: 'Sales: East', parent_id: sales, head_id: east.id, full_name: 'Sales: East / Sales / Company' });
    assert.deepEqual(await ok(h.seller, 'im.department.managers.get', { ID: [salesEast] }), { [salesEast]: [east.id] });
    const cycle = await cli(['move', '--id', String(sales), '--parent', String(salesEast)]);
    assert.notEqual(cycle.code, 0);
    assert.match(cycle.stderr, /under itself or its subdepartments/);

    const extranet = await ok(h.admin, 'user.add', { NAME: 'Guest', EXTRANET: 'Y' });
    const guest = await srv.webhook(extranet);
    const denied = await rest(guest, 'im.department.get', { ID: [sales] });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'ACCESS_ERROR');
  });
});
