// imconnector.*: custom connectors of applications, and their customers' messages entering open lines.
import type { IncomingMessage } from '../app/connectors.ts';
import type { AuthContext } from '../app/auth.ts';
import { BitrixError, Errors } from '../errors.ts';
import { phpMap } from '../present/php.ts';
import type { AppRow, MessageRow, UserRow } from '../store/store.ts';
import type { Params } from './params.ts';
import type { MethodContext, MethodDef } from './registry.ts';

/** These methods work only with an application's access token, as on a portal. */
function requireApp(auth: AuthContext): AppRow {
  if (auth.kind !== 'token' || !auth.app) {
    throw new BitrixError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method Application context required', 403);
  }
  return auth.app;
}

const nullOrEmpty = (name: string) => Errors.method('ERROR_ARGUMENT', `Argument '${name}' is null or empty`);

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function connectorParam(params: Params): string {
  const id = params.string('CONNECTOR')?.trim().toLowerCase();
  if (!id) throw nullOrEmpty('CONNECTOR');
  return id;
}

function lineParam(params: Params): number {
  const line = params.int('LINE') ?? 0;
  if (line <= 0) throw nullOrEmpty('LINE');
  return line;
}

/** ACTIVE: empty, 0 and N switch a connector off; any other value on (the docs advise 1/0 or Y/N). */
function activeParam(params: Params): boolean {
  const raw = params.raw('ACTIVE');
  if (raw === undefined || raw === null) throw nullOrEmpty('ACTIVE');
  const v = typeof raw === 'string' ? raw.trim() : raw;
  return !(v === '' || v === '0' || v === 0 || v === false || v === 'N' || v === 'n');
}

/** The user / message / chat blocks of one MESSAGES element; undefined for a missing required id. */
function incoming(raw: Record<string, unknown>): { value?: IncomingMessage; problem?: string } {
  const user = record(raw.user)!;
  const message = record(raw.message)!;
  const chat = record(raw.chat)!;
  const userId = text(user.id)?.trim();
  if (!userId) return { problem: 'The user id is not specified' };
  const chatId = text(chat.id)?.trim();
  if (!chatId) return { problem: 'The chat id is not specified' };
  const filesRaw = Array.isArray(message.files) ? message.files : record(message.files) ? Object.values(message.files as object) : [];
  const files = filesRaw
    .map((f) => record(f))
    .filter((f): f is Record<string, unknown> => !!f && typeof f.url === 'string' && f.url !== '')
    .map((f) => ({ url: String(f.url), name: text(f.name) ?? '' }));
  const gender = text(user.gender)?.toLowerCase();
  const operator = Number(text(message.user_id));
  return {
    value: {
      user: {
        id: userId,
        name: text(user.name),
        lastName: text(user.last_name),
        picture: text(record(user.picture)?.url),
        gender: gender === 'male' ? 'M' : gender === 'female' ? 'F' : undefined,
        email: text(user.email),
        phone: text(user.phone),
      },
      message: {
        id: text(message.id),
        text: text(message.text) ?? '',
        files,
        userId: Number.isSafeInteger(operator) && operator > 0 ? operator : undefined,
      },
      chat: { id: chatId, name: text(chat.name), url: text(chat.url) },
    },
  };
}

/** MESSAGES of send.status.*: [{im: {chat_id, message_id}, message: {id: []}, chat: {id}}]. */
function statusItems(params: Params): { chatId: number; messageId: number }[] {
  const raw = params.raw('MESSAGES');
  if (raw === undefined || raw === null || raw === '' || typeof raw !== 'object') throw nullOrEmpty('MESSAGES');
  const items = Array.isArray(raw) ? raw : Object.values(raw as object);
  if (items.length === 0) throw nullOrEmpty('MESSAGES');
  return items.map((item) => {
    const im = record(record(item)?.im);
    const positive = (v: unknown) => {
      const n = Number(text(v));
      return Number.isSafeInteger(n) && n > 0 ? n : 0;
    };
    return { chatId: positive(im?.chat_id), messageId: positive(im?.message_id) };
  });
}

/** MESSAGES: a non-empty list of {user, message, chat} objects, the shape every imconnector message method takes. */
function messagesParam(params: Params): Record<string, unknown>[] {
  const raw = params.raw('MESSAGES');
  if (raw === undefined || raw === null || raw === '') throw nullOrEmpty('MESSAGES');
  if (typeof raw !== 'object') throw Errors.method('ERROR_ARGUMENT', 'The value of an argument \'MESSAGES\' must be of type array');
  const items = Array.isArray(raw) ? raw : Object.values(raw as object);
  if (items.length === 0) throw nullOrEmpty('MESSAGES');
  if (!items.every((m) => record(m))) throw Errors.method('ERROR_ARGUMENT', 'The MESSAGES parameter must be an array of messages (arrays)');
  const messages = items as Record<string, unknown>[];
  if (!messages.every((m) => record(m.user) && record(m.message) && record(m.chat))) {
    throw Errors.method('ERROR_ARGUMENT', 'The incorrect structure of a message inside MESSAGES parameter');
  }
  return messages;
}

