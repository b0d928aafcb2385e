// im.user.* methods: user objects and the user's own status.
import { Errors } from '../errors.ts';
import { imUser } from '../present/users.ts';
import { presentOptionsFor } from './present-options.ts';
import type { MethodDef } from './registry.ts';

const STATUSES = ['online', 'dnd', 'away', 'break'];
const IDLE_DEFAULT_MINUTES = 10;

export const imUserMethods: MethodDef[] = [
  {
    name: 'im.user.get',
    scope: 'im',
    params: ['ID', 'AVATAR_HR'],
    async handler({ app, auth, params }) {
      const id = params.has('ID') ? params.int('ID') ?? 0 : auth.user.id;
      if (id <= 0) throw Errors.method('ID_EMPTY', 'User ID can\'t be empty');
      const user = await app.store.users.get(id);
      if (!user) throw Errors.method('USER_NOT_EXISTS', 'User not found');
      return imUser(user, await presentOptionsFor(app, [user]));
    },
  },
  {
    name: 'im.user.list.get',
    scope: 'im',
    params: ['ID', 'AVATAR_HR', 'RESULT_TYPE'],
    async handler({ app, params }) {
      let raw = params.raw('ID');
      if (typeof raw === 'string' && raw.trim().startsWith('[')) {
        try {
          raw = JSON.parse(raw);
        } catch {
          raw = undefined;
        }
      }
      const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : undefined;
      const ids = (list ?? []).map((v) => (typeof v === 'number' || typeof v === 'string' ? Number(v) : NaN)).filter((n) => Number.isSafeInteger(n) && n > 0);
      if (!list || ids.length === 0) throw Errors.method('INVALID_FORMAT', 'A wrong format for the ID field is passed');
      const users = await app.store.users.getMany(ids);
      const o = await presentOptionsFor(app, users);
      if (params.string('RESULT_TYPE') === 'array') return users.sort((a, b) => a.id - b.id).map((u) => imUser(u, o));
      const byId: Record<string, unknown> = {};
      for (const u of users) byId[u.id] = imUser(u, o);
      return byId;
    },
  },
  {
    name: 'im.user.status.get',
    scope: 'im',
    params: [],
    async handler({ auth }) {
      return auth.user.status;
    },
  },
  {
    name: 'im.user.status.set',
    scope: 'im',
    params: ['STATUS'],
    async handler({ app, auth, params }) {
      const status = params.string('STATUS') ?? '';
      if (!STATUSES.includes(status)) throw Errors.method('STATUS_ERROR', 'Status is not available');
      await app.users.setStatus(auth.user.id, { status });
      return true;
    },
  },
  {
    name: 'im.user.status.idle.start',
    scope: 'im',
    params: ['AGO'],
    async handler({ app, auth, params }) {
      let ago = params.int('AGO') ?? IDLE_DEFAULT_MINUTES;
      if (ago < 1) {
        params.fallback('AGO', 'AGO is at least 1');
        ago = 1;
      }
      await app.users.setStatus(auth.user.id, { idle: app.clock() - ago * 60 });
      return true;
    },
  },
  {
    name: 'im.user.status.idle.end',
    scope: 'im',
    params: [],
    async handler({ app, auth }) {
      await app.users.setStatus(auth.user.id, { idle: null });
      return true;
    },
  },
];
