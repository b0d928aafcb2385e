// The REST user module's methods: user.current, profile, user.get.
import { restUser } from '../present/users.ts';
import { presentOptions } from './present-options.ts';
import { ListResult, type MethodDef } from './registry.ts';

const PAGE = 50;

export const userMethods: MethodDef[] = [
  {
    name: 'user.current',
    scope: 'basic',
    params: [],
    async handler({ app, auth }) {
      return restUser(auth.user, presentOptions(app));
    },
  },
  {
    name: 'profile',
    scope: 'basic',
    params: [],
    async handler({ app, auth }) {
      const u = restUser(auth.user, presentOptions(app));
      return {
        ID: u.ID,
        ADMIN: auth.user.is_admin === 1,
        NAME: u.NAME,
        LAST_NAME: u.LAST_NAME,
        PERSONAL_GENDER: u.PERSONAL_GENDER,
        ...(u.PERSONAL_PHOTO ? { PERSONAL_PHOTO: u.PERSONAL_PHOTO } : {}),
        TIME_ZONE: u.TIME_ZONE,
        TIME_ZONE_OFFSET: 0,
      };
    },
  },
  {
    name: 'user.get',
    scope: 'user_basic',
    params: ['ID', 'FILTER', 'filter', 'sort', 'order', 'ADMIN_MODE'],
    async handler({ app, params, start }) {
      const filter = params.structure('FILTER') ?? params.structure('filter');
      const rawId = params.raw('ID') ?? (filter && !Array.isArray(filter) ? (filter.ID ?? filter.id) : undefined);
      let ids: number[] | undefined;
      if (rawId !== undefined) {
        const list = Array.isArray(rawId) ? rawId : typeof rawId === 'object' && rawId ? Object.values(rawId) : [rawId];
        ids = list.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0);
      }
      const total = await app.store.users.count({ ids, activeOnly: true });
      const rows = await app.store.users.list({ ids, activeOnly: true, offset: start, limit: PAGE });
      const next = start + rows.length < total ? start + rows.length : undefined;
      return new ListResult(rows.map((r) => restUser(r, presentOptions(app))), total, next);
    },
  },
];
