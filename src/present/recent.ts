// Recent items in the typed modern shape, a superset of the seed page (decisions 1-4, 9, 10), written straight into
// JSON text: the list is the hottest answer, and building objects for JSON.stringify cost as much as reading them.
// Keys are written in the portal's order; JSON.stringify only quotes strings. test/recent-cold.test.ts holds the
// object presenter this replaced and checks every byte against it.
import type { RecentItem } from '../app/recent.ts';
import type { RecentUser, RecentView } from '../store/store.ts';
import { chatTypeName, PERMISSIONS, restrictions, roleOf } from './chats.ts';
import { atom } from './dates.ts';
import { previewText } from './text.ts';
import { absoluteUrl, fullName, userType, type PresentOptions } from './users.ts';

export interface RecentPresentOptions extends PresentOptions {
  lang: 'en' | 'ru';
  /** im.recent.list GET_ORIGINAL_TEXT=Y: the stored text, with only short mentions filled with names. */
  originalText?: boolean;
}

/** Characters JSON.stringify escapes (and any surrogate, to leave pairs to it too). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
/** JSON.stringify of a string (or null), without its cost for the common string that needs no escape. */
function str(s: string | null): string {
  if (s === null) return 'null';
  return s === '' ? '""' : ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}
const PERMISSIONS_JSON = JSON.stringify(PERMISSIONS);
const RESTRICTIONS_JSON = { lines: JSON.stringify(restrictions({ type: 'L' })), other: JSON.stringify(restrictions({ type: 'C' })) };
/** departments as stored ("[1,5]"), when JSON.stringify(JSON.parse(...)) would give the same text. */
const PLAIN_IDS = /^\[(?:[1-9]\d{0,14}(?:,[1-9]\d{0,14})*)?\]$/;

function dateOrFalse(ts: number | null, zone: string): string {
  return ts === null ? 'false' : `"${atom(ts, zone)}"`;
}

/** The im user object inside a recent item: imUser's keys, with the presence dates the portal forces to false there. */
function userJson(u: RecentUser, o: PresentOptions): string {
  const avatar = str(absoluteUrl(u.avatar, o.publicUrl));
  const departments = PLAIN_IDS.test(u.departments) ? u.departments : JSON.stringify(JSON.parse(u.departments));
  return (
    `{"id":${u.id},"active":${u.active === 1},"name":${str(fullName(u))},"first_name":${str(u.name)},"last_name":${str(u.last_name)}` +
    `,"work_position":${str(u.work_position)},"color":${str(u.color)},"avatar":${avatar},"avatar_hr":${avatar}` +
    `,"gender":${str(u.gender)},"birthday":${str(u.birthday)},"extranet":${u.extranet === 1},"network":${u.network === 1}` +
    `,"bot":${u.bot === 1},"connector":${u.connector === 1},"external_auth_id":${str(u.external_auth_id)},"status":${str(u.status)}` +
    `,"idle":false,"last_activity_date":${dateOrFalse(u.last_activity_date, o.zone)},"mobile_last_date":false,"desktop_last_date":false` +
    `,"absent":${dateOrFalse(u.absent, o.zone)},"departments":${departments}` +
    `,"phones":${u.phone ? `{"personal_mobile":${str(u.phone)}}` : 'false'},"bot_data":null,"type":"${userType(u)}"` +
    `,"website":${str(u.website)},"email":${str(u.email)}}`
  );
}

function messageJson(item: RecentItem, o: RecentPresentOptions): string {
  const m = item.message;
  if (!m) return `{"id":0,"text":"","file":false,"author_id":0,"attach":false,"sticker":null,"date":"${atom(item.dateUpdate, o.zone)}","status":"received"}`;
  // Only markup can mention anyone: no closure for the plain texts of most messages.
  const userName = m.text.includes('[')
    ? (id: number) => {
        const u = item.mentioned.get(id);
        return u ? fullName(u) : undefined;
      }
    : undefined;
  const text = o.originalText
    ? m.text.replace(/\[user=(\d+)\]\[\/user\]/gi, (_all, id: string) => `[USER=${id} REPLACE]${userName?.(Number(id)) ?? ''}[/USER]`)
    : previewText(m.text, { hasFile: m.has_file === 1, hasAttach: m.has_attach === 1, lang: o.lang, userName });
  return (
    `{"id":${m.id},"text":${str(text)},"file":${m.has_file === 1},"author_id":${m.author_id},"attach":${m.has_attach === 1}` +
    `,"sticker":null,"date":"${atom(m.date, o.zone)}","status":"${m.notify_read ? 'delivered' : 'received'}","uuid":${str(m.uuid)}}`
  );
}

