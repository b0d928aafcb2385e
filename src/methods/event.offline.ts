// event.offline.get / list / clear / error: offline events of the calling application (bound with
// event.bind event_type=offline), as a portal serves them. Administrators only, through an application's token.
import { requireApp } from '../app/apps.ts';
import type { AuthContext } from '../app/auth.ts';
import type { AppRow, OfflineCondition, OfflineEventRow, OfflineQuery } from '../store/store.ts';
import { Errors } from '../errors.ts';
import { atom, parseAtom } from '../present/dates.ts';
import type { Params } from './params.ts';
import { ListResult, phpTruthy, type MethodDef } from './registry.ts';

const FIELDS: Record<string, OfflineCondition['column']> = {
  ID: 'id',
  TIMESTAMP_X: 'date_create',
  EVENT_NAME: 'event',
  MESSAGE_ID: 'message_id',
  PROCESS_ID: 'process_id',
  ERROR: 'error',
};
const OPS: [string, OfflineCondition['op']][] = [['>=', '>='], ['<=', '<='], ['!=', '!='], ['!', '!='], ['=', '='], ['>', '>'], ['<', '<']];

function adminApp(auth: AuthContext): AppRow {
  const app = requireApp(auth.app);
  if (auth.user.is_admin !== 1) throw Errors.accessDenied('Access denied! Offline events are available to administrators');
  return app;
}

/** filter[>ID]=5, filter[EVENT_NAME]=ONIMBOTMESSAGEADD ...: the fields and operators the docs list; others ignored. */
function filterFrom(params: Params, allowed: string[]): OfflineCondition[] {
  const raw = params.structure('filter') ?? params.structure('FILTER');
  if (!raw || Array.isArray(raw)) return [];
  const out: OfflineCondition[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const [prefix, op] = OPS.find(([p]) => key.startsWith(p)) ?? ['', '='];
    const name = key.slice(prefix.length).toUpperCase();
    const column = FIELDS[name];
    if (!column || !allowed.includes(name) || (typeof value !== 'string' && typeof value !== 'number')) {
      params.fallback('filter', `Filter key ${key} is not supported`);
      continue;
    }
    let v: string | number = value;
    if (column === 'date_create') {
      const ts = parseAtom(String(value));
      if (ts === undefined) continue;
      v = ts;
    } else if (column === 'id' || column === 'error') {
      if (!/^\d{1,15}$/.test(String(value))) continue;
      v = Number(value);
    } else if (column === 'event') v = String(value).toUpperCase();
    out.push({ column, op, value: v });
  }
  return out;
}

function orderFrom(params: Params): OfflineQuery['order'] {
  const raw = params.structure('order') ?? params.structure('ORDER');
  if (!raw || Array.isArray(raw)) return [];
  const out: OfflineQuery['order'] = [];
  for (const [key, dir] of Object.entries(raw)) {
    const column = FIELDS[key.toUpperCase()];
    if (column) out.push({ column, desc: String(dir).toUpperCase() === 'DESC' });
  }
  return out;
}

function idsFrom(params: Params, name: string): string[] | undefined {
  if (!params.has(name)) return undefined;
  return params.list(name).map((v) => String(v));
}

function present(e: OfflineEventRow, zone: string, withProcess: boolean): Record<string, unknown> {
  const data = JSON.parse(e.data) as unknown;
  const additional = JSON.parse(e.additional) as unknown;
  const row: Record<string, unknown> = {
    ID: String(e.id),
    TIMESTAMP_X: atom(e.date_create, zone),
    EVENT_NAME: e.event,
    EVENT_DATA: data ?? false,
    EVENT_ADDITIONAL: additional ?? false,
    MESSAGE_ID: e.message_id,
  };
  if (withProcess) {
    row.PROCESS_ID = e.process_id;
    row.ERROR = String(e.error);
  }
  return row;
}

export const eventOfflineMethods: MethodDef[] = [
  {
    name: 'event.offline.get',
    scope: 'basic',
    params: ['filter', 'order', 'limit', 'clear', 'error', 'FILTER', 'ORDER', 'LIMIT', 'CLEAR', 'ERROR', 'auth_connector'],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const flag = (name: string, dflt: boolean) => (params.has(name) ? phpTruthy(params.raw(name)) : params.has(name.toUpperCase()) ? phpTruthy(params.raw(name.toUpperCase())) : dflt);
      const { processId, events } = await app.offlineEvents.fetch(owner, {
        where: filterFrom(params, ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID']),
        order: orderFrom(params),
        limit: params.int('limit') ?? params.int('LIMIT'),
        clear: flag('clear', true),
        error: flag('error', false),
      });
      return { process_id: processId, events: events.map((e) => present(e, app.config.timezone, false)) };
    },
  },
  {
    name: 'event.offline.list',
    scope: 'basic',
    params: ['filter', 'order', 'start', 'FILTER', 'ORDER', 'auth_connector'],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const start = Math.min(Math.max(0, params.int('start') ?? 0), 1_000_000_000);
      const { events, total } = await app.offlineEvents.list(owner, filterFrom(params, Object.keys(FIELDS)), orderFrom(params), start);
      return ListResult.page(events.map((e) => present(e, app.config.timezone, true)), total, start);
    },
  },
  {
    name: 'event.offline.clear',
    scope: 'basic',
    params: ['process_id', 'id', 'message_id', 'PROCESS_ID', 'ID', 'MESSAGE_ID'],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const ids = idsFrom(params, 'id') ?? idsFrom(params, 'ID');
      await app.offlineEvents.clear(
        owner,
        params.string('process_id') ?? params.string('PROCESS_ID') ?? '',
        ids?.map(Number).filter((n) => Number.isInteger(n) && n > 0),
        idsFrom(params, 'message_id') ?? idsFrom(params, 'MESSAGE_ID'),
      );
      return true;
    },
  },
  {
    name: 'event.offline.error',
    scope: 'basic',
    params: ['process_id', 'message_id', 'PROCESS_ID', 'MESSAGE_ID'],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      await app.offlineEvents.error(owner, params.string('process_id') ?? params.string('PROCESS_ID') ?? '', idsFrom(params, 'message_id') ?? idsFrom(params, 'MESSAGE_ID'));
      return true;
    },
  },
];
