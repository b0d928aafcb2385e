// Bot commands (imbot.command.*): registering them, running them when a message starts a line with /command
// or a keyboard button is pressed (ONIMCOMMANDADD), and posting the bot's answer (imbot.command.answer).
import { BitrixError } from '../errors.ts';
import type { AppRow, BotCommandRow, BotRow, ChatRow, NewBotCommand, Store, UserRow } from '../store/store.ts';
import { isHandlerUrl, onApplicationHost } from './apps.ts';
import { chatParams, peerOf, userBlock } from './bots.ts';
import type { Clock } from './clock.ts';
import type { BotRef, Outbox } from './delivery/outbox.ts';
import type { MessagesService } from './messages.ts';
import type { Attach } from './attach.ts';
import type { Dict } from './structures.ts';
import { asList, isDict, str } from './structures.ts';

export const COMMAND_EVENT = 'ONIMCOMMANDADD';
/** How long a command lets its bot answer in the dialog (the portal's bot token). */
const GRANT_SECONDS = 600;
/** At most this many commands run per message, as on a portal. */
const MAX_COMMANDS_PER_MESSAGE = 10;
/** One line of a message that runs a command: "/name params". */
const COMMAND_LINE = /^\/([^ \n]*) ?(.*)$/gm;

const err = (code: string, text: string) => new BitrixError(code, text, 400);

export interface CommandLang {
  LANGUAGE_ID: string;
  TITLE: string;
  PARAMS: string;
}

export interface CommandInput {
  botId: number;
  command: string;
  handler: string;
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
  lang: unknown;
}

export interface CommandUpdate {
  command?: string;
  handler?: string;
  common?: boolean;
  hidden?: boolean;
  extranetSupport?: boolean;
  lang?: unknown;
}

export interface AnswerInput {
  messageId: number;
  text: string;
  attach?: Attach[];
  keyboard?: Dict[];
  menu?: Dict[];
  system: boolean;
  urlPreview: boolean;
}

/** A message (or button press) that may run commands. */
interface CommandCall {
  chat: ChatRow;
  author: UserRow;
  /** The message the event names: the typed one, or the one holding the keyboard. */
  messageId: number;
  text: string;
  uuid: string;
  context: 'TEXTAREA' | 'KEYBOARD';
  /** The other side of a one-to-one dialog (the bot for a button press). */
  toUserId: number;
}

function stripSlash(command: string): string {
  return command.startsWith('/') ? command.slice(1) : command;
}

/** LANG: [{LANGUAGE_ID, TITLE, PARAMS}]; entries without a language or title are skipped, as on a portal. */
export function langSet(value: unknown): CommandLang[] {
  const list = asList(value) ?? (isDict(value) ? [value] : []);
  const out: CommandLang[] = [];
  for (const item of list) {
    if (!isDict(item)) continue;
    const upper = Object.fromEntries(Object.entries(item).map(([k, v]) => [k.toUpperCase(), v]));
    const language = str(upper.LANGUAGE_ID).trim().toLowerCase();
    if (!language || upper.TITLE === undefined) continue;
    out.push({ LANGUAGE_ID: language, TITLE: str(upper.TITLE), PARAMS: str(upper.PARAMS) });
  }
  return out;
}

/** Commands of 2.0 bots that a message or button press ran (their events are ONIMBOTV2COMMANDADD, bots-v2/). */
export interface V2CommandCall {
  chat: ChatRow;
  author: UserRow;
  messageId: number;
  context: 'textarea' | 'keyboard';
  found: { command: BotCommandRow; params: string }[];
}

/**
 * A bot's command, registered once: the same command of the same bot again is the command it already is (both bot
 * APIs; the lock keeps two concurrent registrations from making two).
 */
export async function ensureCommand(tx: Store, row: NewBotCommand): Promise<BotCommandRow> {
  await tx.lock(`bot-command:${row.bot_id}:${row.command}`);
  const same = (await tx.commands.byName(row.command)).find((c) => c.bot_id === row.bot_id);
  return same ?? tx.commands.create(row);
}

export class CommandsService {
  /** Queues the events of 2.0 bots' commands (set by bots-v2/events.ts). */
  private v2Handler: ((store: Store, call: V2CommandCall) => Promise<void>) | undefined;

  setV2Handler(fn: (store: Store, call: V2CommandCall) => Promise<void>): void {
    this.v2Handler = fn;
  }

