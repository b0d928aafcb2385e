// The REST user module's methods: user.current, profile, user.admin / access, user.get / search / fields, user.add / update.
import { Errors } from '../errors.ts';
import { parseAtom } from '../present/dates.ts';
import { restUser } from '../present/users.ts';
import { scalarNumber } from './intval.ts';
import { USER_SORT_FIELDS, USER_TEXT_FIELDS, type UserPatch, type UserRow, type UserQuery, type UserSortField, type UserTextField } from '../store/store.ts';
import type { Params } from './params.ts';
import { presentOptions } from './present-options.ts';
import { ListResult, type MethodContext, type MethodDef } from './registry.ts';

const PAGE = 50;

/** Fields an administrator may set with user.add / user.update (b24im extension: ABSENT_TO, an ATOM date). */
const USER_FIELDS = [
  'NAME', 'LAST_NAME', 'EMAIL', 'WORK_POSITION', 'PERSONAL_GENDER', 'PERSONAL_BIRTHDAY', 'PERSONAL_PHOTO',
  'PERSONAL_MOBILE', 'PERSONAL_WWW', 'ACTIVE', 'EXTRANET', 'ABSENT_TO', 'UF_DEPARTMENT',
];

/** Filter keys a portal reads at the top level of user.get when FILTER is absent (its backward-compatible quirk). */
const TOP_LEVEL_FILTER_KEYS = ['NAME', 'LAST_NAME', 'EMAIL', 'WORK_POSITION', 'ACTIVE', 'USER_TYPE', 'FIND', 'NAME_SEARCH', 'UF_DEPARTMENT'];
const USER_LIST_PARAMS = ['ID', 'FILTER', 'filter', 'sort', 'order', 'SORT', 'ORDER', 'ADMIN_MODE', 'select', 'SELECT', 'IMAGE_RESIZE', ...TOP_LEVEL_FILTER_KEYS];

function userPatch(params: Params): UserPatch {
  const patch: UserPatch = {};
  const text = (name: string) => (params.has(name) ? (params.string(name) ?? '').trim() : undefined);
  const set = <K extends keyof UserPatch>(key: K, value: UserPatch[K] | undefined) => {
    if (value !== undefined) patch[key] = value;
  };
  set('name', text('NAME'));
  set('last_name', text('LAST_NAME'));
  set('email', text('EMAIL'));
  set('work_position', text('WORK_POSITION'));
  set('avatar', text('PERSONAL_PHOTO'));
  set('phone', text('PERSONAL_MOBILE'));
  set('website', text('PERSONAL_WWW'));
  const gender = text('PERSONAL_GENDER');
  if (gender !== undefined) {
    if (!['M', 'F', ''].includes(gender)) params.fallback('PERSONAL_GENDER', 'PERSONAL_GENDER must be M, F or empty');
    else patch.gender = gender;
  }
  const birthday = text('PERSONAL_BIRTHDAY');
  if (birthday !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthday) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(birthday);
    if (birthday === '') patch.birthday = '';
    else if (!m) params.fallback('PERSONAL_BIRTHDAY', 'PERSONAL_BIRTHDAY must be a date');
    else patch.birthday = m[1].length === 4 ? `${m[3]}-${m[2]}` : `${m[1]}-${m[2]}`;
  }
  if (params.has('UF_DEPARTMENT')) {
    const ids = params.list('UF_DEPARTMENT').map(scalarNumber).filter((n) => Number.isInteger(n) && n > 0);
    patch.departments = JSON.stringify([...new Set(ids)]);
  }
  if (params.has('ACTIVE')) patch.active = ['Y', 'true', '1', true, 1].includes(params.raw('ACTIVE') as never) ? 1 : 0;
  if (params.has('EXTRANET')) patch.extranet = params.flag('EXTRANET') ? 1 : 0;
  if (params.has('ABSENT_TO')) {
    const raw = params.string('ABSENT_TO') ?? '';
    const ts = raw === '' ? null : parseAtom(raw);
    if (ts === undefined) params.fallback('ABSENT_TO', 'ABSENT_TO must be an ATOM date');
    else patch.absent = ts;
  }
  return patch;
}

function requireAdmin(isAdmin: number): void {
  if (!isAdmin) throw Errors.accessDenied();
}

