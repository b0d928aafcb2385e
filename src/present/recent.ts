// Recent items in the typed modern shape, a superset of the seed page (decisions 1-4, 9, 10).
import type { RecentItem } from '../app/recent.ts';
import type { UserRow } from '../store/store.ts';
import { recentChat } from './chats.ts';
import { atom } from './dates.ts';
import { previewText } from './text.ts';
import { absoluteUrl, fullName, imUser, type PresentOptions } from './users.ts';

export interface RecentPresentOptions extends PresentOptions {
  lang: 'en' | 'ru';
  /** im.recent.list GET_ORIGINAL_TEXT=Y: the stored text, with only short mentions filled with names. */
  originalText?: boolean;
}

/** The user object inside a recent item: the portal forces these dates to false there. */
function recentUser(u: UserRow, o: PresentOptions) {
  return { ...imUser(u, o), idle: false, mobile_last_date: false, desktop_last_date: false };
}

function recentMessage(item: RecentItem, o: RecentPresentOptions) {
  const m = item.message;
  if (!m) {
    return { id: 0, text: '', file: false, author_id: 0, attach: false, sticker: null, date: atom(item.dateUpdate, o.zone), status: 'received' };
  }
  const userName = (id: number) => {
    const u = item.users.get(id);
    return u ? fullName(u) : undefined;
  };
  const text = o.originalText
    ? m.text.replace(/\[user=(\d+)\]\[\/user\]/gi, (all, id: string) => `[USER=${id} REPLACE]${userName(Number(id)) ?? ''}[/USER]`)
    : previewText(m.text, { hasFile: m.has_file === 1, hasAttach: m.has_attach === 1, lang: o.lang, userName });
  return {
    id: m.id,
    text,
    file: m.has_file === 1,
    author_id: m.author_id,
    attach: m.has_attach === 1,
    sticker: null,
    date: atom(m.date, o.zone),
    status: m.notify_read ? 'delivered' : 'received',
    uuid: m.uuid,
  };
}

export function recentItem(item: RecentItem, o: RecentPresentOptions) {
  const { chat, member } = item;
  const isUser = chat.type === 'P';
  const peer = item.peer;
  const title = isUser ? (peer ? fullName(peer) : '') : chat.title;
  const out: Record<string, unknown> = {
    id: isUser ? member.item_id : `chat${chat.id}`,
    chat_id: chat.id,
    type: isUser ? 'user' : 'chat',
    avatar: {
      url: absoluteUrl(isUser ? (peer?.avatar ?? '') : chat.avatar, o.publicUrl),
      color: isUser ? (peer?.color ?? '') : chat.color,
    },
    title,
    message: recentMessage(item, o),
  };
  if (item.counter !== undefined) out.counter = item.counter;
  Object.assign(out, {
    last_id: member.read_message_id,
    pinned: member.pinned === 1,
    unread: member.unread === 1,
    has_reminder: false,
    date: atom(item.message?.date ?? item.dateUpdate, o.zone),
    date_update: atom(item.dateUpdate, o.zone),
    date_last_activity: atom(item.dateLastActivity, o.zone),
  });
  if (isUser) {
    out.user = peer ? recentUser(peer, o) : { id: member.item_id };
    out.chat = { text_field_enabled: true, background_id: null, mute_list: member.muted ? { [member.user_id]: true } : [] };
  } else {
    out.chat = recentChat(chat, member, o);
    out.user = item.author ? recentUser(item.author, o) : { id: 0 };
  }
  if (chat.entity_type === 'LINES') {
    // The open line's current session; a LINES chat made by im.chat.add has none.
    const s = item.session;
    out.lines = { id: s?.id ?? 0, status: s?.status ?? 0, date_create: atom(s?.date_create ?? chat.date_create, o.zone) };
  }
  out.options = [];
  return out;
}