  /** The 2.0 bots whose commands this message runs (they get ONIMBOTV2COMMANDADD instead of the message). */
  async v2BotsCommanded(store: Store, chat: ChatRow, message: { id: number; text: string; uuid: string | null; system: number }, author: UserRow): Promise<Set<number>> {
    if (message.system === 1 || !message.text.includes('/') || author.bot === 1) return new Set();
    const toUserId = chat.type === 'P' ? peerOf(chat, author.id) : 0;
    const found = await this.matching(store, { chat, author, messageId: message.id, text: message.text, uuid: message.uuid ?? '', context: 'TEXTAREA', toUserId });
    const bots = await store.bots.getMany(found.map((f) => f.command.bot_id));
    return new Set(bots.filter((b) => b.api_version === 2).map((b) => b.id));
  }

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly messages: MessagesService,
    private readonly language: string,
  ) {}

  async register(app: AppRow, input: CommandInput): Promise<number> {
    const bot = await this.ownBot(app, input.botId);
    const handler = input.handler.trim();
    if (!handler) throw err('EVENT_COMMAND_ADD_ERROR', 'Handler for "Command add" event isn\'t specified');
    // As every handler of an application, on the application's own host (its tokens go there).
    if (!isHandlerUrl(handler) || !onApplicationHost(app, handler)) throw err('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
    const command = stripSlash(input.command.trim());
    if (!command) throw err('COMMAND_ERROR', "Command isn't specified");
    const lang = langSet(input.lang);
    if (input.lang === undefined || input.lang === '' || (isDict(input.lang) && Object.keys(input.lang).length === 0) || (Array.isArray(input.lang) && input.lang.length === 0)) {
      throw err('LANG_ERROR', "Lang set can't be empty");
    }
    if (lang.length === 0 && !input.hidden) throw err('WRONG_REQUEST', "Command can't be created");
    return this.store.transaction(async (tx) => {
      const { id } = await ensureCommand(tx, {
        bot_id: bot.id,
        app_id: app.id,
        command,
        common: input.common ? 1 : 0,
        hidden: input.hidden ? 1 : 0,
        extranet_support: input.extranetSupport ? 1 : 0,
        lang: JSON.stringify(lang),
        date_create: this.clock(),
      });
      await this.bindHandler(tx, app, handler);
      return id;
    });
  }

  async update(app: AppRow, commandId: number, fields: CommandUpdate): Promise<void> {
    const row = await this.own(app, commandId);
    const handler = fields.handler?.trim();
    if (handler && (!isHandlerUrl(handler) || !onApplicationHost(app, handler))) throw err('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
    const patch: Partial<BotCommandRow> = {};
    if (fields.command !== undefined && stripSlash(fields.command.trim()) !== '') patch.command = stripSlash(fields.command.trim());
    if (fields.common !== undefined) patch.common = fields.common ? 1 : 0;
    if (fields.hidden !== undefined) patch.hidden = fields.hidden ? 1 : 0;
    if (fields.extranetSupport !== undefined) patch.extranet_support = fields.extranetSupport ? 1 : 0;
    if (fields.lang !== undefined) patch.lang = JSON.stringify(langSet(fields.lang));
    if (Object.keys(patch).length === 0 && !handler) throw err('WRONG_REQUEST', "Update fields can't be empty");
    await this.store.transaction(async (tx) => {
      await tx.commands.update(row.id, patch);
      if (handler) await this.bindHandler(tx, app, handler);
    });
  }

  async unregister(app: AppRow, commandId: number): Promise<void> {
    const row = await this.own(app, commandId);
    await this.store.transaction(async (tx) => {
      await tx.commands.delete(row.id);
      if ((await tx.commands.list({ appId: app.id })).length === 0) await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
    });
  }

  /** A bot's commands go with it (imbot.unregister). */
  async forgetBot(tx: Store, app: AppRow, botId: number): Promise<void> {
    await tx.commands.deleteByBot(botId);
    if ((await tx.commands.list({ appId: app.id })).length === 0) await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
  }

  /**
   * Runs the commands a new message starts lines with. True when any matched: then the message is a command
   * and no bot gets it as ONIMBOTMESSAGEADD (as on a portal).
   */
  async onMessage(tx: Store, chat: ChatRow, message: { id: number; text: string; uuid: string | null; system: number }, author: UserRow): Promise<boolean> {
    if (message.system === 1 || !message.text.includes('/')) return false;
    const toUserId = chat.type === 'P' ? peerOf(chat, author.id) : 0;
    return this.run(tx, { chat, author, messageId: message.id, text: message.text, uuid: message.uuid ?? '', context: 'TEXTAREA', toUserId });
  }

  /** im.message.command: a keyboard button of a bot's message was pressed. False when the user may not. */
  async press(user: UserRow, messageId: number, botId: number, command: string, params: string): Promise<boolean> {
    const message = await this.store.messages.get(messageId);
    if (!message || message.deleted) return false;
    const chat = await this.store.chats.get(message.chat_id);
    if (!chat || !(await this.store.members.get(chat.id, user.id))) return false;
    const text = `/${command} ${params}`;
    // The event is queued in a transaction of its own, with the grants the press gives.
    await this.store.transaction((tx) => this.run(tx, { chat, author: user, messageId, text, uuid: '', context: 'KEYBOARD', toUserId: chat.type === 'P' ? botId : 0 }));
    return true;
  }

  /** The command imbot.command.answer names (COMMAND_ID, or COMMAND among the application's). */
  async forAnswer(app: AppRow, commandId: number | undefined, name: string | undefined): Promise<BotCommandRow> {
    if (commandId !== undefined) return this.own(app, commandId);
    const command = name === undefined ? undefined : (await this.store.commands.byName(stripSlash(name))).find((c) => c.app_id === app.id);
    if (!command) throw err('COMMAND_ID_ERROR', 'Command not found');
    return command;
  }

  /** imbot.command.answer: the bot's answer in the dialog of the command's message. */
  async answer(command: BotCommandRow, input: AnswerInput): Promise<number> {
    if (input.messageId <= 0) throw err('MESSAGE_ID_EMPTY', "Message ID can't be empty");
    const text = input.text.trim();
    if (!text) throw err('MESSAGE_EMPTY', "Message can't be empty");
    const message = await this.store.messages.get(input.messageId);
    const chat = message && (await this.store.chats.get(message.chat_id));
    if (!message || !chat) throw err('WRONG_REQUEST', "Message isn't added");
    const bot = await this.store.users.get(command.bot_id);
    if (!bot || !bot.active) throw err('WRONG_REQUEST', "Message isn't added");
    const content = { attach: input.attach, keyboard: input.keyboard, menu: input.menu, urlPreview: input.urlPreview };
    const prefixed = `Bot [USER=${bot.id}][/USER] answered:\n ${text}`;
    if (chat.type !== 'P') {
      if (!(await this.granted(command, `chat${chat.id}`, message))) throw err('WRONG_REQUEST', "Message isn't added");
      const member = await this.store.members.get(chat.id, bot.id);
      // A bot in the chat answers as itself; a common command's bot outside it answers with a system message.
      if (member && !input.system) return this.messages.add(bot, { kind: 'chat', chatId: chat.id }, { text, ...content });
      return this.messages.add(bot, { kind: 'chat', chatId: chat.id }, { text: prefixed, ...content, system: true, skipUserCheck: true });
    }
    // The dialog as the bot sees it: the user on the other side of the message.
    const authorIsBot = message.author_id === bot.id;
    const other = peerOf(chat, message.author_id);
    if (!(await this.granted(command, String(other), message))) throw err('WRONG_REQUEST', "Message isn't added");
    const human = authorIsBot ? other : message.author_id;
    if ((authorIsBot || other === bot.id) && !input.system) {
      return this.messages.add(bot, { kind: 'user', userId: human }, { text, ...content });
    }
    // A common command in a dialog of two people: a system message between them.
    const author = await this.store.users.get(message.author_id);
    if (!author) throw err('WRONG_REQUEST', "Message isn't added");
    return this.messages.add(author, { kind: 'user', userId: other }, { text: prefixed, attach: input.attach, keyboard: input.keyboard, urlPreview: input.urlPreview, system: true });
  }

  /** Whether the command's bot may answer in this dialog: its own dialog, a fresh grant, or the command typed there. */
  private async granted(command: BotCommandRow, dialogId: string, message: { text: string }): Promise<boolean> {
    if (dialogId === String(command.bot_id)) return true;
    const until = await this.store.commands.grantedUntil(command.bot_id, dialogId);
    if (until !== undefined && until >= this.clock()) return true;
    return [...message.text.matchAll(COMMAND_LINE)].some((m) => m[1] === command.command);
  }

  private async ownBot(app: AppRow, botId: number): Promise<BotRow> {
    const bot = botId > 0 ? await this.store.bots.get(botId) : undefined;
    if (!bot) throw err('BOT_ID_ERROR', 'Bot not found');
    if (bot.app_id !== app.id) throw err('APP_ID_ERROR', 'Bot was installed by another rest application');
    return bot;
  }

  private async own(app: AppRow, commandId: number): Promise<BotCommandRow> {
    const row = commandId > 0 ? await this.store.commands.get(commandId) : undefined;
    if (!row) throw err('COMMAND_ID_ERROR', 'Command not found');
    if (row.app_id !== app.id) throw err('APP_ID_ERROR', 'Command was installed by another rest application');
    return row;
  }

  /** One ONIMCOMMANDADD handler per application: a new URL replaces the previous one, as on a portal. */
  private async bindHandler(tx: Store, app: AppRow, url: string): Promise<void> {
    const existing = await tx.events.handlers({ appId: app.id, event: COMMAND_EVENT });
    if (existing.some((h) => h.handler === url)) return;
    await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
    await tx.events.addHandler({ app_id: app.id, event: COMMAND_EVENT, handler: url, auth_type: 0, user_id: 0, date_create: this.clock() });
  }

  /** The commands a call names that apply where it was made (COMMON, the bot's presence, extranet, open lines). */
  private async matching(store: Store, call: CommandCall): Promise<{ command: BotCommandRow; params: string }[]> {
    const out: { command: BotCommandRow; params: string }[] = [];
    const seen = new Set<string>();
    for (const m of call.text.matchAll(COMMAND_LINE)) {
      const name = stripSlash(m[1]);
      if (!name) continue;
      for (const command of await store.commands.byName(name)) {
        const bot = await store.bots.get(command.bot_id);
        if (!bot) continue;
        if (call.chat.entity_type === 'LIVECHAT' || (call.chat.entity_type === 'LINES' && bot.openline !== 1)) continue;
        if (!command.extranet_support && call.author.extranet === 1) continue;
        if (!command.common) {
          if (call.chat.type === 'P' ? call.toUserId !== bot.id : !(await store.members.get(call.chat.id, bot.id))) continue;
        }
        const key = `${command.id}\u0000${m[2]}`;
        if (seen.has(key) || out.length >= MAX_COMMANDS_PER_MESSAGE) continue;
        seen.add(key);
        out.push({ command, params: m[2] });
      }
    }
    return out;
  }

  private async run(store: Store, call: CommandCall): Promise<boolean> {
    const all = await this.matching(store, call);
    if (all.length === 0) return false;
    const { chat, author } = call;
    const dialogId = chat.type === 'P' ? String(author.id) : `chat${chat.id}`;
    const expire = this.clock() + GRANT_SECONDS;
    for (const { command } of all) {
      await store.commands.grant(command.bot_id, dialogId, expire);
      if (chat.type === 'P' && call.toUserId > 0) await store.commands.grant(command.bot_id, String(call.toUserId), expire);
    }
    // A bot gets events in the format of the API it was registered with.
    const v2Bots = new Set((await store.bots.getMany(all.map((f) => f.command.bot_id))).filter((b) => b.api_version === 2).map((b) => b.id));
    const v2Found = all.filter((f) => v2Bots.has(f.command.bot_id));
    if (v2Found.length > 0) {
      await this.v2Handler?.(store, { chat, author, messageId: call.messageId, context: call.context === 'KEYBOARD' ? 'keyboard' : 'textarea', found: v2Found });
    }
    const found = all.filter((f) => !v2Bots.has(f.command.bot_id));
    if (found.length === 0) return true;
    const params: Record<string, unknown> = {
      MESSAGE: call.text,
      TEMPLATE_ID: call.uuid,
      MESSAGE_TYPE: chat.type,
      FROM_USER_ID: String(author.id),
      DIALOG_ID: dialogId,
      TO_CHAT_ID: String(chat.id),
      AUTHOR_ID: String(author.id),
      SYSTEM: 'N',
      ...(chat.type === 'P' ? { TO_USER_ID: String(call.toUserId) } : chatParams(chat)),
    };
    if (chat.type !== 'P') {
      const bots = [...new Set(found.map((f) => f.command.bot_id))];
      const inChat = await store.bots.membersOf(chat.id, bots);
      params.BOT_IN_CHAT = Object.fromEntries(inChat.map((id) => [String(id), String(id)]));
    }
    params.MESSAGE_ID = String(call.messageId);
    params.CHAT_TYPE = chat.type;
    params.LANGUAGE = this.language;
    // One delivery per application: data[COMMAND][commandId] carries each of its commands with its bot's auth.
    const byApp = new Map<number, BotRef[]>();
    for (const { command, params: execParams } of found) {
      const bot = (await store.bots.get(command.bot_id))!;
      const refs = byApp.get(command.app_id) ?? [];
      refs.push({
        id: bot.id,
        code: bot.code,
        group: 'COMMAND',
        key: String(command.id),
        extra: {
          COMMAND: command.command,
          COMMAND_ID: String(command.id),
          COMMAND_PARAMS: execParams,
          COMMAND_CONTEXT: call.context,
          MESSAGE_ID: String(call.messageId),
        },
      });
      byApp.set(command.app_id, refs);
    }
    for (const [appId, refs] of byApp) {
      const app = await store.auth.app(appId);
      if (!app) continue;
      await this.outbox.emit(store, app, COMMAND_EVENT, { data: { PARAMS: params, USER: userBlock(author, false) }, authUserId: author.id, bots: refs });
    }
    return true;
  }
}
