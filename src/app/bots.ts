// Chat bots: users with bot = 1 owned by an application, and the events a portal sends to them.
import { BitrixError } from '../errors.ts';
import type { AppRow, BotRow, ChatRow, MessageRow, Store, UserRow } from '../store/store.ts';
import { isHandlerUrl, onApplicationHost } from './apps.ts';
import type { Clock } from './clock.ts';
import { NAMED_COLORS, parseColor } from './colors.ts';
import type { Outbox } from './delivery/outbox.ts';
import type { MessageAddedEvent, MessengerEventMap, MessengerEvents } from './events.ts';
import { UsersService } from './users.ts';
import type { CommandsService } from './commands.ts';

export const MAX_BOTS_PER_APP = 5;
export const BOT_TYPES = ['B', 'O', 'H', 'S'] as const;

/** imbot.register's handler parameters and the events they bind. */
export const BOT_HANDLERS = {
  EVENT_MESSAGE_ADD: 'ONIMBOTMESSAGEADD',
  EVENT_MESSAGE_UPDATE: 'ONIMBOTMESSAGEUPDATE',
  EVENT_MESSAGE_DELETE: 'ONIMBOTMESSAGEDELETE',
  EVENT_WELCOME_MESSAGE: 'ONIMBOTJOINCHAT',
  EVENT_BOT_DELETE: 'ONIMBOTDELETE',
} as const;
export type HandlerParam = keyof typeof BOT_HANDLERS;

const REQUIRED_HANDLERS: Record<string, string> = {
  EVENT_MESSAGE_ADD: 'Message add',
  EVENT_WELCOME_MESSAGE: 'Welcome message',
  EVENT_BOT_DELETE: 'Bot delete',
};

export interface BotProperties {
  NAME?: string;
  LAST_NAME?: string;
  COLOR?: string;
  EMAIL?: string;
  PERSONAL_BIRTHDAY?: string;
  WORK_POSITION?: string;
  PERSONAL_WWW?: string;
  PERSONAL_GENDER?: string;
  PERSONAL_PHOTO?: unknown;
}

export interface RegisterInput {
  code: string;
  type?: string;
  openline?: boolean;
  handlers: Partial<Record<HandlerParam, string>>;
  properties: BotProperties;
}

export interface UpdateInput {
  code?: string;
  handlers: Partial<Record<HandlerParam, string>>;
  properties?: BotProperties;
}

const err = (code: string, text: string) => new BitrixError(code, text, 400);

/** Mentions in message text: [USER=12]Name[/USER]. */
export function mentionedIds(text: string): number[] {
  return [...new Set([...text.matchAll(/\[USER=(\d+)(?:\s[^\]]*)?\]/gi)].map((m) => Number(m[1])))];
}

/** The message text a bot reads: its own mention removed (MESSAGE_ORIGINAL keeps it). */
export function withoutMention(text: string, botId: number): string {
  return text.replace(new RegExp(`\\[USER=${botId}(?:\\s[^\\]]*)?\\][\\s\\S]*?\\[/USER\\]`, 'gi'), '').trim();
}

function yn(v: boolean): string {
  return v ? 'Y' : 'N';
}

/** The portal names chat colours; b24im stores their hex. */
function colorName(hex: string): string {
  return Object.entries(NAMED_COLORS).find(([, h]) => h === hex)?.[0] ?? hex;
}

export function userBlock(u: UserRow, full: boolean): Record<string, string> {
  const block: Record<string, string> = {
    ID: String(u.id),
    NAME: [u.name, u.last_name].filter(Boolean).join(' '),
    FIRST_NAME: u.name,
    LAST_NAME: u.last_name,
    WORK_POSITION: u.work_position,
    GENDER: u.gender,
  };
  if (full) {
    block.IS_BOT = yn(u.bot === 1);
    block.IS_CONNECTOR = yn(u.connector === 1);
    block.IS_NETWORK = yn(u.network === 1);
    block.IS_EXTRANET = yn(u.extranet === 1);
  }
  return block;
}

/** The peer of a one-to-one dialog (dialog_key "min:max"). */
export function peerOf(chat: ChatRow, userId: number): number {
  const [a, b] = (chat.dialog_key ?? '').split(':').map(Number);
  return a === userId ? b : a;
}

