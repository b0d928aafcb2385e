// im.notify.*: adding, listing, reading, searching, deleting and answering notifications, with the portal's
// parameters and error codes.
import type { AuthContext } from '../app/auth.ts';
import { appTag, NotifyType } from '../app/notifications.ts';
import { Errors } from '../errors.ts';
import { imUser } from '../present/users.ts';
import { presentNotification } from '../present/notifications.ts';
import type { NotificationRow } from '../store/store.ts';
import type { App } from '../app/index.ts';
import { scalarNumber } from './intval.ts';
import type { Params } from './params.ts';
import { presentOptionsFor } from './present-options.ts';
import type { MethodContext, MethodDef } from './registry.ts';
import { attachParam } from './rich-params.ts';

const ADD_PARAMS = ['USER_ID', 'TO', 'TYPE', 'MESSAGE', 'MESSAGE_OUT', 'TAG', 'SUB_TAG', 'ATTACH', 'CLIENT_ID'];

/**
 * Whose tags a call sets and deletes: the application of an OAuth call, or `custom` + CLIENT_ID for a webhook (as
 * a portal keys webhook bots); undefined when neither is known.
 */
function clientKey(auth: AuthContext, params: Params): string | undefined {
  if (auth.kind === 'token' && auth.app) return auth.app.client_id;
  const clientId = params.string('CLIENT_ID');
  return clientId ? `custom${clientId}` : undefined;
}

/** LIMIT of the notification lists: 50 when absent, at most 50. */
function notifyLimit(params: Params): number {
  const limit = params.int('LIMIT');
  if (limit === undefined || limit <= 0) return 50;
  return Math.min(limit, 50);
}

/** LAST_ID must be digits only (LAST_ID_STRING otherwise), as the portal checks it. */
function lastIdParam(params: Params): number | undefined {
  if (!params.has('LAST_ID')) return undefined;
  const raw = params.raw('LAST_ID');
  // A JSON number arrives in PHP as an int or a float ("1.0E+300" is no run of digits there).
  if (!((typeof raw === 'string' && /^\d+$/.test(raw)) || (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0))) {
    throw Errors.method('LAST_ID_STRING', "Last notification ID can't be string");
  }
  // PHP's intval stops at its largest integer; ids never come near it.
  return Math.min(Number(raw), Number.MAX_SAFE_INTEGER);
}

/** The authors of a page of notifications, as im.user.get shows users. */
async function authorsOf(app: App, rows: NotificationRow[]) {
  const ids = [...new Set(rows.map((r) => r.author_id).filter((id) => id > 0))];
  const users = await app.store.users.getMany(ids);
  const o = await presentOptionsFor(app, users);
  return users.map((u) => imUser(u, o));
}

/** NOTIFY_ID (or ID) of confirm / answer: ID_ERROR when not a positive id. */
function notifyIdParam(params: Params): number {
  const id = params.has('ID') ? params.int('ID') : params.int('NOTIFY_ID');
  if (id === undefined || id <= 0) throw Errors.method('ID_ERROR', "Notification ID can't be empty");
  return id;
}

function addHandler(kind: 'any' | 'USER' | 'SYSTEM') {
  return async ({ app, auth, params }: MethodContext) => {
    const to = params.has('TO') ? params.int('TO') : params.int('USER_ID');
    if (to === undefined || to <= 0) throw Errors.method('USER_ID_EMPTY', "User ID can't be empty");
    const requested = params.string('TYPE');
    const type = kind !== 'any' ? kind : requested === 'SYSTEM' ? 'SYSTEM' : 'USER';
    const message = (params.string('MESSAGE') ?? '').trim();
    if (!message) throw Errors.method('MESSAGE_EMPTY', "Message can't be empty");
    const messageOut = (params.string('MESSAGE_OUT') ?? '').trim();
    // A system notification of an application opens with the application's name, as on a portal.
    const appName = type === 'SYSTEM' && auth.kind === 'token' && auth.app ? auth.app.code : undefined;
    const key = clientKey(auth, params);
    const tag = params.string('TAG');
    const subTag = params.string('SUB_TAG');
    const attach = attachParam(params, app.clock());
    return app.notifications.add({
      to,
      from: type === 'SYSTEM' ? 0 : auth.user.id,
      type: type === 'SYSTEM' ? NotifyType.SYSTEM : NotifyType.FROM_USER,
      text: appName ? `${appName}#BR#${message}` : message,
      textOut: messageOut && appName ? `${appName}#BR#${messageOut}` : messageOut,
      tag: key && tag ? appTag(key, tag) : undefined,
      subTag: key && subTag ? appTag(key, subTag) : undefined,
      attach,
    });
  };
}