/** The external ids of one MESSAGES element (empty when missing). */
function externalIds(m: Record<string, unknown>): { user: string; chat: string; message: string } {
  const id = (block: unknown) => text(record(block)!.id)?.trim() ?? '';
  return { user: id(m.user), chat: id(m.chat), message: id(m.message) };
}

/**
 * imconnector.update.messages / delete.messages: each element finds the message send.messages brought in (by the
 * external user, chat and message ids) and changes it as its author; an element that fails says why and the others
 * go on, as on a portal.
 */
async function changeMessages(
  ctx: MethodContext,
  change: (found: { message: MessageRow; author: UserRow }, m: Record<string, unknown>) => Promise<void>,
  echo: (m: Record<string, unknown>) => Record<string, unknown>,
): Promise<unknown> {
  const owner = requireApp(ctx.auth);
  const connector = connectorParam(ctx.params);
  const line = lineParam(ctx.params);
  const messages = messagesParam(ctx.params);
  await ctx.app.connectors.checkInbound(owner, connector, line);
  const results: Record<string, unknown>[] = [];
  for (const m of messages) {
    const ids = externalIds(m);
    const found = ids.user && ids.chat && ids.message ? await ctx.app.connectors.locate(connector, line, ids) : undefined;
    if (!found) {
      results.push({ user: '', ...echo(m), SUCCESS: false, ERRORS: ['Message not found'] });
      continue;
    }
    try {
      await change(found, m);
      results.push({ user: String(found.author.id), ...echo(m), SUCCESS: true });
    } catch (err) {
      if (!(err instanceof BitrixError)) throw err;
      results.push({ user: String(found.author.id), ...echo(m), SUCCESS: false, ERRORS: [err.description] });
    }
  }
  return { SUCCESS: results.every((r) => r.SUCCESS === true), DATA: { RESULT: results } };
}

