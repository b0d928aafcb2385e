// The Store contract: the same tests, unchanged, against SQLite and PostgreSQL (npm test runs this file once per
// backend; B24IM_TEST_BACKEND picks it). Every backend must give the same ids, order, numbers, errors and
// transaction behaviour, also under concurrent writers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { NewUser } from '../src/store/schema.ts';
import { escapeLike, flag, greatest, isUniqueViolation, least, likeCi, stringAgg } from '../src/store/sql/dialect.ts';
import type { SqlStore } from '../src/store/sql/index.ts';
import { TEST_BACKEND } from './helpers/pg.ts';
import { testTarget, type TestTarget } from './helpers/store.ts';

const T0 = 1_700_000_000;
const execFileP = promisify(execFile);

async function worker(target: string, count: number): Promise<string> {
  const script = path.join(import.meta.dirname, 'helpers/store-worker.ts');
  const { stdout } = await execFileP(process.execPath, ['--import', 'tsx', script, target, String(count)], { env: process.env });
  return stdout;
}

async function migrationCount(): Promise<number> {
  const { migrationProvider } = await import('../src/store/migrations/index.ts');
  return Object.keys(await migrationProvider('sqlite').getMigrations()).length;
}

function newUser(name: string, extra: Partial<NewUser> = {}): NewUser {
  return {
    active: 1, is_admin: 0, name, last_name: '', second_name: '', email: '', work_position: '', color: '', avatar: '',
    gender: '', birthday: '', extranet: 0, network: 0, bot: 0, connector: 0, external_auth_id: 'default',
    status: 'online', idle: null, last_activity_date: null, mobile_last_date: null, desktop_last_date: null,
    absent: null, departments: '[1]', website: '', phone: '', time_zone: '', date_register: T0, ...extra,
  };
}