/** A day (SEARCH_DATE) or a range (SEARCH_DATE_FROM / _TO) as unix seconds. */
function dateRange(params: Params): { from?: number; to?: number } {
  const day = params.date('SEARCH_DATE');
  if (day !== undefined) return { from: day, to: day + 86400 };
  const from = params.date('SEARCH_DATE_FROM');
  const to = params.date('SEARCH_DATE_TO');
  return { from, to: to === undefined ? undefined : to + 1 };
}

/** Most distinct SEARCH_TYPES / SEARCH_AUTHORS a search takes: each is a bound value of one statement. */
const SEARCH_LIST_MAX = 500;

/** The distinct values of a list parameter, at most SEARCH_LIST_MAX (more is reported in strict mode). */
function distinctList<T>(params: Params, name: string, values: T[]): T[] {
  const distinct = [...new Set(values)];
  if (distinct.length <= SEARCH_LIST_MAX) return distinct;
  params.fallback(name, `${name} holds more than ${SEARCH_LIST_MAX} distinct values; the first ${SEARCH_LIST_MAX} are used`);
  return distinct.slice(0, SEARCH_LIST_MAX);
}

/** SEARCH_TYPE / SEARCH_TYPES: MODULE or MODULE|EVENT each. */
function typeFilter(params: Params): [string, string][] | undefined {
  const raw = [...(params.has('SEARCH_TYPE') ? [params.string('SEARCH_TYPE') ?? ''] : []), ...params.list('SEARCH_TYPES').filter((t): t is string => typeof t === 'string')];
  const types = distinctList(params, 'SEARCH_TYPES', raw.filter(Boolean)).map((t) => {
    const [module, event = ''] = t.split('|');
    return [module, event] as [string, string];
  });
  return types.length ? types : undefined;
}

