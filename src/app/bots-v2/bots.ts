// imbot.v2.Bot.*: 2.0 bots are rows of the same bots table as classic ones (one model serves both APIs); a 2.0
// bot adds its type name, its event mode (fetch: a durable queue read with imbot.v2.Event.get; webhook: POSTs
// through the outbox) and its profile flags.
import type { AppRow, BotRow, Store, UserRow } from '../../store/store.ts';
import { isHandlerUrl } from '../apps.ts';
import type { Clock } from '../clock.ts';
import { parseColor } from '../colors.ts';
import type { CommandsService } from '../commands.ts';
import { UsersService } from '../users.ts';
import { v2Error } from './owners.ts';

/** Bots one application may register (the docs' limit). */
export const MAX_V2_BOTS_PER_APP = 100;
export const V2_BOT_TYPES = ['bot', 'network', 'openline', 'supervisor', 'personal'] as const;
export const EVENT_MODES = ['fetch', 'webhook'] as const;
export const BACKGROUNDS = ['azure', 'mint', 'steel', 'slate', 'teal', 'cornflower', 'sky', 'peach', 'frost'] as const;

/** The classic letter each 2.0 type behaves as (personal bots see every message, as supervisors do). */
const CLASSIC_TYPE: Record<string, string> = { bot: 'B', network: 'N', openline: 'O', supervisor: 'S', personal: 'S' };

export interface V2Properties {
  name?: string;
  lastName?: string;
  workPosition?: string;
  color?: string;
  gender?: string;
}

export interface V2BotFields {
  properties?: V2Properties;
  type?: string;
  eventMode?: string;
  webhookUrl?: string;
  isHidden?: boolean;
  isReactionsEnabled?: boolean;
  isSupportOpenline?: boolean;
  /** null resets; undefined leaves as is. */
  backgroundId?: string | null;
}

export interface BotListQuery {
  type?: string;
  limit: number;
  offset: number;
}

/** What happens to a bot's event queue when its mode changes (the caller opens / closes the stream). */
export interface StreamControl {
  open(tx: Store, botId: number): Promise<void>;
  close(tx: Store, botId: number): Promise<void>;
  botDeleted(tx: Store, app: AppRow, bot: BotRow, byUserId: number): Promise<void>;
}

function normalizeBackground(v: unknown): string | null {
  return typeof v === 'string' && (BACKGROUNDS as readonly string[]).includes(v) ? v : null;
}

function userPatch(p: V2Properties) {
  const patch: Record<string, string> = {};
  if (p.workPosition !== undefined) patch.work_position = p.workPosition.trim();
  if (p.color !== undefined) {
    const color = parseColor(p.color);
    if (color) patch.color = color;
  }
  if (p.gender !== undefined) patch.gender = p.gender === 'M' || p.gender === 'F' ? p.gender : '';
  return patch;
}