export const userMethods: MethodDef[] = [
  {
    name: 'user.add',
    scope: 'user',
    params: USER_FIELDS,
    async handler({ app, auth, params }) {
      requireAdmin(auth.user.is_admin);
      const patch = userPatch(params);
      if (!patch.name && !patch.last_name && !patch.email) {
        throw Errors.method('ERROR_CORE', 'Fill in at least one of NAME, LAST_NAME, EMAIL');
      }
      const user = await app.users.create({ name: patch.name || patch.email || patch.last_name || '', extranet: patch.extranet === 1 });
      const { name: _n, ...rest } = patch;
      await app.users.update(user.id, patch.name ? patch : rest);
      return user.id;
    },
  },
  {
    name: 'user.update',
    scope: 'user',
    params: ['ID', ...USER_FIELDS],
    async handler({ app, auth, params }) {
      const id = params.int('ID') ?? 0;
      if (id !== auth.user.id || params.has('ACTIVE') || params.has('EXTRANET')) requireAdmin(auth.user.is_admin);
      if (!(await app.store.users.get(id))) throw Errors.method('ERROR_CORE', 'User not found');
      await app.users.update(id, userPatch(params));
      return true;
    },
  },
  {
    name: 'user.admin',
    scope: 'basic',
    params: [],
    async handler({ auth }) {
      return auth.user.is_admin === 1;
    },
  },
  {
    name: 'user.access',
    scope: 'basic',
    params: ['ACCESS'],
    async handler({ auth, params }) {
      const raw = params.raw('ACCESS');
      const codes = (Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? Object.values(raw) : [raw]).filter(
        (c): c is string => typeof c === 'string',
      );
      // An administrator passes every check, as on a portal.
      return auth.user.is_admin === 1 || codes.some((code) => holdsAccessCode(auth.user, code));
    },
  },
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
    params: USER_LIST_PARAMS,
    handler: (ctx) => listUsers(ctx, 'get'),
  },
  {
    // A portal answers user.search with user.get's code; NAME, LAST_NAME, WORK_POSITION and FIND match words.
    name: 'user.search',
    scope: 'user_basic',
    params: USER_LIST_PARAMS,
    handler: (ctx) => listUsers(ctx, 'search'),
  },
  {
    name: 'user.fields',
    scope: 'user_basic',
    params: [],
    async handler({ app }) {
      return USER_FIELD_TITLES[app.config.language];
    },
  },
];

/** The fields a portal lists in user.fields, with its field titles in the portal language. */
const USER_FIELD_TITLES = {
  en: {
    ID: 'ID', XML_ID: 'External ID', ACTIVE: 'Active', NAME: 'First name', LAST_NAME: 'Last name', SECOND_NAME: 'Second name',
    EMAIL: 'E-mail', LAST_LOGIN: 'Last login', DATE_REGISTER: 'Registration date', IS_ONLINE: 'Online',
    TIME_ZONE: 'Time zone', TIME_ZONE_OFFSET: 'Time zone offset', TIMESTAMP_X: 'Modified', LAST_ACTIVITY_DATE: 'Last activity',
    PERSONAL_GENDER: 'Gender', PERSONAL_BIRTHDAY: 'Date of birth', PERSONAL_PHOTO: 'Photo', PERSONAL_MOBILE: 'Mobile phone',
    PERSONAL_WWW: 'Website', WORK_POSITION: 'Position', UF_DEPARTMENT: 'Departments', USER_TYPE: 'User type',
  },
  ru: {
    ID: 'ID', XML_ID: 'Внешний код', ACTIVE: 'Активность', NAME: 'Имя', LAST_NAME: 'Фамилия', SECOND_NAME: 'Отчество',
    EMAIL: 'E-Mail', LAST_LOGIN: 'Последняя авторизация', DATE_REGISTER: 'Дата регистрации', IS_ONLINE: 'В сети',
    TIME_ZONE: 'Часовой пояс', TIME_ZONE_OFFSET: 'Смещение часового пояса', TIMESTAMP_X: 'Дата изменения',
    LAST_ACTIVITY_DATE: 'Последняя активность', PERSONAL_GENDER: 'Пол', PERSONAL_BIRTHDAY: 'Дата рождения',
    PERSONAL_PHOTO: 'Фотография', PERSONAL_MOBILE: 'Мобильный телефон', PERSONAL_WWW: 'Личный сайт',
    WORK_POSITION: 'Должность', UF_DEPARTMENT: 'Подразделения', USER_TYPE: 'Тип пользователя',
  },
} as const;

async function listUsers({ app, params, start, noCount }: MethodContext, mode: 'get' | 'search') {
  const query: UserQuery = { activeOnly: true };
  const filter = params.structure('FILTER') ?? params.structure('filter');
  if (filter && !Array.isArray(filter)) applyFilter(query, filter, params, mode);
  else if (!filter) {
    const topLevel = Object.fromEntries(TOP_LEVEL_FILTER_KEYS.filter((k) => params.has(k)).map((k) => [k, params.raw(k)]));
    applyFilter(query, topLevel, params, mode);
  }
  if (params.has('ID')) narrowIds(query, idList(params.raw('ID')));
  const { sort, desc } = readOrder(params);
  const rows = await app.store.users.list({ ...query, sort, desc, offset: start, limit: PAGE });
  const items = rows.map((r) => restUser(r, presentOptions(app)));
  // start=-1 asks for one page without counting (the cursor paging the SDK's list helpers use).
  if (noCount) return items;
  return ListResult.page(items, await app.store.users.count(query), start);
}

/**
 * Whether a user holds an access code: U<id> (the user), AU (any authorized user), G2 (everyone), G1 (the
 * administrators' group), D<id> / DR<id> (a department, DR with its subdepartments: b24im's departments are flat).
 */
function holdsAccessCode(user: UserRow, code: string): boolean {
  const departments = JSON.parse(user.departments) as number[];
  const m = /^(U|G|DR|D)(\d+)$/.exec(code);
  if (code === 'AU') return true;
  if (!m) return false;
  const id = Number(m[2]);
  if (m[1] === 'U') return id === user.id;
  if (m[1] === 'G') return id === 2 || (id === 1 && user.is_admin === 1);
  return departments.includes(id);
}