describe(`store contract (${TEST_BACKEND})`, () => {
  let target: TestTarget;
  let store: SqlStore;

  before(async () => {
    target = await testTarget();
    store = await target.open();
  });
  after(async () => {
    await store?.close();
    await target?.drop();
  });

  it('reports its dialect', () => {
    assert.equal(store.dialect, TEST_BACKEND);
  });

  describe('users', () => {
    it('ids start at 1 and grow by one; rows come back with JS numbers and nulls', async () => {
      const a = await store.users.create(newUser('Anna', { date_register: 4_102_444_800 /* 2100, past int4 */ }));
      const b = await store.users.create(newUser('Boris', { active: 0, idle: T0 + 5 }));
      const c = await store.users.create(newUser('Clara', { email: 'clara@example.com' }));
      assert.deepEqual([a.id, b.id, c.id], [1, 2, 3]);
      assert.equal(a.date_register, 4_102_444_800);
      assert.equal(typeof a.date_register, 'number');
      assert.equal(a.idle, null);
      assert.equal(b.idle, T0 + 5);
      assert.equal(typeof b.active, 'number');
      const got = await store.users.get(2);
      assert.deepEqual(got, b);
      assert.equal(await store.users.get(99), undefined);
    });

    it('ids beyond 32 bits are simply not found (every integer column is 64-bit on both engines)', async () => {
      const big = 3_000_000_000;
      assert.equal(await store.users.get(big), undefined);
      assert.equal(await store.chats.get(big), undefined);
      assert.equal(await store.members.get(big, big), undefined);
      assert.equal(await store.messages.get(big * 10), undefined);
      assert.deepEqual(await store.users.list({ ids: [big] }), []);
    });

    it('getMany dedupes and ignores unknown ids; an empty list is an empty answer', async () => {
      const rows = await store.users.getMany([3, 1, 3, 77]);
      assert.deepEqual(rows.map((r) => r.id).sort(), [1, 3]);
      assert.deepEqual(await store.users.getMany([]), []);
    });

    it('list orders by id and pages; count is a number; empty id lists match nothing', async () => {
      assert.deepEqual((await store.users.list({})).map((u) => u.id), [1, 2, 3]);
      assert.deepEqual((await store.users.list({ limit: 2, offset: 1 })).map((u) => u.id), [2, 3]);
      assert.deepEqual((await store.users.list({ activeOnly: true })).map((u) => u.id), [1, 3]);
      assert.deepEqual((await store.users.list({ ids: [3, 2] })).map((u) => u.id), [2, 3]);
      assert.deepEqual(await store.users.list({ ids: [] }), []);
      assert.strictEqual(await store.users.count({}), 3);
      assert.strictEqual(await store.users.count({ activeOnly: true }), 2);
      assert.strictEqual(await store.users.count({ ids: [] }), 0);
    });

    it('update patches only the given columns', async () => {
      await store.users.update(3, { work_position: 'QA', last_activity_date: T0 + 60 });
      await store.users.update(3, {});
      const c = await store.users.get(3);
      assert.equal(c?.work_position, 'QA');
      assert.equal(c?.last_activity_date, T0 + 60);
      assert.equal(c?.email, 'clara@example.com');
    });

    it('text is stored exactly: unicode, quotes, long strings', async () => {
      const name = 'Ёлка "O\'Brien" \\ % _ 😀 '.repeat(200);
      const u = await store.users.create(newUser(name));
      assert.equal((await store.users.get(u.id))?.name, name);
    });
  });

  describe('auth', () => {
    it('webhooks, apps and tokens round-trip; a duplicate app code is a unique violation', async () => {
      const hook = await store.auth.createWebhook({ user_id: 1, code_hash: 'h1', scopes: 'im,user', title: '', date_create: T0 });
      assert.equal(hook.id, 1);
      assert.deepEqual(await store.auth.webhooksOfUser(1), [hook]);
      assert.deepEqual(await store.auth.webhooksOfUser(2), []);
      const app = await store.auth.createApp({
        code: 'a1', client_id: 'local.1', client_secret_hash: 's', scopes: 'im', handler_url: '', application_token: 't',
        installed: 0, date_create: T0,
      });
      assert.deepEqual(await store.auth.appByCode('a1'), app);
      assert.deepEqual(await store.auth.appByClientId('local.1'), app);
      assert.equal(await store.auth.appByCode('A1'), undefined, 'lookups are case-sensitive');
      await store.auth.updateApp(app.id, { installed: 1 });
      assert.equal((await store.auth.app(app.id))?.installed, 1);
      const { id: _id, ...appFields } = app;
      await assert.rejects(
        store.auth.createApp({ ...appFields, client_id: 'local.2' }),
        (err) => isUniqueViolation(err),
      );
      const tok = await store.auth.createToken({
        access_hash: 'ah', refresh_hash: 'rh', user_id: 1, app_id: app.id, scopes: 'im', expires_at: T0 + 3600,
        refresh_expires_at: T0 + 7200, revoked: 0, date_create: T0,
      });
      assert.deepEqual(await store.auth.tokenByAccessHash('ah'), tok);
      assert.deepEqual(await store.auth.tokenByRefreshHash('rh'), tok);
      await store.auth.revokeToken(tok.id);
      assert.equal((await store.auth.tokenByAccessHash('ah'))?.revoked, 1);
      assert.equal(await store.auth.tokenByAccessHash('nope'), undefined);
    });

    it('a row pointing at a missing user is refused (foreign keys are on)', async () => {
      await assert.rejects(store.auth.createWebhook({ user_id: 999, code_hash: 'x', scopes: '', title: '', date_create: T0 }));
    });
  });

  describe('portal', () => {
    it('get is undefined until set; set overwrites', async () => {
      assert.equal(await store.portal.get('k'), undefined);
      await store.portal.set('k', 'v1');
      await store.portal.set('k', 'v2');
      assert.equal(await store.portal.get('k'), 'v2');
    });
  });

  describe('transactions', () => {
    it('commit makes every write visible and returns the value', async () => {
      const id = await store.transaction(async (tx) => {
        const u = await tx.users.create(newUser('Tx'));
        await tx.portal.set('tx', String(u.id));
        return u.id;
      });
      assert.equal(await store.portal.get('tx'), String(id));
      assert.equal((await store.users.get(id))?.name, 'Tx');
    });

    it('an error rolls back every write, also of nested transactions, and is rethrown unchanged', async () => {
      const before = await store.users.count({});
      const boom = new Error('boom');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(newUser('Lost'));
          await tx.transaction(async (inner) => inner.portal.set('lost', '1'));
          throw boom;
        }),
        (err) => err === boom,
      );
      assert.equal(await store.users.count({}), before);
      assert.equal(await store.portal.get('lost'), undefined);
    });

    it('a failing statement inside a transaction rolls it back', async () => {
      const before = await store.users.count({});
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.create(newUser('Half'));
          await tx.auth.createWebhook({ user_id: 12345, code_hash: 'x', scopes: '', title: '', date_create: T0 });
        }),
      );
      assert.equal(await store.users.count({}), before);
    });

    it('transactions that lock a key before read-modify-write lose no update', async () => {
      await store.portal.set('counter', '0');
      const N = 30;
      await Promise.all(
        Array.from({ length: N }, () =>
          store.transaction(async (tx) => {
            await tx.lock('counter');
            const v = Number(await tx.portal.get('counter'));
            await new Promise((r) => setImmediate(r)); // let the others interleave
            await tx.portal.set('counter', String(v + 1));
          }),
        ),
      );
      assert.equal(await store.portal.get('counter'), String(N));
      await assert.rejects(store.lock('counter'), /needs a transaction/);
    });

    it('concurrent get-or-create under a lock makes exactly one row', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.transaction(async (tx) => {
            await tx.lock('app:single');
            const existing = await tx.auth.appByCode('single');
            if (existing) return existing.id;
            const app = await tx.auth.createApp({
              code: 'single', client_id: `local.single.${i}`, client_secret_hash: 's', scopes: 'im', handler_url: '',
              application_token: 't', installed: 0, date_create: T0,
            });
            return app.id;
          }),
        ),
      );
      assert.equal(new Set(results).size, 1);
      const rows = await store.kysely.selectFrom('apps').select('id').where('code', '=', 'single').execute();
      assert.equal(rows.length, 1);
    });

    it('a chat\'s sequence: concurrent nextSeq and getForUpdate read-modify-write give gap-free numbers', async () => {
      const chat = await store.chats.create({
        type: 'C', dialog_key: null, title: 'seq', description: '', color: '', avatar: '', owner_id: 1, author_id: 1,
        entity_type: '', entity_id: '', entity_data_1: '', entity_data_2: '', entity_data_3: '', date_create: T0,
        date_update: T0, last_message_id: 0, last_message_date: null, last_seq: 0, deleted_seq_max: 0, member_count: 0,
        large: 0, extranet: 0,
      });
      const seqs = await Promise.all(Array.from({ length: 25 }, () => store.transaction((tx) => tx.chats.nextSeq(chat.id))));
      assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
      await Promise.all(
        Array.from({ length: 15 }, () =>
          store.transaction(async (tx) => {
            const c = (await tx.chats.getForUpdate(chat.id))!;
            await new Promise((r) => setImmediate(r));
            await tx.chats.update(chat.id, { member_count: c.member_count + 1 });
          }),
        ),
      );
      const after = await store.chats.get(chat.id);
      assert.equal(after?.last_seq, 25);
      assert.equal(after?.member_count, 15);
    });

    it('an id taken by a rolled-back insert is not reused by the next insert', async () => {
      // Both engines may skip ids after a rollback; what must hold is that ids only grow.
      const a = await store.users.create(newUser('Before'));
      await assert.rejects(store.transaction(async (tx) => {
        await tx.users.create(newUser('Rolled back'));
        throw new Error('no');
      }));
      const b = await store.users.create(newUser('After'));
      assert.ok(b.id > a.id);
    });
  });

  describe('two processes on one new database (two nodes)', () => {
    it('migrate it once, bootstrap one portal, and lose no concurrent update', async () => {
      const other = await testTarget();
      try {
        const outputs = await Promise.all([1, 2].map(() => worker(other.target, 15)));
        const ids = outputs.map((o) => JSON.parse(o).memberId);
        assert.equal(ids[0], ids[1], 'both nodes use the one member_id');
        const s = await other.open();
        try {
          assert.equal(await s.users.count({}), 1, 'one administrator');
          assert.equal(await s.portal.get('member_id'), ids[0]);
          assert.equal(await s.portal.get('n'), '30');
          const m = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(s.kysely);
          assert.equal(Number(m.rows[0].n), (await migrationCount()));
        } finally {
          await s.close();
        }
      } finally {
        await other.drop();
      }
    });
  });

  describe('portable SQL helpers (src/store/sql/dialect.ts)', () => {
    const d = () => store.dialect;

    it('greatest / least pick per row; flag turns a condition into 0/1', async () => {
      const rows = await store.kysely
        .selectFrom('users')
        .select((eb) => [
          'id',
          greatest(d(), 'id', 2).as('g'),
          least(d(), 'id', 2, sql<number>`3`).as('l'),
          flag(eb('id', '>', 2)).as('f'),
        ])
        .where('id', '<=', 3)
        .orderBy('id')
        .execute();
      assert.deepEqual(rows.map((r) => [r.id, Number(r.g), Number(r.l), r.f]), [
        [1, 2, 1, 0],
        [2, 2, 2, 0],
        [3, 3, 2, 1],
      ]);
      assert.equal(typeof rows[0].f, 'number');
    });

    it('likeCi ignores ASCII case and treats escaped wildcards literally', async () => {
      await store.users.create(newUser('Percent 100% Sure'));
      await store.users.create(newUser('Percent 1000 Sure'));
      const find = async (pattern: string) =>
        (await store.kysely.selectFrom('users').select('name').where(likeCi(d(), 'name', pattern)).orderBy('id').execute()).map((r) => r.name);
      assert.deepEqual(await find('%anna%'), ['Anna']);
      assert.deepEqual(await find('ANNA'), ['Anna']);
      assert.deepEqual(await find(`%${escapeLike('100%')}%`), ['Percent 100% Sure']);
      assert.deepEqual(await find(`%${escapeLike('10_0')}%`), []);
    });

    it('stringAgg joins a group', async () => {
      const row = await store.kysely
        .selectFrom('users')
        .select(stringAgg(d(), 'id', ',').as('ids'))
        .where('id', 'in', [1, 2, 3])
        .executeTakeFirstOrThrow();
      assert.deepEqual(row.ids.split(',').map(Number).sort(), [1, 2, 3]);
    });

    it('aggregates and integer arithmetic give JS integers: count, sum, division truncates', async () => {
      const row = await store.kysely
        .selectFrom('users')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('date_register').as('s'),
          sql<number>`7 / 2`.as('half'),
          sql<number>`-7 / 2`.as('neghalf'),
        ])
        .where('id', 'in', [1, 2])
        .executeTakeFirstOrThrow();
      assert.strictEqual(row.n, 2);
      assert.strictEqual(row.s, 4_102_444_800 + T0);
      assert.strictEqual(row.half, 3);
      assert.strictEqual(row.neghalf, -3);
    });

    it('NULL ordering is the same when spelled out (nullsFirst / nullsLast)', async () => {
      const ids = async (nulls: 'first' | 'last') =>
        (
          await store.kysely
            .selectFrom('users')
            .select('id')
            .where('id', 'in', [1, 2, 3])
            .orderBy('idle', (ob) => (nulls === 'first' ? ob.asc().nullsFirst() : ob.asc().nullsLast()))
            .orderBy('id')
            .execute()
        ).map((r) => r.id);
      assert.deepEqual(await ids('first'), [1, 3, 2]);
      assert.deepEqual(await ids('last'), [2, 1, 3]);
    });

    it('UPDATE ... RETURNING gives the new value (the atomic counter pattern)', async () => {
      const r = await store.kysely
        .updateTable('users')
        .set((eb) => ({ status: eb.fn('lower', [eb.ref('status')]), idle: eb(eb.fn.coalesce('idle', sql<number>`0`), '+', 1) }))
        .where('id', '=', 1)
        .returning(['id', 'idle'])
        .executeTakeFirstOrThrow();
      assert.deepEqual(r, { id: 1, idle: 1 });
    });
  });
});
