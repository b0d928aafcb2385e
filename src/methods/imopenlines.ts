// imopenlines.*: open lines, their operators' actions and sessions.
import { QUEUE_TYPES, type LineInput, type QueueEntity, type QueueType } from '../app/lines.ts';
import { unreadCounter } from '../app/reads.ts';
import { Errors } from '../errors.ts';
import { fullChat } from '../present/chats.ts';
import { LINE_FIELDS, lineConfig, lineFields, listQueue } from '../present/lines.ts';
import { requireUserId } from './im-params.ts';
import type { Params } from './params.ts';
import { presentOptions } from './present-options.ts';
import type { MethodContext, MethodDef } from './registry.ts';

/** The open-lines API revision whose behaviour b24im implements (the docs' current one). */
const OPENLINES_REVISION = { rest: 2, web: 1, mobile: 1 };

const LIST_DEFAULT = 50;
const LIST_MAX = 200;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** QUEUE: [{ENTITY_TYPE, ENTITY_ID}] as the docs show, or plain user ids as older clients send. */
function parseQueue(params: Params, value: unknown): QueueEntity[] {
  const items = Array.isArray(value) ? value : asRecord(value) ? Object.values(value as object) : value === '' || value === undefined ? [] : [value];
  const out: QueueEntity[] = [];
  for (const item of items) {
    const entry = asRecord(item);
    const type = entry ? String(entry.ENTITY_TYPE ?? entry.entity_type ?? 'user').toLowerCase() : 'user';
    const id = Number(scalar(entry ? (entry.ENTITY_ID ?? entry.entity_id) : item));
    if ((type === 'user' || type === 'department') && Number.isSafeInteger(id) && id > 0) out.push({ entityType: type, entityId: id });
    else params.fallback('PARAMS', 'QUEUE entries must be {ENTITY_TYPE: user|department, ENTITY_ID: id}');
  }
  return out;
}

/** PARAMS of config.add / config.update: the fields b24im acts on, and the rest stored as given. */
function lineInput(params: Params): LineInput {
  const raw = params.raw('PARAMS');
  const fields = asRecord(raw) ?? {};
  if (raw !== undefined && raw !== '' && !asRecord(raw)) params.fallback('PARAMS', 'PARAMS must be an object');
  const input: LineInput = { settings: {} };
  for (const [key, value] of Object.entries(fields)) {
    const k = key.toUpperCase();
    if (k === 'LINE_NAME') input.name = scalar(value) ?? '';
    else if (k === 'ACTIVE') input.active = scalar(value) !== 'N';
    else if (k === 'QUEUE_TYPE') {
      const t = (scalar(value) ?? '').toLowerCase();
      if ((QUEUE_TYPES as readonly string[]).includes(t)) input.queueType = t as QueueType;
      else params.fallback('PARAMS', 'QUEUE_TYPE must be evenly, strictly or all');
    } else if (k === 'WELCOME_MESSAGE') input.welcomeMessage = scalar(value) === 'Y';
    else if (k === 'WELCOME_MESSAGE_TEXT') input.welcomeMessageText = scalar(value) ?? '';
    else if (k === 'QUEUE') input.queue = parseQueue(params, value);
    else if (k !== 'ID') input.settings[k] = value;
  }
  return input;
}

function configId(params: Params): number {
  const id = params.int('CONFIG_ID') ?? 0;
  if (id <= 0) throw Errors.method('CONFIG_ID_EMPTY', 'Config ID can\'t be empty');
  return id;
}

/** CHAT_ID of the operator methods; its error code differs between methods (CHAT_ID or CHAT_ID_EMPTY). */
export function chatId(params: Params, code: 'CHAT_ID' | 'CHAT_ID_EMPTY' = 'CHAT_ID'): number {
  const id = params.int('CHAT_ID') ?? 0;
  if (id <= 0) throw Errors.method(code, code === 'CHAT_ID' ? 'Chat ID is not correct' : 'Chat ID can\'t be empty');
  return id;
}

const invalidFormat = (text: string) => Errors.method('INVALID_FORMAT', text);

