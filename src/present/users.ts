// User objects in the two shapes clients read: the im one (lower-case keys) and the REST user one (upper-case).
import type { UserRow } from '../store/store.ts';
import { atom, atomOrFalse } from './dates.ts';

export interface PresentOptions {
  zone: string;
  publicUrl: string;
  /** bot_data of the bot users being shown, by user id (loaded by the caller). */
  bots?: Map<number, BotData>;
}

/** A bot user's bot_data, as the portal's BotData::toRestFormat gives it (keys in snake case). */
export interface BotData {
  id: number;
  code: string;
  type: string;
  app_id: string;
  is_hidden: boolean;
  is_support_openline: boolean;
  openline: boolean;
  background_id: string | null;
  reactions_enabled: boolean;
}

const BOT_TYPE_NAMES: Record<string, string> = { B: 'bot', H: 'human', N: 'network', O: 'openline', S: 'supervisor' };

export function botData(
  bot: { id: number; code: string; type: string; openline: number; api_version?: number; v2_type?: string; hidden?: number; reactions?: number; background_id?: string | null },
  clientId: string,
): BotData {
  // A 2.0 bot shows its own type name and profile flags (imbot.v2.Bot.register / update); a classic bot has none.
  const v2 = bot.api_version === 2;
  return {
    id: bot.id,
    code: bot.code,
    type: (v2 && bot.v2_type) || (BOT_TYPE_NAMES[bot.type] ?? 'bot'),
    app_id: clientId,
    is_hidden: v2 && bot.hidden === 1,
    is_support_openline: bot.openline === 1,
    openline: bot.openline === 1,
    background_id: v2 ? (bot.background_id ?? null) : null,
    reactions_enabled: v2 && bot.reactions === 1,
  };
}

export function fullName(u: Pick<UserRow, 'name' | 'last_name'>): string {
  // The non-empty parts joined by a space (written out: it runs for every user of every list).
  const first = u.name;
  const last = u.last_name;
  return first ? (last ? `${first} ${last}` : first) : last || '';
}

const INLINE_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * An avatar as clients load it: a file this server serves, made absolute, or an image kept inline (a data: URL of
 * src/app/avatars.ts). A portal copies every picture it is given (a connector's customer picture, a bot's photo) into
 * its own storage, so a viewer's browser never fetches a third party's URL; b24im keeps no copy of an external URL,
 * so one (or any other scheme) shows no picture: the initials on the item's colour.
 */
export function absoluteUrl(url: string, publicUrl: string): string {
  if (url === '') return '';
  if (url.startsWith('/')) return url.startsWith('//') || url.includes('\\') ? '' : publicUrl + url;
  return INLINE_IMAGE.test(url) ? url : '';
}

export function userType(u: Pick<UserRow, 'bot' | 'connector' | 'extranet'>): string {
  if (u.bot) return 'bot';
  if (u.connector) return 'connector';
  if (u.extranet) return 'extranet';
  return 'user';
}

/** The im module's user object (im.user.get, recent items, chat user lists). */
export function imUser(u: UserRow, o: PresentOptions) {
  const avatar = absoluteUrl(u.avatar, o.publicUrl);
  return {
    id: u.id,
    active: u.active === 1,
    name: fullName(u),
    first_name: u.name,
    last_name: u.last_name,
    work_position: u.work_position,
    color: u.color,
    avatar,
    avatar_hr: avatar,
    gender: u.gender,
    birthday: u.birthday,
    extranet: u.extranet === 1,
    network: u.network === 1,
    bot: u.bot === 1,
    connector: u.connector === 1,
    external_auth_id: u.external_auth_id,
    status: u.status,
    idle: atomOrFalse(u.idle, o.zone),
    last_activity_date: atomOrFalse(u.last_activity_date, o.zone),
    mobile_last_date: atomOrFalse(u.mobile_last_date, o.zone),
    desktop_last_date: atomOrFalse(u.desktop_last_date, o.zone),
    absent: atomOrFalse(u.absent, o.zone),
    departments: JSON.parse(u.departments) as number[],
    phones: u.phone ? { personal_mobile: u.phone } : false,
    bot_data: (u.bot === 1 && o.bots?.get(u.id)) || null,
    type: userType(u),
    website: u.website,
    email: u.email,
  };
}

/** The REST user module's object (user.get, user.current): upper-case keys, ID as a string. */
export function restUser(u: UserRow, o: PresentOptions) {
  return {
    ID: String(u.id),
    XML_ID: null,
    ACTIVE: u.active === 1,
    NAME: u.name,
    LAST_NAME: u.last_name,
    SECOND_NAME: u.second_name,
    EMAIL: u.email,
    LAST_LOGIN: u.last_activity_date ? atom(u.last_activity_date, o.zone) : '',
    DATE_REGISTER: atom(u.date_register, o.zone),
    IS_ONLINE: u.status === 'offline' ? 'N' : 'Y',
    TIME_ZONE: u.time_zone,
    TIME_ZONE_OFFSET: '0',
    TIMESTAMP_X: atom(u.date_register, o.zone),
    LAST_ACTIVITY_DATE: u.last_activity_date ? atom(u.last_activity_date, o.zone) : '',
    PERSONAL_GENDER: u.gender,
    PERSONAL_BIRTHDAY: u.birthday,
    PERSONAL_PHOTO: absoluteUrl(u.avatar, o.publicUrl),
    PERSONAL_MOBILE: u.phone,
    PERSONAL_WWW: u.website,
    WORK_POSITION: u.work_position,
    UF_DEPARTMENT: JSON.parse(u.departments) as number[],
    USER_TYPE: u.extranet ? 'extranet' : 'employee',
  };
}