export class BotsV2Service {
  private streams: StreamControl | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly commands: CommandsService,
  ) {}

  /** The event side (queue.ts) tells how to open and close a bot's queue. */
  setStreams(s: StreamControl): void {
    this.streams = s;
  }

  /**
   * A bot the calling application may act as: BOT_ID_REQUIRED without an id, BOT_NOT_FOUND for no bot,
   * BOT_OWNERSHIP_ERROR for another application's (or a call whose botToken names none).
   */
  async own(app: AppRow | undefined, botId: number | undefined): Promise<BotRow> {
    if (botId === undefined || botId <= 0) throw v2Error('BOT_ID_REQUIRED', 'Bot ID is required');
    const bot = await this.store.bots.get(botId);
    if (!bot) throw v2Error('BOT_NOT_FOUND', 'Bot not found');
    if (!app || bot.app_id !== app.id) throw v2Error('BOT_OWNERSHIP_ERROR', 'Bot is registered by another application', 403);
    return bot;
  }

  /** Bot.get: by id or code; any bot is visible (the extended form only to its owner). */
  async find(botId: number | undefined, code: string | undefined): Promise<BotRow> {
    if ((botId === undefined || botId <= 0) && !code) throw v2Error('PARAMS_REQUIRED', 'Required parameters are missing');
    const bot = botId !== undefined && botId > 0 ? await this.store.bots.get(botId) : await this.store.bots.byCode(code!);
    if (!bot) throw v2Error('BOT_NOT_FOUND', 'Bot not found');
    return bot;
  }

  async list(app: AppRow | undefined, q: BotListQuery): Promise<{ bots: BotRow[]; hasNextPage: boolean }> {
    if (!app) return { bots: [], hasNextPage: false };
    const all = (await this.store.bots.list(app.id)).filter((b) => !q.type || (b.v2_type || 'bot') === q.type);
    return { bots: all.slice(q.offset, q.offset + q.limit), hasNextPage: all.length > q.offset + q.limit };
  }

  /** Counters of the extended Bot object. */
  async counts(store: Store, bot: BotRow): Promise<{ commands: number; chats: number; users: number }> {
    const { chats, dialogs } = await store.bots.chatCounts(bot.id);
    return { commands: (await store.commands.list({ botId: bot.id })).length, chats, users: dialogs };
  }

  async register(app: AppRow, code: string, f: V2BotFields): Promise<BotRow> {
    code = code.trim();
    if (!code) throw v2Error('BOT_CODE_REQUIRED', 'Bot code is required');
    const name = (f.properties?.name ?? '').trim();
    if (!name) throw v2Error('BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
    const type = f.type ?? 'bot';
    if (!(V2_BOT_TYPES as readonly string[]).includes(type)) throw v2Error('BOT_INVALID_TYPE', 'Invalid bot type');
    const mode = f.eventMode ?? 'fetch';
    if (!(EVENT_MODES as readonly string[]).includes(mode)) throw v2Error('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
    const url = (f.webhookUrl ?? '').trim();
    if (mode === 'webhook' && !url) throw v2Error('BOT_WEBHOOK_URL_REQUIRED', 'Webhook URL is required');
    if (url && !isHandlerUrl(url)) throw v2Error('BOT_INVALID_CALLBACK', 'Invalid callback URL');
    return this.store.transaction(async (tx) => {
      await tx.lock(`bot-code:${code}`);
      const same = await tx.bots.byCode(code);
      if (same && same.app_id !== app.id) throw v2Error('BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
      // Registering the same code again answers the bot it already is, unchanged (the method is idempotent).
      if (same) return same;
      if ((await tx.bots.list(app.id)).length >= MAX_V2_BOTS_PER_APP) throw v2Error('BOT_LIMIT_EXCEEDED', 'Bot limit exceeded');
      const lastName = (f.properties?.lastName ?? '').trim();
      const user = await new UsersService(tx, this.clock).createInTx(tx, { name, lastName, bot: true });
      await tx.users.update(user.id, userPatch(f.properties ?? {}));
      const bot = await tx.bots.create({
        id: user.id,
        app_id: app.id,
        code,
        type: CLASSIC_TYPE[type],
        openline: type === 'openline' || f.isSupportOpenline === true ? 1 : 0,
        date_create: this.clock(),
        api_version: 2,
        v2_type: type,
        event_mode: mode,
        webhook_url: mode === 'webhook' ? url : '',
        hidden: f.isHidden ? 1 : 0,
        reactions: f.isReactionsEnabled === false ? 0 : 1,
        background_id: normalizeBackground(f.backgroundId),
      });
      if (mode === 'fetch') await this.streams?.open(tx, bot.id);
      return bot;
    });
  }

  /** Bot.update; `rotate` runs in the same transaction when fields.botToken asks for a new token. */
  async update(bot: BotRow, f: V2BotFields, rotate?: (tx: Store) => Promise<void>): Promise<BotRow> {
    const mode = f.eventMode ?? (bot.event_mode || 'webhook');
    if (!(EVENT_MODES as readonly string[]).includes(mode)) throw v2Error('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
    const url = f.webhookUrl !== undefined ? f.webhookUrl.trim() : bot.webhook_url;
    if (f.webhookUrl !== undefined && url && !isHandlerUrl(url)) throw v2Error('BOT_INVALID_CALLBACK', 'Invalid callback URL');
    if (mode === 'webhook' && !url) throw v2Error('BOT_INVALID_CALLBACK', 'Invalid callback URL');
    return this.store.transaction(async (tx) => {
      const p = f.properties;
      if (p) {
        const user = (await tx.users.get(bot.id)) as UserRow;
        const name = p.name !== undefined && p.name.trim() ? p.name.trim() : user.name;
        const lastName = p.lastName !== undefined ? p.lastName.trim() : user.last_name;
        await tx.users.update(bot.id, { ...userPatch(p), name, last_name: lastName });
      }
      const patch: Partial<BotRow> = { event_mode: mode, webhook_url: mode === 'webhook' ? url : '' };
      if (bot.api_version !== 2) patch.api_version = 2;
      if (f.isHidden !== undefined) patch.hidden = f.isHidden ? 1 : 0;
      if (f.isReactionsEnabled !== undefined) patch.reactions = f.isReactionsEnabled ? 1 : 0;
      if (f.isSupportOpenline !== undefined) patch.openline = f.isSupportOpenline ? 1 : 0;
      if (f.backgroundId !== undefined) patch.background_id = normalizeBackground(f.backgroundId);
      await tx.bots.update(bot.id, patch);
      const before = bot.event_mode;
      if (mode === 'fetch' && before !== 'fetch') await this.streams?.open(tx, bot.id);
      if (mode !== 'fetch' && before === 'fetch') await this.streams?.close(tx, bot.id);
      if (rotate) await rotate(tx);
      return (await tx.bots.get(bot.id))!;
    });
  }

  /** Bot.unregister: ONIMBOTV2DELETE (webhook mode), then the bot, its commands and its queue go. */
  async unregister(app: AppRow, bot: BotRow, byUserId: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.streams?.botDeleted(tx, app, bot, byUserId);
      await this.commands.forgetBot(tx, app, bot.id);
      await this.streams?.close(tx, bot.id);
      await tx.bots.delete(bot.id);
      await tx.users.update(bot.id, { active: 0 });
    });
  }
}