function idList(raw: unknown): number[] {
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? Object.values(raw) : [raw];
  return list.map(scalarNumber).filter((n) => Number.isSafeInteger(n) && n > 0);
}

function narrowIds(query: UserQuery, ids: number[]): void {
  query.ids = query.ids ? query.ids.filter((id) => ids.includes(id)) : ids;
}

const TEXT_FILTERS: Record<string, UserTextField> = {
  NAME: 'name', LAST_NAME: 'last_name', EMAIL: 'email', WORK_POSITION: 'work_position',
};

/** The words of a search text: split on spaces, at most 10 (a portal's search filter is as short). */
function searchWords(value: unknown): string[] {
  return typeof value === 'string' || typeof value === 'number' ? String(value).split(/\s+/).filter(Boolean).slice(0, 10) : [];
}

/**
 * FILTER keys carry an optional comparison prefix, as on a portal: ID, >ID, >=ID, <ID, <=ID, !ID, @ID. Text fields
 * match whole values in user.get and word beginnings in user.search; FIND (and NAME_SEARCH) search every text field.
 */
function applyFilter(query: UserQuery, filter: Record<string, unknown>, params: Params, mode: 'get' | 'search'): void {
  for (const [key, value] of Object.entries(filter)) {
    const m = /^(>=|<=|!=|!|>|<|=|@)?(.+)$/.exec(key);
    const op = m?.[1] ?? '';
    const field = (m?.[2] ?? key).toUpperCase();
    if (field === 'FIND' || field === 'NAME_SEARCH') {
      const words = searchWords(value);
      if (words.length) (query.words ??= []).push({ fields: USER_TEXT_FIELDS, words });
      continue;
    }
    if (field in TEXT_FILTERS && op === '') {
      if (typeof value !== 'string' && typeof value !== 'number') {
        params.fallback('FILTER', `FILTER[${key}] must be text`);
      } else if (mode === 'search') {
        const words = searchWords(value);
        if (words.length) (query.words ??= []).push({ fields: [TEXT_FILTERS[field]], words });
      } else {
        (query.equals ??= {})[TEXT_FILTERS[field]] = String(value);
      }
      continue;
    }
    if (field === 'UF_DEPARTMENT' && (op === '' || op === '@' || op === '=')) {
      // One department id or a list of them: members of any.
      const ids = (Array.isArray(value) ? value : [value]).map(scalarNumber).filter((n) => Number.isInteger(n) && n > 0);
      query.departments = ids.length ? ids : [-1];
      continue;
    }
    if (field === 'ACTIVE' && op === '') {
      // prepareUserData: any non-empty value other than N means Y.
      query.active = Boolean(value) && value !== 'N' && value !== '0' && value !== 0;
      continue;
    }
    if (field === 'USER_TYPE' && op === '') {
      if (value === 'employee') query.extranet = false;
      else if (value === 'extranet') query.extranet = true;
      else narrowIds(query, []); // e-mail users and unknown types: b24im has none
      continue;
    }
    if (field !== 'ID') {
      params.fallback('FILTER', `Filtering users by ${key} is not supported`);
      continue;
    }
    const ids = idList(value);
    const bound = ids.length ? Math.max(...ids) : scalarNumber(value) || 0;
    if (op === '' || op === '=' || op === '@') narrowIds(query, ids);
    else if (op === '!' || op === '!=') query.notIds = [...(query.notIds ?? []), ...ids];
    else if (op === '>') query.idGt = Math.max(query.idGt ?? -Infinity, bound);
    else if (op === '>=') query.idGte = Math.max(query.idGte ?? -Infinity, bound);
    else if (op === '<') query.idLt = Math.min(query.idLt ?? Infinity, Math.min(...ids, bound));
    else if (op === '<=') query.idLte = Math.min(query.idLte ?? Infinity, Math.min(...ids, bound));
  }
}

/** `sort=FIELD&order=ASC|DESC` (the documented form) or `order[FIELD]=ASC` (what the SDK's list helpers send). */
function readOrder(params: Params): { sort: UserSortField; desc: boolean } {
  let field = 'ID';
  let dir = 'ASC';
  for (const name of ['order', 'ORDER', 'sort', 'SORT']) {
    const v = params.raw(name);
    if (typeof v === 'string' && v !== '') {
      if (/^(asc|desc)$/i.test(v)) dir = v;
      else field = v;
    } else if (v && typeof v === 'object') {
      const [f, d] = Object.entries(v as Record<string, unknown>)[0] ?? [];
      if (f) field = f;
      if (typeof d === 'string' && d !== '') dir = d;
    }
  }
  const sort = field.toLowerCase() as UserSortField;
  if (!USER_SORT_FIELDS.includes(sort)) {
    params.fallback('sort', `Sorting users by ${field} is not supported`);
    return { sort: 'id', desc: /^desc$/i.test(dir) };
  }
  return { sort, desc: /^desc$/i.test(dir) };
}