/** imopenlines.config.list.get: select / order / filter / limit / offset over the lines' fields. */
function listOptions(params: Params) {
  const p = params.raw('PARAMS');
  const listParams = asRecord(p) ?? {};
  for (const k of Object.keys(listParams)) {
    if (!['select', 'order', 'filter', 'limit', 'offset'].includes(k)) throw invalidFormat(`Unsupported PARAMS fields are passed: ${k}`);
  }
  const known = new Set(LINE_FIELDS);
  const field = (name: string, where: string) => {
    if (!name) throw invalidFormat(`A wrong field name is passed in the PARAMS field '${where}'`);
    if (!known.has(name.toUpperCase())) throw invalidFormat(`An unknown field '${name}' is passed in the PARAMS field '${where}'`);
    return name.toUpperCase();
  };
  let select: string[] | undefined;
  if (listParams.select !== undefined) {
    const s = Array.isArray(listParams.select) ? listParams.select : asRecord(listParams.select) ? Object.values(listParams.select as object) : undefined;
    if (!s) throw invalidFormat('A wrong format for the PARAMS field \'select\' is passed');
    select = s.map((v) => field(String(v), 'select'));
  }
  const order: [string, 'asc' | 'desc'][] = [];
  if (listParams.order !== undefined) {
    const o = asRecord(listParams.order);
    if (!o) throw invalidFormat('A wrong format for the PARAMS field \'order\' is passed');
    for (const [k, dir] of Object.entries(o)) {
      const d = String(dir).toLowerCase();
      if (d !== 'asc' && d !== 'desc') throw invalidFormat('A wrong sorting direction is passed in the PARAMS field \'order\'');
      order.push([field(k, 'order'), d]);
    }
  }
  const filter: [string, boolean, string[]][] = [];
  if (listParams.filter !== undefined) {
    const f = asRecord(listParams.filter);
    if (!f) throw invalidFormat('A wrong format for the PARAMS field \'filter\' is passed');
    for (const [k, v] of Object.entries(f)) {
      const negate = k.startsWith('!');
      const name = field(k.replace(/^[=!]/, ''), 'filter');
      const values = Array.isArray(v) ? v.map(String) : asRecord(v) ? Object.values(v as object).map(String) : [String(v)];
      filter.push([name, negate, values]);
    }
  }
  const nonNegative = (name: 'limit' | 'offset', dflt: number) => {
    const v = listParams[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw invalidFormat(`A non-negative integer is expected in the PARAMS field '${name}'`);
    return n;
  };
  const limit = Math.min(nonNegative('limit', LIST_DEFAULT) || LIST_DEFAULT, LIST_MAX);
  const offset = nonNegative('offset', 0);
  const rawOptions = params.raw('OPTIONS');
  const options = asRecord(rawOptions) ?? {};
  for (const k of Object.keys(options)) {
    if (!['QUEUE', 'CONFIG_QUEUE', 'CHECK_PERMISSION'].includes(k)) throw invalidFormat(`Unsupported OPTIONS fields are passed: ${k}`);
  }
  for (const k of ['QUEUE', 'CONFIG_QUEUE']) {
    if (options[k] !== undefined && scalar(options[k]) === undefined) throw invalidFormat(`A wrong format for the OPTIONS field '${k}' is passed`);
  }
  return { select, order, filter, limit, offset, queue: scalar(options.QUEUE) === 'Y', configQueue: scalar(options.CONFIG_QUEUE) === 'Y' };
}

async function lineChatAction(ctx: MethodContext, fn: (chatId: number) => Promise<void>, code: 'CHAT_ID' | 'CHAT_ID_EMPTY' = 'CHAT_ID'): Promise<true> {
  await fn(chatId(ctx.params, code));
  return true;
}

export const imopenlinesMethods: MethodDef[] = [
  {
    name: 'imopenlines.config.add',
    scope: 'imopenlines',
    params: ['PARAMS'],
    async handler({ app, auth, params }) {
      return app.lines.add(auth.user, lineInput(params));
    },
  },
  {
    name: 'imopenlines.config.update',
    scope: 'imopenlines',
    params: ['CONFIG_ID', 'PARAMS'],
    async handler({ app, auth, params }) {
      return app.lines.update(auth.user, configId(params), lineInput(params));
    },
  },
  {
    name: 'imopenlines.config.delete',
    scope: 'imopenlines',
    params: ['CONFIG_ID'],
    async handler({ app, auth, params }) {
      return app.lines.delete(auth.user, configId(params));
    },
  },
  {
    name: 'imopenlines.config.get',
    scope: 'imopenlines',
    params: ['CONFIG_ID', 'WITH_QUEUE', 'SHOW_OFFLINE'],
    async handler({ app, params }) {
      const view = await app.lines.view(configId(params));
      if (!view) return false;
      return lineConfig(view, app.config.language, params.flag('WITH_QUEUE', true));
    },
  },
  {
    name: 'imopenlines.config.path.get',
    scope: 'imopenlines',
    params: [],
    async handler({ app }) {
      // A portal points at its contact-center page; b24im's operators work with open-line chats in the web client.
      return { SERVER_ADDRESS: app.config.publicUrl, PUBLIC_PATH: '/' };
    },
  },
  {
    name: 'imopenlines.revision.get',
    scope: 'imopenlines',
    params: [],
    async handler() {
      return OPENLINES_REVISION;
    },
  },
  {
    name: 'imopenlines.config.list.get',
    scope: 'imopenlines',
    params: ['PARAMS', 'OPTIONS'],
    async handler({ app, params }) {
      const o = listOptions(params);
      const rows = (await app.lines.list()).map((view) => ({ view, fields: lineFields(view, app.config.language) }));
      const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
      const kept = rows.filter(({ fields }) => o.filter.every(([name, negate, values]) => values.includes(text(fields[name])) !== negate));
      kept.sort((a, b) => {
        for (const [name, dir] of o.order) {
          const x = text(a.fields[name]);
          const y = text(b.fields[name]);
          const numeric = /^-?\d+$/.test(x) && /^-?\d+$/.test(y);
          const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          if (c !== 0) return dir === 'asc' ? c : -c;
        }
        return Number(a.view.line.id) - Number(b.view.line.id);
      });
      return kept.slice(o.offset, o.offset + o.limit).map(({ view, fields }) => {
        const item: Record<string, unknown> = o.select ? Object.fromEntries(o.select.map((k) => [k, fields[k]])) : fields;
        if (o.queue) Object.assign(item, listQueue(view, app.config.publicUrl));
        if (o.configQueue) item.CONFIG_QUEUE = JSON.parse(view.line.config_queue);
        return item;
      });
    },
  },
  {
    name: 'imopenlines.operator.answer',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.answer(ctx.auth.user, id)),
  },
  {
    name: 'imopenlines.operator.finish',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, 'own')),
  },
  {
    name: 'imopenlines.operator.another.finish',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, 'another')),
  },
  {
    name: 'imopenlines.operator.spam',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, 'spam')),
  },
  {
    name: 'imopenlines.operator.skip',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.skip(ctx.auth.user, id)),
  },
  {
    name: 'imopenlines.operator.transfer',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'TRANSFER_ID', 'USER_ID', 'QUEUE_ID'],
    async handler({ app, auth, params }) {
      const id = chatId(params, 'CHAT_ID_EMPTY');
      const transfer = params.string('TRANSFER_ID')?.trim();
      let target: { kind: 'user'; userId: number } | { kind: 'line'; lineId: number };
      if (transfer) {
        const m = /^(queue)?(\d{1,10})$/i.exec(transfer);
        if (!m || Number(m[2]) <= 0) throw Errors.method('TRANSFER_ID_EMPTY', 'Queue ID or User ID can\'t be empty');
        target = m[1] ? { kind: 'line', lineId: Number(m[2]) } : { kind: 'user', userId: Number(m[2]) };
      } else if (params.has('USER_ID')) {
        const userId = requireUserId(params);
        target = { kind: 'user', userId };
      } else if (params.has('QUEUE_ID')) {
        const lineId = params.int('QUEUE_ID') ?? 0;
        if (lineId <= 0) throw Errors.method('QUEUE_ID_EMPTY', 'QUEUE ID can\'t be empty');
        target = { kind: 'line', lineId };
      } else throw Errors.method('TRANSFER_ID_EMPTY', 'Queue ID or User ID can\'t be empty');
      await app.sessions.transfer(auth.user, id, target);
      return true;
    },
  },
  {
    name: 'imopenlines.session.intercept',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.intercept(ctx.auth.user, id), 'CHAT_ID_EMPTY'),
  },
  {
    name: 'imopenlines.session.join',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.join(ctx.auth.user, id)),
  },
  {
    name: 'imopenlines.session.start',
    scope: 'imopenlines',
    params: ['CHAT_ID'],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.restart(ctx.auth.user, id)),
  },
  {
    name: 'imopenlines.session.open',
    scope: 'imopenlines',
    params: ['USER_CODE'],
    async handler({ app, auth, params }) {
      const code = params.string('USER_CODE')?.trim() ?? '';
      if (!code) throw Errors.method('ACCESS_DENIED', 'You do not have access to this dialog');
      return { chatId: await app.sessions.chatByUserCode(auth.user, code) };
    },
  },
  {
    name: 'imopenlines.dialog.get',
    scope: 'imopenlines',
    params: ['CHAT_ID', 'DIALOG_ID', 'SESSION_ID', 'USER_CODE'],
    async handler({ app, auth, params }) {
      const denied = () => Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog');
      let id: number | undefined;
      if (params.has('CHAT_ID')) id = params.int('CHAT_ID');
      else if (params.has('DIALOG_ID')) id = Number(/^chat(\d{1,10})$/i.exec(params.string('DIALOG_ID') ?? '')?.[1] ?? 0);
      else if (params.has('SESSION_ID')) id = (await app.store.openlines.session(params.int('SESSION_ID') ?? 0))?.chat_id;
      else if (params.has('USER_CODE')) id = await app.store.openlines.chatIdByUserCode(params.string('USER_CODE') ?? '');
      const chat = id ? await app.store.chats.get(id) : undefined;
      if (!chat || chat.type !== 'L' || !(await app.sessions.canSee(auth.user, chat))) throw denied();
      const member = await app.store.members.get(chat.id, auth.user.id);
      const members = await app.store.members.list(chat.id);
      const counter = member ? await unreadCounter(app.store, member, chat) : 0;
      return {
        ...fullChat(chat, member, members, counter, presentOptions(app)),
        entity_link: { type: 'LINES', url: '', id: chat.entity_id },
        is_new: false,
        dialog_id: `chat${chat.id}`,
      };
    },
  },
];