export function chatParams(chat: ChatRow): Record<string, string> {
  return {
    CHAT_ID: String(chat.id),
    CHAT_TITLE: chat.title,
    CHAT_AUTHOR_ID: String(chat.author_id || chat.owner_id),
    CHAT_TYPE: chat.type,
    CHAT_AVATAR: chat.avatar || '0',
    CHAT_COLOR: colorName(chat.color),
    CHAT_ENTITY_TYPE: chat.entity_type,
    CHAT_ENTITY_ID: chat.entity_id,
    CHAT_ENTITY_DATA_1: chat.entity_data_1,
    CHAT_ENTITY_DATA_2: chat.entity_data_2,
    CHAT_ENTITY_DATA_3: chat.entity_data_3,
    CHAT_EXTRANET: yn(chat.extranet === 1),
  };
}

export class BotsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly language: string,
    /** Routes messages that run a bot command (ONIMCOMMANDADD instead of ONIMBOTMESSAGEADD). */
    private readonly commands?: CommandsService,
  ) {}

  /**
   * Subscribes the bot events to what happens in the messenger. The messenger tells after its commit; the
   * events are queued in the outbox at once and delivered by the worker, so no handler slows a sender down.
   */
  listen(events: MessengerEvents): void {
    events.on('messageAdded', (tx, e) => this.onMessageAdded(tx, e));
    events.on('messageUpdated', (tx, e) => this.onMessageChanged(tx, 'ONIMBOTMESSAGEUPDATE', e));
    events.on('messageDeleted', (tx, e) => this.onMessageChanged(tx, 'ONIMBOTMESSAGEDELETE', e));
    events.on('membersAdded', (tx, e) => this.onMembersAdded(tx, e.chat, e.userIds, e.byUserId));
  }

  list(): Promise<BotRow[]> {
    return this.store.bots.list();
  }

  /** The application's bot: the one named, or its first when none is (as imbot.* methods do). */
  async resolve(app: AppRow, botId?: number): Promise<BotRow> {
    if (botId === undefined || botId <= 0) {
      const first = (await this.store.bots.list(app.id))[0];
      if (!first) throw err('BOT_ID_ERROR', 'Bot not found');
      return first;
    }
    const bot = await this.store.bots.get(botId);
    if (!bot) throw err('BOT_ID_ERROR', 'Bot not found');
    if (bot.app_id !== app.id) throw err('APP_ID_ERROR', 'Bot was installed by another rest application');
    return bot;
  }

  async register(app: AppRow, input: RegisterInput): Promise<number> {
    const code = input.code.trim();
    if (!code) throw err('CODE_ERROR', "Bot code isn't specified");
    const handlers = this.checkHandlers(app, input.handlers, true);
    const name = (input.properties.NAME ?? '').trim();
    const lastName = (input.properties.LAST_NAME ?? '').trim();
    if (!name && !lastName) throw err('NAME_ERROR', "Bot name isn't specified");
    const type = BOT_TYPES.includes(input.type as (typeof BOT_TYPES)[number]) ? (input.type as string) : 'B';
    const openline = type === 'O' || input.openline === true;
    return this.store.transaction(async (tx) => {
      const same = await tx.bots.byCode(code);
      if (same && same.app_id !== app.id) throw err('WRONG_REQUEST', "Bot can't be created");
      // Registering an existing code again answers the bot it already is, as on a portal.
      if (same) {
        await this.bindHandlers(tx, app, handlers, same.type, same.openline === 1);
        return same.id;
      }
      if ((await tx.bots.list(app.id)).length >= MAX_BOTS_PER_APP) {
        throw err('MAX_COUNT_ERROR', `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_APP})`);
      }
      const user = await new UsersService(tx, this.clock).create({ name: name || lastName, lastName: name ? lastName : '', bot: true });
      await tx.users.update(user.id, this.userPatch(input.properties));
      await tx.bots.create({ id: user.id, app_id: app.id, code, type, openline: openline ? 1 : 0, date_create: this.clock() });
      await this.bindHandlers(tx, app, handlers, type, openline);
      return user.id;
    });
  }

  async update(app: AppRow, botId: number, input: UpdateInput): Promise<void> {
    const bot = await this.resolve(app, botId);
    const handlers = this.checkHandlers(app, input.handlers, false);
    const props = input.properties ?? {};
    const hasProps = Object.values(props).some((v) => v !== undefined);
    if (input.code === undefined && Object.keys(handlers).length === 0 && !hasProps) {
      throw err('WRONG_REQUEST', "Update fields can't be empty");
    }
    await this.store.transaction(async (tx) => {
      if (input.code !== undefined && input.code.trim() !== bot.code) {
        const code = input.code.trim();
        if (!code || (await tx.bots.byCode(code))) throw err('WRONG_REQUEST', "Bot can't be updated");
        await tx.bots.update(bot.id, { code });
      }
      if (hasProps) {
        const user = await tx.users.get(bot.id);
        const name = props.NAME !== undefined ? props.NAME.trim() : user?.name ?? '';
        const lastName = props.LAST_NAME !== undefined ? props.LAST_NAME.trim() : user?.last_name ?? '';
        if (!name && !lastName) throw err('NAME_ERROR', "Bot name isn't specified");
        await tx.users.update(bot.id, { ...this.userPatch(props), name, last_name: lastName });
      }
      await this.bindHandlers(tx, app, handlers, bot.type, bot.openline === 1);
    });
  }

  /** Deletes the bot: ONIMBOTDELETE to the application, the bot user deactivated. */
  async unregister(app: AppRow, botId: number, byUserId: number): Promise<void> {
    const bot = await this.resolve(app, botId);
    await this.store.transaction(async (tx) => {
      await this.outbox.emit(tx, app, 'ONIMBOTDELETE', { data: { BOT_ID: String(bot.id), BOT_CODE: bot.code }, authUserId: byUserId });
      await this.commands?.forgetBot(tx, app, bot.id);
      await tx.bots.delete(bot.id);
      await tx.users.update(bot.id, { active: 0 });
      // The last bot of an application takes the application's bot handlers with it.
      if ((await tx.bots.list(app.id)).length === 0) {
        for (const event of Object.values(BOT_HANDLERS)) await tx.events.deleteHandlers({ appId: app.id, event });
      }
    });
  }

  private checkHandlers(app: AppRow, given: Partial<Record<HandlerParam, string>>, required: boolean): Partial<Record<HandlerParam, string>> {
    const out: Partial<Record<HandlerParam, string>> = {};
    for (const param of Object.keys(BOT_HANDLERS) as HandlerParam[]) {
      const url = (given[param] ?? '').trim();
      if (!url) {
        if (required && REQUIRED_HANDLERS[param]) throw err(`${param}_ERROR`, `Handler for "${REQUIRED_HANDLERS[param]}" event isn't specified`);
        continue;
      }
      if (!isHandlerUrl(url) || !onApplicationHost(app, url)) throw err(`${param}_ERROR`, 'Wrong handler URL');
      out[param] = url;
    }
    return out;
  }

  /** One set of bot handlers per application (as on a portal): a new URL replaces the event's previous one. */
  private async bindHandlers(tx: Store, app: AppRow, handlers: Partial<Record<HandlerParam, string>>, type: string, openline: boolean): Promise<void> {
    for (const [param, url] of Object.entries(handlers) as [HandlerParam, string][]) {
      // Update and delete events go to open-line and supervisor bots only.
      if ((param === 'EVENT_MESSAGE_UPDATE' || param === 'EVENT_MESSAGE_DELETE') && (type === 'B' || type === 'H') && !openline) continue;
      const event = BOT_HANDLERS[param];
      const existing = await tx.events.handlers({ appId: app.id, event });
      if (existing.some((h) => h.handler === url)) continue;
      await tx.events.deleteHandlers({ appId: app.id, event });
      await tx.events.addHandler({ app_id: app.id, event, handler: url, auth_type: 0, user_id: 0, date_create: this.clock() });
    }
  }

  private userPatch(p: BotProperties) {
    const patch: Record<string, string> = {};
    if (p.COLOR !== undefined) {
      const color = parseColor(String(p.COLOR));
      if (color) patch.color = color;
    }
    if (p.EMAIL !== undefined) patch.email = String(p.EMAIL).trim();
    if (p.WORK_POSITION !== undefined) patch.work_position = String(p.WORK_POSITION).trim();
    if (p.PERSONAL_WWW !== undefined) patch.website = String(p.PERSONAL_WWW).trim();
    if (p.PERSONAL_GENDER !== undefined) patch.gender = p.PERSONAL_GENDER === 'M' || p.PERSONAL_GENDER === 'F' ? p.PERSONAL_GENDER : '';
    if (p.PERSONAL_BIRTHDAY !== undefined) {
      const m = /^\d{4}-(\d{2})-(\d{2})/.exec(String(p.PERSONAL_BIRTHDAY));
      patch.birthday = m ? `${m[2]}-${m[1]}` : '';
    }
    return patch;
  }

  /** Which bots a message is for: the peer of a dialog, or the chat's bots that are mentioned (all messages for S). */
  private async recipients(store: Store, chat: ChatRow, authorId: number, text: string, memberIds?: number[]): Promise<{ bots: BotRow[]; mentioned: number[] }> {
    if (chat.type === 'P') {
      const peer = peerOf(chat, authorId);
      const bot = peer && peer !== authorId ? await store.bots.get(peer) : undefined;
      // A bot gets events in the format of the API it was registered with (2.0 bots: bots-v2/events.ts).
      return { bots: bot && bot.api_version !== 2 ? [bot] : [], mentioned: [] };
    }
    const mentioned = mentionedIds(text);
    const supervisors = (await store.bots.list()).filter((b) => b.type === 'S').map((b) => b.id);
    // Open-line bots in an open-line chat get every message of it, as on a portal.
    const lineBots =
      chat.type === 'L'
        ? (await store.bots.getMany(memberIds ?? (await store.members.userIds(chat.id)))).filter((b) => b.openline === 1 || b.type === 'O').map((b) => b.id)
        : [];
    const candidates = [...new Set([...mentioned, ...supervisors, ...lineBots])].filter((id) => id !== authorId);
    const inChat = memberIds ? candidates.filter((id) => memberIds.includes(id)) : await store.bots.membersOf(chat.id, candidates);
    return { bots: (await store.bots.getMany(inChat)).filter((b) => b.api_version !== 2), mentioned };
  }

  /** Bots grouped by their application (one delivery per application handler carries all its bots). */
  private async byApp(store: Store, bots: BotRow[]): Promise<[AppRow, BotRow[]][]> {
    const groups = new Map<number, BotRow[]>();
    for (const b of bots) groups.set(b.app_id, [...(groups.get(b.app_id) ?? []), b]);
    const out: [AppRow, BotRow[]][] = [];
    for (const [appId, list] of groups) {
      const app = await store.auth.app(appId);
      if (app) out.push([app, list.sort((a, b) => a.id - b.id)]);
    }
    return out;
  }

  /** PARAMS.FILES of a message for a bot (set by the app once its file service exists). */
  messageFiles?: (tx: Store, message: MessageRow, botId: number) => Promise<Record<string, unknown> | undefined>;

  private async onMessageAdded(tx: Store, e: MessageAddedEvent): Promise<void> {
    const { chat, message, author } = e;
    if (!author) return;
    // A bot that opens a dialog by writing first gets its welcome event too, as on a portal.
    if (chat.type === 'P' && message.seq === 1 && author.bot === 1) {
      const peer = peerOf(chat, author.id);
      if (peer) await this.onMembersAdded(tx, chat, [author.id], peer);
    }
    if (message.system === 1) return;
    const { bots, mentioned } = await this.recipients(tx, chat, author.id, message.text, e.memberIds);
    // The first message of a dialog opens it: the bot gets its welcome event first.
    if (chat.type === 'P' && message.seq === 1 && bots.length > 0) await this.onMembersAdded(tx, chat, bots.map((b) => b.id), author.id);
    // A message that runs a command goes to the command's bot only, as ONIMCOMMANDADD.
    if (author.bot !== 1 && this.commands && (await this.commands.onMessage(tx, chat, message, author))) return;
    if (bots.length === 0) return;
    const prev = chat.type === 'P' ? undefined : await tx.messages.latestUpTo(chat.id, message.seq - 1);
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      const first = appBots[0];
      const base: Record<string, unknown> = {
        MESSAGE: chat.type === 'P' ? message.text : withoutMention(message.text, first.id),
        TEMPLATE_ID: message.uuid ?? '',
        MESSAGE_TYPE: chat.type,
        FROM_USER_ID: String(author.id),
        DIALOG_ID: chat.type === 'P' ? String(author.id) : `chat${chat.id}`,
        TO_CHAT_ID: String(chat.id),
        AUTHOR_ID: String(author.id),
        SYSTEM: 'N',
      };
      const params: Record<string, unknown> =
        chat.type === 'P'
          ? { ...base, TO_USER_ID: String(first.id), CHAT_USER_COUNT: '2' }
          : {
              ...base,
              ...chatParams(chat),
              CHAT_PREV_MESSAGE_ID: String(prev?.id ?? 0),
              CHAT_USER_COUNT: String(chat.member_count),
              ...(mentioned.length ? { MENTIONED_LIST: Object.fromEntries(mentioned.map((id) => [String(id), String(id)])) } : {}),
              MESSAGE_ORIGINAL: message.text,
              TO_USER_ID: mentioned.includes(first.id) ? String(first.id) : '0',
            };
      const extra = JSON.parse(message.params || '{}') as Record<string, unknown>;
      for (const key of ['ATTACH', 'KEYBOARD', 'FILES', 'COMMAND', 'COMMAND_PARAMS']) if (extra[key] !== undefined) params[key] = extra[key];
      // Files as a portal sends them: im file objects by id, with links the receiving bot may open.
      const files = this.messageFiles ? await this.messageFiles(tx, message, first.id) : undefined;
      if (files) params.FILES = files;
      params.MESSAGE_ID = String(message.id);
      if (chat.type === 'P') params.CHAT_TYPE = 'P';
      params.LANGUAGE = this.language;
      await this.outbox.emit(tx, app, 'ONIMBOTMESSAGEADD', {
        data: { PARAMS: params, USER: userBlock(author, true) },
        authUserId: author.id,
        bots: appBots.map((b) => ({ id: b.id, code: b.code })),
      });
    }
  }

  private async onMessageChanged(tx: Store, event: string, e: MessengerEventMap['messageUpdated']): Promise<void> {
    const { chat, message } = e;
    const by = await tx.users.get(e.byUserId);
    if (!by) return;
    const { bots: all } = await this.recipients(tx, chat, by.id, message.text);
    // Edits and deletions go to supervisor and open-line bots only, as on a portal.
    const bots = all.filter((b) => b.type === 'S' || b.type === 'O' || b.openline === 1);
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      const params = {
        MESSAGE_ID: String(message.id),
        MESSAGE: message.text,
        MESSAGE_TYPE: chat.type,
        FROM_USER_ID: String(by.id),
        DIALOG_ID: chat.type === 'P' ? String(by.id) : `chat${chat.id}`,
        TO_CHAT_ID: String(chat.id),
        AUTHOR_ID: String(message.author_id),
        ...(chat.type === 'P' ? { TO_USER_ID: String(appBots[0].id) } : chatParams(chat)),
        LANGUAGE: this.language,
      };
      await this.outbox.emit(tx, app, event, {
        data: { PARAMS: params, USER: userBlock(by, true) },
        authUserId: by.id,
        bots: appBots.map((b) => ({ id: b.id, code: b.code })),
      });
    }
  }

  /** ONIMBOTJOINCHAT for each bot among the new members (not when a bot adds itself). */
  private async onMembersAdded(tx: Store, chat: ChatRow, userIds: number[], byUserId: number): Promise<void> {
    const bots = (await tx.bots.getMany(userIds)).filter((b) => b.id !== byUserId && b.api_version !== 2);
    if (bots.length === 0) return;
    const by = await tx.users.get(byUserId);
    if (!by) return;
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      for (const bot of appBots) {
        const member = chat.type === 'P' ? undefined : await tx.members.get(chat.id, bot.id);
        const params =
          chat.type === 'P'
            ? {
                CHAT_TYPE: 'P',
                MESSAGE_TYPE: 'P',
                BOT_ID: String(bot.id),
                USER_ID: String(by.id),
                TO_USER_ID: String(by.id),
                FROM_USER_ID: String(bot.id),
                DIALOG_ID: String(by.id),
                LANGUAGE: this.language,
              }
            : {
                CHAT_TYPE: chat.type,
                MESSAGE_TYPE: chat.type,
                BOT_ID: String(bot.id),
                USER_ID: String(by.id),
                CHAT_ID: String(chat.id),
                CHAT_AUTHOR_ID: String(chat.author_id || chat.owner_id),
                CHAT_ENTITY_TYPE: chat.entity_type,
                CHAT_ENTITY_ID: chat.entity_id,
                ACCESS_HISTORY: member && member.start_seq > 0 ? '0' : '1',
                DIALOG_ID: `chat${chat.id}`,
                LANGUAGE: this.language,
              };
        await this.outbox.emit(tx, app, 'ONIMBOTJOINCHAT', {
          data: { PARAMS: params, USER: userBlock(by, false) },
          authUserId: by.id,
          bots: [{ id: bot.id, code: bot.code }],
        });
      }
    }
  }
}
