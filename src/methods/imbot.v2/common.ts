// What every imbot.v2 method reads: its camelCase parameters, the owner (OAuth application or botToken), the bot.
import type { AppRow, BotRow, UserRow } from '../../store/store.ts';
import { readBotToken, v2Error } from '../../app/bots-v2/owners.ts';
import { FETCH_LIMIT } from '../../app/bots-v2/fetch.ts';
import { Errors } from '../../errors.ts';
import type { Params } from '../params.ts';
import { presentOptions } from '../present-options.ts';
import type { MethodContext } from '../registry.ts';
import { v2User } from '../../present/v2.ts';

export type Fields = Record<string, unknown>;

/** The `fields` object (JSON, or fields[...] form keys); {} when absent. */
export function fieldsOf(ctx: MethodContext, name = 'fields'): Fields {
  const v = ctx.params.raw(name);
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw v2Error('INVALID_FORMAT', `Parameter ${name} must be an object`);
  return v as Fields;
}

/** A boolean as the docs accept it: JSON true/false or "Y"/"N" (and the form encodings "1"/"0", "true"/"false"). */
export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'Y' || v === 'y' || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'N' || v === 'n' || v === 'false' || v === '0' || v === 0) return false;
  return undefined;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function botToken(ctx: MethodContext, fields?: Fields): string {
  return readBotToken(ctx.params.raw('botToken'), fields);
}

/** The application the call acts for (undefined when its botToken names none). */
export function owner(ctx: MethodContext): Promise<AppRow | undefined> {
  return ctx.app.botOwners.find(ctx.auth, botToken(ctx));
}

/** The bot named by botId, owned by the caller. */
export async function ownBot(ctx: MethodContext): Promise<{ app: AppRow; bot: BotRow; user: UserRow }> {
  const app = await owner(ctx);
  const bot = await ctx.app.botsV2.own(app, ctx.params.int('botId'));
  const user = await ctx.app.store.users.get(bot.id);
  if (!user || !user.active) throw v2Error('BOT_NOT_FOUND', 'Bot not found');
  return { app: app!, bot, user };
}

export function usersBlock(ctx: MethodContext, users: UserRow[]) {
  const o = presentOptions(ctx.app);
  return users.map((u) => v2User(u, o));
}

/** Event.get's offset (absent: acknowledge nothing) and limit (1–1000, default 100), as imbot.v2 and im.v2 read them. */
export function fetchPaging(params: Params): { offset: number | undefined; limit: number } {
  const limit = params.has('limit') ? params.int('limit') : FETCH_LIMIT.default;
  if (limit === undefined || limit < FETCH_LIMIT.min || limit > FETCH_LIMIT.max) {
    throw Errors.argument('limit', `limit must be between ${FETCH_LIMIT.min} and ${FETCH_LIMIT.max}`);
  }
  const offset = params.has('offset') ? params.int('offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) : undefined;
  if (params.has('offset') && offset === undefined) throw Errors.argument('offset', 'offset must be a non-negative integer');
  return { offset, limit };
}
