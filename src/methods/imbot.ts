// imbot.*: chat bots of an application (the classic bot API that existing bots use).
import { BOT_HANDLERS, type BotProperties, type HandlerParam } from '../app/bots.ts';
import { Errors } from '../errors.ts';
import type { AppRow, UserRow } from '../store/store.ts';
import type { Params } from './params.ts';
import type { MethodContext, MethodDef } from './registry.ts';
import { phpMap } from '../present/php.ts';
import { parseDialogId } from '../app/dialog-id.ts';
import { imChatMethods } from './im.chat.ts';
import { imDialogMethods } from './im.dialog.ts';
import { imMessageMethods } from './im.message.ts';

const HANDLER_PARAMS = Object.keys(BOT_HANDLERS) as HandlerParam[];
const PROPERTY_KEYS: (keyof BotProperties)[] = [
  'NAME', 'LAST_NAME', 'COLOR', 'EMAIL', 'PERSONAL_BIRTHDAY', 'WORK_POSITION', 'PERSONAL_WWW', 'PERSONAL_GENDER', 'PERSONAL_PHOTO',
];

/**
 * imbot.* act for the application whose token calls them, or, through an inbound webhook, for the application its
 * CLIENT_ID stands for (created by imbot.register).
 */
export async function botApp(ctx: Pick<MethodContext, 'app' | 'auth' | 'params'>): Promise<AppRow> {
  const { auth, params } = ctx;
  if (auth.app) return auth.app;
  const clientId = (params.string('CLIENT_ID') ?? '').trim();
  if (auth.kind === 'webhook' && clientId) return ctx.app.webhookBots.appFor(auth, clientId, false);
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
    async handler(ctx) {
      const { app, auth, params } = ctx;
      const input = {
        code: params.string('CODE') ?? '',
        type: (params.string('TYPE') ?? 'B').toUpperCase(),
        openline: params.flag('OPENLINE'),
        handlers: handlersFrom(rawParams(params)),
        properties: propertiesFrom(params.structure('PROPERTIES')) ?? {},
      };
      const clientId = (params.string('CLIENT_ID') ?? '').trim();
      if (!auth.app && auth.kind === 'webhook' && clientId) {
        return app.webhookBots.registering(auth, clientId, (owner) => app.bots.register(owner, input));
      }
      return app.bots.register(await botApp(ctx), input);
    },
  },
  {
    name: 'imbot.unregister',
    scope: 'imbot',
    params: ['BOT_ID', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
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
      const owner = await botApp({ app, auth, params });
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

/** Runs an im.* method's handler as another user (the bot), with the same parameters. */
function imHandler(name: string): MethodDef['handler'] {
  const def = [...imMessageMethods, ...imChatMethods, ...imDialogMethods].find((d) => d.name === name);
  if (!def) throw new Error(`im method ${name} is missing`);
  return def.handler;
}

/** The bot user an imbot.* call acts as (BOT_ID, or the application's first bot). */
export async function actingBot(ctx: MethodContext): Promise<UserRow> {
  const owner = await botApp(ctx);
  const bot = await ctx.app.bots.resolve(owner, ctx.params.int('BOT_ID'));
  const user = await ctx.app.store.users.get(bot.id);
  if (!user || !user.active) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
  return user;
}

export async function asBot(ctx: MethodContext, imMethod: string): Promise<unknown> {
  const user = await actingBot(ctx);
  return imHandler(imMethod)({ ...ctx, auth: { ...ctx.auth, user } });
}

export const imbotChatMethods: MethodDef[] = [
  {
    name: 'imbot.message.add',
    scope: 'imbot',
    params: ['BOT_ID', 'DIALOG_ID', 'FROM_USER_ID', 'TO_USER_ID', 'MESSAGE', 'ATTACH', 'KEYBOARD', 'MENU', 'SYSTEM', 'URL_PREVIEW', 'SKIP_CONNECTOR', 'CLIENT_ID', 'UUID', 'TEMPLATE_ID'],
    async handler(ctx) {
      const { app, auth, params } = ctx;
      const from = params.int('FROM_USER_ID') ?? 0;
      const to = params.int('TO_USER_ID') ?? 0;
      if (from > 0 && to > 0) {
        // A notice in the private dialog of two users, on the application's behalf: a system message with no author,
        // as a portal shows it (never a message the user seems to have written).
        const owner = await botApp({ app, auth, params });
        await app.bots.resolve(owner, params.int('BOT_ID'));
        const author = await app.store.users.get(from);
        if (!author || !author.active) throw Errors.method('USER_NOT_FOUND', 'User not found');
        return app.messages.add(author, { kind: 'user', userId: to }, { text: params.string('MESSAGE') ?? '', system: true, authorless: true });
      }
      if (!params.has('DIALOG_ID')) throw Errors.method('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
      return asBot(ctx, 'im.message.add');
    },
  },
  {
    name: 'imbot.message.update',
    scope: 'imbot',
    params: ['BOT_ID', 'MESSAGE_ID', 'MESSAGE', 'ATTACH', 'KEYBOARD', 'MENU', 'URL_PREVIEW', 'SKIP_CONNECTOR', 'CLIENT_ID'],
    handler: (ctx) => asBot(ctx, 'im.message.update'),
  },
  {
    name: 'imbot.message.delete',
    scope: 'imbot',
    params: ['BOT_ID', 'MESSAGE_ID', 'COMPLETE', 'CLIENT_ID'],
    handler: (ctx) => asBot(ctx, 'im.message.delete'),
  },
  {
    name: 'imbot.chat.add',
    scope: 'imbot',
    params: ['BOT_ID', 'TYPE', 'TITLE', 'DESCRIPTION', 'COLOR', 'MESSAGE', 'USERS', 'AVATAR', 'ENTITY_TYPE', 'ENTITY_ID', 'CLIENT_ID'],
    async handler(ctx) {
      const users = ctx.params.raw('USERS');
      if (users !== undefined && users !== '' && typeof users !== 'object') throw Errors.method('INVALID_FORMAT', 'Parameter USERS has wrong type');
      return asBot(ctx, 'im.chat.add');
    },
  },
  {
    name: 'imbot.chat.user.add',
    scope: 'imbot',
    params: ['BOT_ID', 'CHAT_ID', 'USERS', 'HIDE_HISTORY', 'CLIENT_ID'],
    handler: (ctx) => asBot(ctx, 'im.chat.user.add'),
  },
  {
    name: 'imbot.chat.leave',
    scope: 'imbot',
    params: ['BOT_ID', 'CHAT_ID', 'CLIENT_ID'],
    handler: (ctx) => asBot(ctx, 'im.chat.leave'),
  },
  {
    name: 'imbot.dialog.get',
    scope: 'imbot',
    params: ['DIALOG_ID', 'BOT_ID', 'CLIENT_ID'],
    async handler(ctx) {
      await botApp(ctx);
      return imHandler('im.dialog.get')(ctx);
    },
  },
  {
    name: 'imbot.chat.sendTyping',
    scope: 'imbot',
    params: ['BOT_ID', 'DIALOG_ID', 'CLIENT_ID'],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const bot = await app.bots.resolve(owner, params.int('BOT_ID'));
      const ref = parseDialogId(params.string('DIALOG_ID'));
      if (!ref) throw Errors.method('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
      const botUser = await app.store.users.get(bot.id);
      // Published to the chat's members over Push & Pull (startWriting), as the bot.
      if (botUser) await app.pull.typing.typing(botUser, ref);
      return true;
    },
  },
];