export const imNotifyMethods: MethodDef[] = [
  { name: 'im.notify', scope: 'im', params: ADD_PARAMS, handler: addHandler('any') },
  { name: 'im.notify.personal.add', scope: 'im', params: ADD_PARAMS, handler: addHandler('USER') },
  { name: 'im.notify.system.add', scope: 'im', params: ADD_PARAMS, handler: addHandler('SYSTEM') },
  {
    name: 'im.notify.get',
    scope: 'im',
    params: ['LAST_ID', 'LAST_TYPE', 'LIMIT', 'CONVERT_TEXT'],
    async handler({ app, auth, params }) {
      if (params.has('LAST_ID') !== params.has('LAST_TYPE')) {
        throw Errors.method('LAST_ID_AND_LAST_TYPE', 'Parameters LAST_ID and LAST_TYPE should be used together.');
      }
      const lastId = lastIdParam(params);
      const page = await app.notifications.page(auth.user.id, { lastId, lastType: params.int('LAST_TYPE'), limit: notifyLimit(params) });
      const convert = params.string('CONVERT_TEXT') === 'Y';
      const notifications = page.items.map((n) => presentNotification(n, app.config.timezone, convert));
      const users = await authorsOf(app, page.items);
      // A user without notifications has no notification chat: only the lists, as on a portal.
      if (page.chatId === undefined || page.total === 0) return { notifications, users };
      return { total_count: page.total, total_unread_count: page.unread, chat_id: page.chatId, notifications, users };
    },
  },
  {
    name: 'im.notify.history.search',
    scope: 'im',
    params: ['SEARCH_TEXT', 'SEARCH_TYPE', 'SEARCH_TYPES', 'SEARCH_DATE', 'SEARCH_DATE_FROM', 'SEARCH_DATE_TO', 'SEARCH_AUTHORS', 'LAST_ID', 'LIMIT', 'CONVERT_TEXT', 'GROUP_TAG'],
    async handler({ app, auth, params }) {
      const text = (params.string('SEARCH_TEXT') ?? '').trim();
      if (!params.string('SEARCH_TYPE') && !params.string('SEARCH_DATE') && [...text].length < 3) {
        throw Errors.method('SEARCH_TEXT_ERROR', "SEARCH_TEXT can't be less then 3 symbols");
      }
      const query = {
        userId: auth.user.id,
        text: text || undefined,
        types: typeFilter(params),
        ...dateRange(params),
        authors: params.has('SEARCH_AUTHORS') ? distinctList(params, 'SEARCH_AUTHORS', params.intList('SEARCH_AUTHORS')) : undefined,
        tag: params.string('GROUP_TAG') || undefined,
        beforeId: lastIdParam(params),
        limit: notifyLimit(params),
      };
      const rows = await app.store.notifications.search(query);
      const convert = params.string('CONVERT_TEXT') === 'Y';
      const chat = await app.store.chats.byDialogKey(`notify:${auth.user.id}`);
      return {
        chat_id: chat?.id ?? 0,
        total_results: await app.store.notifications.countMatching({ ...query, beforeId: undefined }),
        notifications: rows.map((n) => presentNotification(n, app.config.timezone, convert)),
        users: await authorsOf(app, rows),
      };
    },
  },
  {
    name: 'im.notify.read',
    scope: 'im',
    params: ['ID', 'ACTION', 'ONLY_CURRENT'],
    async handler({ app, auth, params }) {
      const id = params.int('ID');
      if (id !== undefined && id >= 0) {
        const read = (params.string('ACTION') ?? 'Y') === 'Y';
        await app.notifications.setRead(auth.user.id, id, params.string('ONLY_CURRENT') === 'Y', read);
      }
      return true;
    },
  },
  {
    name: 'im.notify.read.list',
    scope: 'im',
    params: ['IDS', 'ACTION'],
    async handler({ app, auth, params }) {
      const ids = params.raw('IDS');
      if (!ids || typeof ids !== 'object') throw Errors.method('PARAMS_ERROR', 'No IDS param or it is not an array');
      const read = (params.string('ACTION') ?? 'Y') === 'Y';
      // The portal walks the list and stops at the first id that is not positive.
      for (const raw of Object.values(ids as Record<string, unknown>)) {
        const id = Math.trunc(scalarNumber(raw));
        if (!(id > 0)) break;
        await app.notifications.setRead(auth.user.id, id, true, read);
      }
      return true;
    },
  },
  {
    name: 'im.notify.read.all',
    scope: 'im',
    params: [],
    async handler({ app, auth }) {
      await app.notifications.readAll(auth.user.id);
      return true;
    },
  },
  {
    name: 'im.notify.delete',
    scope: 'im',
    params: ['ID', 'TAG', 'SUB_TAG', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      if (params.has('ID')) return app.notifications.delete(auth.user.id, params.int('ID') ?? 0);
      const key = clientKey(auth, params);
      if (!key) throw Errors.accessDenied('Access denied! Client ID not specified');
      const tag = params.string('TAG');
      if (tag) return app.notifications.deleteByTag('tag', appTag(key, tag));
      const subTag = params.string('SUB_TAG');
      if (subTag) return app.notifications.deleteByTag('sub_tag', appTag(key, subTag));
      throw Errors.method('PARAMS_ERROR', 'Incorrect params');
    },
  },
  {
    name: 'im.notify.confirm',
    scope: 'im',
    params: ['NOTIFY_ID', 'ID', 'NOTIFY_VALUE'],
    async handler({ app, auth, params }) {
      const id = notifyIdParam(params);
      const value = params.string('NOTIFY_VALUE') ?? '';
      if (value === '' || value === '0') throw Errors.method('NOTIFY_VALUE_ERROR', "Notification Value  can't be empty");
      return { result_message: await app.notifications.confirm(auth.user.id, id, value) };
    },
  },
  {
    name: 'im.notify.answer',
    scope: 'im',
    params: ['NOTIFY_ID', 'ID', 'ANSWER_TEXT'],
    async handler({ app, auth, params }) {
      const id = notifyIdParam(params);
      const text = params.string('ANSWER_TEXT') ?? '';
      if (text === '' || text === '0') throw Errors.method('ANSWER_TEXT_ERROR', "ANSWER_TEXT can't be empty");
      return { result_message: await app.notifications.answer(auth.user, id, text) };
    },
  },
  {
    name: 'im.notify.schema.get',
    scope: 'im',
    params: [],
    async handler({ app }) {
      const ru = app.config.language === 'ru';
      return {
        im: { NAME: ru ? 'Веб-мессенджер' : 'Web messenger', MODULE_ID: 'im', LIST: [{ ID: 'im|default', NAME: ru ? 'Уведомления портала' : 'Portal notifications' }] },
        rest: { NAME: ru ? 'Приложения' : 'Applications', MODULE_ID: 'rest', LIST: [{ ID: 'rest|rest_notify', NAME: ru ? 'Уведомления приложений' : 'Application notifications' }] },
      };
    },
  },
];
