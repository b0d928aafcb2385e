// imbot.*: chat bots of an application (the classic bot API that existing bots use).
import { BOT_HANDLERS, type BotProperties, type HandlerParam } from '../app/bots.ts';
import { Errors } from '../errors.ts';
import type { AppRow } from '../store/store.ts';
import type { AuthContext } from '../app/auth.ts';
import type { Params } from './params.ts';
import type { MethodDef } from './registry.ts';
import { phpMap } from '../present/php.ts';

const HANDLER_PARAMS = Object.keys(BOT_HANDLERS) as HandlerParam[];
const PROPERTY_KEYS: (keyof BotProperties)[] = [
  'NAME', 'LAST_NAME', 'COLOR', 'EMAIL', 'PERSONAL_BIRTHDAY', 'WORK_POSITION', 'PERSONAL_WWW', 'PERSONAL_GENDER', 'PERSONAL_PHOTO',
];

/** imbot.* act for the application whose token calls them. */
export function botApp(auth: AuthContext, params: Params): AppRow {
  if (auth.app) return auth.app;
  if (params.has('CLIENT_ID')) {
    throw Errors.accessDenied('Access denied! Bots of webhooks (CLIENT_ID) are not supported by b24im: call imbot.* with an application token');
  }
  throw Errors.accessDenied('Access denied! Client ID not specified');
}

/** EVENT_HANDLER fills every handler; a specific one wins. */
function handlersFrom(source: Record<string, unknown>): Partial<Record<HandlerParam, string>> {
  const upper: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) upper[k.toUpperCase()] = v;
  const common = typeof upper.EVENT_HANDLER === 'string' ? upper.EVENT_HANDLER : undefined;
  const out: Partial<Record<HandlerParam, string>> = {};
  for (const p of HANDLER_PARAMS) {
    const v = upper[p];
    if (typeof v === 'string' && v !== '') out[p] = v;
    else if (common) out[p] = common;
  }
  return out;
}

function propertiesFrom(value: unknown): BotProperties | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: BotProperties = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toUpperCase() as keyof BotProperties;
    if (!PROPERTY_KEYS.includes(key)) continue;
    if (key === 'PERSONAL_PHOTO') out[key] = v;
    else if (typeof v === 'string' || typeof v === 'number') (out as Record<string, string>)[key] = String(v);
  }
  return out;
}

function rawParams(params: Params): Record<string, unknown> {
  return Object.fromEntries(params.names().map((n) => [n, params.raw(n)]));
}

export const imbotBotMethods: MethodDef[] = [
  {
    name: 'imbot.register',
    scope: 'imbot',
    params: ['CODE', 'TYPE', 'OPENLINE', 'EVENT_HANDLER', ...HANDLER_PARAMS, 'CLIENT_ID', 'PROPERTIES', 'LANG', 'INSTALL_TYPE'],
    async handler({ app, auth, params }) {
      const owner = botApp(auth, params);
      return app.bots.register(owner, {
        code: params.string('CODE') ?? '',
        type: (params.string('TYPE') ?? 'B').toUpperCase(),
        openline: params.flag('OPENLINE'),
        handlers: handlersFrom(rawParams(params)),
        properties: propertiesFrom(params.structure('PROPERTIES')) ?? {},
      });
    },
  },
  {
    name: 'imbot.unregister',
    scope: 'imbot',
    params: ['BOT_ID', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = botApp(auth, params);
      const botId = params.int('BOT_ID') ?? 0;
      if (botId <= 0) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
      await app.bots.unregister(owner, botId, auth.user.id);
      return true;
    },
  },
  {
    name: 'imbot.update',
    scope: 'imbot',
    params: ['BOT_ID', 'FIELDS', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = botApp(auth, params);
      const botId = params.int('BOT_ID') ?? 0;
      if (botId <= 0) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
      const fields = params.structure('FIELDS');
      const f = fields && !Array.isArray(fields) ? fields : {};
      const upper = Object.fromEntries(Object.entries(f).map(([k, v]) => [k.toUpperCase(), v]));
      await app.bots.update(owner, botId, {
        code: typeof upper.CODE === 'string' ? upper.CODE : undefined,
        handlers: handlersFrom(upper),
        properties: propertiesFrom(upper.PROPERTIES),
      });
      return true;
    },
  },
  {
    name: 'imbot.bot.list',
    scope: 'imbot',
    params: ['CLIENT_ID'],
    async handler({ app }) {
      const bots = await app.bots.list();
      const users = new Map((await app.store.users.getMany(bots.map((b) => b.id))).map((u) => [u.id, u]));
      const out: Record<string, unknown> = {};
      for (const b of bots) {
        const u = users.get(b.id);
        out[String(b.id)] = {
          ID: b.id,
          NAME: u ? [u.name, u.last_name].filter(Boolean).join(' ') : '',
          CODE: b.code,
          OPENLINE: b.openline ? 'Y' : 'N',
        };
      }
      return phpMap(out);
    },
  },
];