/** mute_list and manager_list only ever name the current user; an empty PHP map is []. */
function muteList(member: RecentView['member']): string {
  return member.muted ? `{"${member.user_id}":true}` : '[]';
}

/** The chat object of a chat item. */
function chatJson(item: RecentItem, o: PresentOptions): string {
  const { chat, member } = item;
  const role = roleOf(chat, member);
  const title = str(chat.title);
  return (
    `{"id":${chat.id},"parent_chat_id":0,"parent_message_id":0,"name":${title},"title":${title},"owner":${chat.owner_id}` +
    `,"extranet":${chat.extranet === 1},"contains_collaber":false,"avatar":${str(absoluteUrl(chat.avatar, o.publicUrl))}` +
    `,"color":${str(chat.color)},"type":"${chatTypeName(chat)}","entity_type":${str(chat.entity_type)},"entity_id":${str(chat.entity_id)}` +
    `,"entity_data_1":${str(chat.entity_data_1)},"entity_data_2":${str(chat.entity_data_2)},"entity_data_3":${str(chat.entity_data_3)}` +
    `,"mute_list":${muteList(member)},"manager_list":${role === 'OWNER' || role === 'MANAGER' ? `[${member.user_id}]` : '[]'}` +
    `,"date_create":"${atom(chat.date_create, o.zone)}","message_type":${str(chat.type)},"user_counter":${chat.member_count}` +
    `,"restrictions":${chat.type === 'L' ? RESTRICTIONS_JSON.lines : RESTRICTIONS_JSON.other},"role":"${role}","text_field_enabled":true` +
    `,"background_id":null,"entity_link":{"type":"","url":"","id":""},"permissions":${PERMISSIONS_JSON},"public":""}`
  );
}

function itemJson(item: RecentItem, o: RecentPresentOptions): string {
  const { chat, member, user } = item;
  const zone = o.zone;
  let s: string;
  if (chat.type === 'P') {
    s =
      `{"id":${member.item_id},"chat_id":${chat.id},"type":"user","avatar":{"url":${str(user ? absoluteUrl(user.avatar, o.publicUrl) : '')}` +
      `,"color":${str(user ? user.color : '')}},"title":${str(user ? fullName(user) : '')}`;
  } else {
    s = `{"id":"chat${chat.id}","chat_id":${chat.id},"type":"chat","avatar":{"url":${str(absoluteUrl(chat.avatar, o.publicUrl))},"color":${str(chat.color)}},"title":${str(chat.title)}`;
  }
  s += `,"message":${messageJson(item, o)}`;
  if (item.counter !== undefined) s += `,"counter":${item.counter}`;
  s +=
    `,"last_id":${member.read_message_id},"pinned":${member.pinned === 1},"unread":${member.unread === 1},"has_reminder":false` +
    `,"date":"${atom(item.message?.date ?? item.dateUpdate, zone)}","date_update":"${atom(item.dateUpdate, zone)}"` +
    `,"date_last_activity":"${atom(item.dateLastActivity, zone)}"`;
  if (chat.type === 'P') {
    s += `,"user":${user ? userJson(user, o) : `{"id":${member.item_id}}`},"chat":{"text_field_enabled":true,"background_id":null,"mute_list":${muteList(member)}}`;
  } else {
    s += `,"chat":${chatJson(item, o)},"user":${user ? userJson(user, o) : '{"id":0}'}`;
  }
  if (chat.entity_type === 'LINES') {
    // The open line's current session; a LINES chat made by im.chat.add has none.
    const ses = item.session;
    s += `,"lines":{"id":${ses?.id ?? 0},"status":${JSON.stringify(ses?.status ?? 0)},"date_create":"${atom(ses?.date_create ?? chat.date_create, zone)}"}`;
  }
  return `${s},"options":[]}`;
}

/** The items as a JSON array. */
export function recentItemsJson(items: readonly RecentItem[], o: RecentPresentOptions): string {
  if (items.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < items.length; i++) s += (i ? ',' : '') + itemJson(items[i], o);
  return `${s}]`;
}
