// im.department.* and im.search.department.list: the company structure as the portal's CIMRestService answers it.
import type { AuthContext } from '../app/auth.ts';
import type { App } from '../app/index.ts';
import { Errors } from '../errors.ts';
import { phpMap } from '../present/php.ts';
import { imUser } from '../present/users.ts';
import type { DepartmentRow } from '../store/store.ts';
import { scalarNumber } from './intval.ts';
import type { Params } from './params.ts';
import { presentOptionsFor } from './present-options.ts';
import { imOffset, ListResult, type MethodContext, type MethodDef } from './registry.ts';

function intranetOnly(auth: AuthContext): void {
  if (auth.user.extranet === 1 || auth.user.bot === 1) {
    throw Errors.method('ACCESS_ERROR', 'Only intranet users have access to this method.', 403);
  }
}

/** ID: a list of department ids, or a JSON array in a string (CUtil::JsObjectToPhp); anything else is no ids. */
function departmentIds(params: Params): number[] {
  let raw = params.raw('ID');
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  if (!raw || typeof raw !== 'object') return [];
  const ids = Object.values(raw as Record<string, unknown>).map((v) => Math.trunc(scalarNumber(v))).filter((n) => n > 0);
  return [...new Set(ids)];
}

/** Users by id in the portal's im user shape, in the order given. */
async function usersById(app: App, ids: number[]) {
  const byId = new Map((await app.store.users.getMany([...new Set(ids)])).map((u) => [u.id, u]));
  const o = await presentOptionsFor(app, [...byId.values()]);
  return (list: number[]) => list.flatMap((id) => (byId.has(id) ? [imUser(byId.get(id)!, o)] : []));
}

async function presentDepartments(app: App, rows: DepartmentRow[], withHead: boolean) {
  const all = await app.departments.byId();
  const heads = withHead ? await usersById(app, rows.map((d) => d.head_id).filter(Boolean)) : undefined;
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    full_name: app.departments.fullName(d.id, all),
    manager_user_id: d.head_id,
    ...(heads ? { manager_user_data: heads([d.head_id])[0] ?? null } : {}),
  }));
}

/** LIMIT of colleagues and department search: 10 when absent, at most 50. */
function smallLimit(params: Params): number {
  const limit = params.int('LIMIT');
  if (limit === undefined || limit <= 0) return 10;
  return Math.min(limit, 50);
}

/**
 * managers.get / employees.get: users of each existing department in ID, as ids or (USER_DATA=Y) as users, keyed by
 * department id.
 */
async function usersPerDepartment(
  { app, auth, params }: MethodContext,
  usersOf: (ids: number[], all: Map<number, DepartmentRow>) => Promise<Map<number, number[]>>,
) {
  intranetOnly(auth);
  const ids = departmentIds(params);
  if (ids.length === 0) throw Errors.method('ID_EMPTY', "Department ID can't be empty");
  const all = await app.departments.byId();
  const lists = await usersOf(ids.filter((id) => all.has(id)), all);
  if (params.string('USER_DATA') !== 'Y') return phpMap(Object.fromEntries(lists));
  const users = await usersById(app, [...lists.values()].flat());
  return phpMap(Object.fromEntries([...lists].map(([id, list]) => [id, users(list)])));
}

export const imDepartmentMethods: MethodDef[] = [
  {
    name: 'im.department.get',
    scope: 'im',
    params: ['ID', 'USER_DATA'],
    async handler({ app, auth, params }) {
      intranetOnly(auth);
      const ids = departmentIds(params);
      if (ids.length === 0) throw Errors.method('INVALID_FORMAT', 'A wrong format for the ID field is passed');
      const all = await app.departments.byId();
      const rows = ids.sort((a, b) => a - b).flatMap((id) => (all.has(id) ? [all.get(id)!] : []));
      return presentDepartments(app, rows, params.string('USER_DATA') === 'Y');
    },
  },
  {
    name: 'im.department.managers.get',
    scope: 'im',
    params: ['ID', 'USER_DATA'],
    handler: (ctx) =>
      usersPerDepartment(ctx, async (ids, all) => new Map(ids.map((id) => [id, all.get(id)!.head_id ? [all.get(id)!.head_id] : []]))),
  },
  {
    name: 'im.department.employees.get',
    scope: 'im',
    params: ['ID', 'USER_DATA'],
    handler: (ctx) => usersPerDepartment(ctx, (ids) => ctx.app.departments.employees(ids)),
  },
  {
    name: 'im.department.colleagues.list',
    scope: 'im',
    params: ['USER_DATA', 'OFFSET', 'LIMIT'],
    async handler({ app, auth, params, start }) {
      intranetOnly(auth);
      const ids = await app.departments.colleagues(auth.user);
      const offset = imOffset(start, params.int('OFFSET'));
      const page = ids.slice(offset, offset + smallLimit(params));
      const items = params.string('USER_DATA') === 'Y' ? (await usersById(app, page))(page) : page;
      return ListResult.page(items, ids.length, offset);
    },
  },
  {
    name: 'im.search.department.list',
    scope: 'im',
    params: ['FIND', 'USER_DATA', 'OFFSET', 'LIMIT'],
    async handler({ app, params, start }) {
      if (!params.has('FIND')) throw Errors.method('FIND_SHORT', 'Too short a search phrase.');
      const find = (params.string('FIND') ?? '').trim().toLowerCase();
      const all = [...(await app.departments.byId()).values()];
      const matches = all.filter((d) => d.name.toLowerCase().includes(find));
      const offset = imOffset(start, params.int('OFFSET'));
      const page = matches.slice(offset, offset + smallLimit(params));
      return ListResult.page(await presentDepartments(app, page, params.string('USER_DATA') === 'Y'), matches.length, offset);
    },
  },
];