export const imconnectorMethods: MethodDef[] = [
  {
    name: 'imconnector.register',
    scope: 'imconnector',
    params: ['ID', 'NAME', 'ICON', 'ICON_DISABLED', 'PLACEMENT_HANDLER', 'DEL_EXTERNAL_MESSAGES', 'EDIT_INTERNAL_MESSAGES', 'DEL_INTERNAL_MESSAGES', 'NEWSLETTER', 'NEED_SYSTEM_MESSAGES', 'NEED_SIGNATURE', 'CHAT_GROUP'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const soft = (error: string, description: string) => ({ result: false, error, error_description: description });
      const id = text(params.raw('ID'))?.trim().toLowerCase() ?? '';
      if (!id) return soft('CONNECTOR_ID_REQUIRED', 'Connector ID is not specified');
      if (id.includes('.')) return soft('APPLICATION_REGISTRATION_ERROR_POINT', 'A connector ID can not contain a dot');
      if (!/^[a-z0-9_-]{1,64}$/.test(id)) return soft('GENERAL_CONNECTOR_REGISTRATION_ERROR', 'A connector ID may hold letters, digits and _ only');
      const name = text(params.raw('NAME'))?.trim();
      if (!name) return soft('NAME_REQUIRED', 'Connector name is not specified');
      const icon = record(params.raw('ICON'));
      if (!icon || typeof icon.DATA_IMAGE !== 'string' || !icon.DATA_IMAGE) return soft('ICON_REQUIRED', 'Connector icon is not specified');
      const handler = text(params.raw('PLACEMENT_HANDLER'))?.trim();
      if (!handler) return soft('NO_PLACEMENT_HANDLER', 'Placement handler URL is not specified');
      const options: Record<string, unknown> = {};
      for (const k of ['DEL_EXTERNAL_MESSAGES', 'EDIT_INTERNAL_MESSAGES', 'DEL_INTERNAL_MESSAGES', 'NEWSLETTER', 'NEED_SYSTEM_MESSAGES', 'NEED_SIGNATURE', 'CHAT_GROUP']) {
        if (params.has(k)) options[k] = params.raw(k);
      }
      const failed = await app.connectors.register(owner, {
        id,
        name,
        icon,
        iconDisabled: record(params.raw('ICON_DISABLED')) ?? {},
        placementHandler: handler,
        options,
      });
      return failed ? { result: false, ...failed } : { result: true };
    },
  },
  {
    name: 'imconnector.unregister',
    scope: 'imconnector',
    params: ['ID'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const id = text(params.raw('ID'))?.trim().toLowerCase() ?? '';
      if (id && (await app.connectors.unregister(owner, id))) return { result: true };
      return { result: false, error: 'APPLICATION_UNREGISTRATION_ERROR', error_description: 'The connector could not be unregistered' };
    },
  },
  {
    name: 'imconnector.list',
    scope: 'imconnector',
    params: [],
    async handler({ app, auth }) {
      requireApp(auth);
      return phpMap(Object.fromEntries((await app.connectors.list()).map((c) => [c.id, c.name])));
    },
  },
  {
    name: 'imconnector.activate',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'ACTIVE', 'DATA'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      await app.connectors.activate(owner, connector, line, activeParam(params));
      return true;
    },
  },
  {
    name: 'imconnector.connector.data.set',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'DATA'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const data = record(params.raw('DATA'));
      if (!data || Object.keys(data).length === 0) throw nullOrEmpty('DATA');
      await app.connectors.setData(owner, connector, line, data);
      return true;
    },
  },
  {
    name: 'imconnector.chat.name.set',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'CHAT_ID', 'NAME', 'USER_ID'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const chatId = params.string('CHAT_ID')?.trim();
      const name = params.string('NAME')?.trim();
      const userId = params.string('USER_ID')?.trim();
      if (!chatId || !name || !userId) throw Errors.method('ERROR_ARGUMENT', 'NAME, CHAT_ID, USER_ID, CONNECTOR and LINE are required');
      await app.connectors.checkInbound(owner, connector, line);
      await app.connectors.renameChat(connector, line, chatId, userId, name);
      return { SUCCESS: true, DATA: { RESULT: {} } };
    },
  },
  {
    name: 'imconnector.send.status.delivery',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'MESSAGES'],
    async handler({ app, auth, params }) {
      // b24im keeps no delivery state apart from reading: the statuses are checked and accepted.
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      statusItems(params);
      await app.connectors.checkInbound(owner, connector, line);
      return { SUCCESS: true, DATA: [] };
    },
  },
  {
    name: 'imconnector.send.status.reading',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'MESSAGES'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const items = statusItems(params);
      await app.connectors.checkInbound(owner, connector, line);
      let all = true;
      for (const { chatId, messageId } of items) {
        if (!chatId || !messageId || !(await app.connectors.customerRead(connector, line, chatId, messageId))) all = false;
      }
      return { SUCCESS: all, DATA: [] };
    },
  },
  {
    name: 'imconnector.status',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      return app.connectors.status(owner, connector, Math.max(0, params.int('LINE') ?? 0));
    },
  },
  {
    name: 'imconnector.send.messages',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'MESSAGES'],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const messages = messagesParam(params);
      await app.connectors.checkInbound(owner, connector, line);
      const results: Record<string, unknown>[] = [];
      for (const m of messages) {
        const message = record(m.message)!;
        const chat = record(m.chat)!;
        const echo = {
          message: { id: text(message.id) ?? '', date: {}, text: text(message.text) ?? '', files: Array.isArray(message.files) ? message.files : [] },
          chat: { ...chat },
          extra: phpMap({
            ...(record(m.user)!.skip_phone_validate === 'Y' ? { skip_phone_validate: 'Y' } : {}),
            ...(message.disable_crm === 'Y' ? { disable_tracker: 'Y' } : {}),
          }),
        };
        const parsed = incoming(m);
        if (!parsed.value) {
          results.push({ user: '', ...echo, SUCCESS: false, ERRORS: [parsed.problem] });
          continue;
        }
        try {
          const done = await app.connectors.receive(connector, line, parsed.value);
          results.push({
            user: String(done.customer.id),
            ...echo,
            SUCCESS: true,
            session: { ID: String(done.sessionId), CHAT_ID: String(done.chat.id) },
          });
        } catch (err) {
          if (!(err instanceof BitrixError)) throw err;
          results.push({ user: '', ...echo, SUCCESS: false, ERRORS: [err.description] });
        }
      }
      return { SUCCESS: results.every((r) => r.SUCCESS === true), DATA: { RESULT: results } };
    },
  },
  {
    name: 'imconnector.update.messages',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'MESSAGES'],
    handler: (ctx) =>
      changeMessages(
        ctx,
        async ({ message, author }, m) => {
          const newText = text(record(m.message)!.text);
          // A connector's message carries links to its files, not stored files: its text is what can change.
          if (newText === undefined) throw Errors.method('ERROR_ARGUMENT', 'Only the text of a message can be changed');
          await ctx.app.messages.update(author, message.id, { text: newText });
        },
        (m) => {
          const message = record(m.message)!;
          return { message: { id: text(message.id) ?? '', date: {}, text: text(message.text) ?? '' }, chat: { ...record(m.chat)! } };
        },
      ),
  },
  {
    name: 'imconnector.delete.messages',
    scope: 'imconnector',
    params: ['CONNECTOR', 'LINE', 'MESSAGES'],
    handler: (ctx) =>
      changeMessages(
        ctx,
        ({ message, author }) => ctx.app.messages.delete(author, message.id),
        (m) => ({ message: { id: text(record(m.message)!.id) ?? '' }, chat: { id: text(record(m.chat)!.id) ?? '' } }),
      ),
  },
];
