// Bots 2.0 objects (imbot.v2 / im.v2 answers and ONIMBOTV2* / ONIMV2* events): camelCase keys, JSON types, ATOM
// dates in the portal's zone. One model serves both APIs: these shape the same rows the classic presenters shape.
import type { BotRow, ChatRow, MessageRow, UserRow } from '../store/store.ts';
import { atom, atomOrFalse } from './dates.ts';
import { messageParams } from './messages.ts';
import { absoluteUrl, fullName, type PresentOptions } from './users.ts';

/** Classic type letters and 2.0 type names. */
const TYPE_NAMES: Record<string, string> = { B: 'bot', H: 'bot', N: 'network', O: 'openline', S: 'supervisor' };

export function v2TypeName(bot: BotRow): string {
  return bot.v2_type || TYPE_NAMES[bot.type] || 'bot';
}

export interface BotCounts {
  commands: number;
  chats: number;
  users: number;
}

/** The Bot object: the short (public) form, or the extended one its owner sees. */
export function v2Bot(bot: BotRow, language: string, owner?: BotCounts) {
  const base = {
    id: bot.id,
    code: bot.code,
    type: v2TypeName(bot),
    isHidden: bot.hidden === 1,
    isSupportOpenline: bot.openline === 1,
    isReactionsEnabled: bot.reactions === 1,
    backgroundId: bot.background_id ?? null,
    language,
  };
  if (!owner) return base;
  return {
    ...base,
    moduleId: 'rest',
    eventMode: bot.event_mode || 'webhook',
    countMessage: bot.count_message,
    countCommand: owner.commands,
    countChat: owner.chats,
    countUser: owner.users,
  };
}

function userTypeName(u: UserRow): string {
  if (u.bot) return 'bot';
  if (u.extranet) return 'extranet';
  if (u.external_auth_id === 'email') return 'email';
  return 'employee';
}

/** The User object. In events the presence fields are always false (entities.md). */
export function v2User(u: UserRow, o: PresentOptions, inEvent = false) {
  const when = (ts: number | null) => (inEvent ? false : atomOrFalse(ts, o.zone));
  return {
    id: u.id,
    active: u.active === 1,
    name: fullName(u),
    firstName: u.name,
    lastName: u.last_name,
    workPosition: u.work_position,
    color: u.color,
    avatar: absoluteUrl(u.avatar, o.publicUrl),
    gender: u.gender,
    birthday: u.birthday,
    extranet: u.extranet === 1,
    bot: u.bot === 1,
    connector: u.connector === 1,
    externalAuthId: u.external_auth_id,
    status: u.status,
    idle: when(u.idle),
    lastActivityDate: when(u.last_activity_date),
    mobileLastDate: when(u.mobile_last_date),
    desktopLastDate: when(u.desktop_last_date),
    absent: atomOrFalse(u.absent, o.zone),
    departments: JSON.parse(u.departments) as number[],
    phones: u.phone ? { personalMobile: u.phone } : false,
    type: userTypeName(u),
    website: u.website,
    email: u.email,
  };
}

const CHAT_TYPES: Record<string, string> = { P: 'private', C: 'chat', O: 'open', L: 'lines', N: 'channel' };

/** The peer of a one-to-one dialog (dialog_key "min:max") seen from `viewerId`. */
function peer(chat: ChatRow, viewerId: number): number {
  const [a, b] = (chat.dialog_key ?? '').split(':').map(Number);
  return a === viewerId ? b : a;
}

/** A dialog id as `viewerId` addresses it: the other user of a one-to-one dialog, chatN otherwise. */
export function v2DialogId(chat: ChatRow, viewerId: number): string {
  return chat.type === 'P' ? String(peer(chat, viewerId)) : `chat${chat.id}`;
}

/** The Chat object as events carry it (no viewer-dependent role or muteList). */
export function v2EventChat(chat: ChatRow, viewerId: number, o: PresentOptions) {
  return {
    id: chat.id,
    dialogId: v2DialogId(chat, viewerId),
    name: chat.title,
    type: CHAT_TYPES[chat.type] ?? 'chat',
    messageType: chat.type,
    owner: chat.owner_id,
    color: chat.color || null,
    avatar: absoluteUrl(chat.avatar, o.publicUrl),
    description: chat.description,
    extranet: chat.extranet === 1,
    containsCollaber: false,
    entityType: chat.entity_type,
    entityId: chat.entity_id,
    entityData1: chat.entity_data_1,
    entityData2: chat.entity_data_2,
    entityData3: chat.entity_data_3,
    diskFolderId: null,
    parentChatId: null,
    parentMessageId: null,
    isNew: false,
    textFieldEnabled: 'Y',
    backgroundId: null,
  };
}

/** The Message object. */
export function v2Message(m: MessageRow, o: PresentOptions, viewedByOthers: boolean) {
  const params = messageParams(m);
  return {
    id: m.id,
    chatId: m.chat_id,
    authorId: m.author_id,
    date: atom(m.date, o.zone),
    text: m.text,
    isSystem: m.system === 1,
    uuid: m.uuid ?? '',
    forward: null,
    params: Object.keys(params).length === 0 ? {} : params,
    viewedByOthers,
  };
}

export interface ChatViewer {
  member: { user_id: number; role: string; read_message_id: number } | undefined;
  members: { user_id: number; role: string; muted: number }[];
  viewerId: number;
}

/** The Chat object as methods answer it: the event form plus the viewer's role and the chat's lists and counts. */
export function v2Chat(chat: ChatRow, v: ChatViewer, o: PresentOptions, textFieldEnabled = true) {
  const role = !v.member ? 'none' : chat.owner_id === v.viewerId ? 'owner' : v.member.role === 'MANAGER' ? 'manager' : 'member';
  return {
    ...v2EventChat(chat, v.viewerId, o),
    role,
    entityLink: {},
    permissions: {},
    muteList: v.members.filter((m) => m.muted === 1).map((m) => m.user_id),
    textFieldEnabled: textFieldEnabled ? 'Y' : 'N',
    dateCreate: atom(chat.date_create, o.zone),
    lastMessageId: chat.last_message_id || null,
    lastMessageViews: '{}',
    lastId: v.member?.read_message_id || null,
    managerList: v.members.filter((m) => m.role === 'MANAGER' && m.user_id !== chat.owner_id).map((m) => m.user_id),
    markedId: null,
    messageCount: chat.last_seq,
    public: '',
    unreadId: null,
    userCounter: chat.member_count,
  };
}

interface CommandRow {
  id: number;
  bot_id: number;
  command: string;
  common: number;
  hidden: number;
  extranet_support: number;
  lang: string;
}

/** A text of a command's language set in the portal's language, else English, else the first one. */
function localized(lang: { LANGUAGE_ID: string; TITLE: string; PARAMS: string }[], language: string, key: 'TITLE' | 'PARAMS'): string {
  const pick = lang.find((l) => l.LANGUAGE_ID === language) ?? lang.find((l) => l.LANGUAGE_ID === 'en') ?? lang[0];
  return pick ? pick[key] : '';
}

/** The Command object: the short form (register / update) or the full one (list) with titles and category. */
export function v2Command(c: CommandRow, full?: { language: string; category: string }) {
  const base = {
    id: c.id,
    botId: c.bot_id,
    command: `/${c.command}`,
    common: c.common === 1,
    hidden: c.hidden === 1,
    extranetSupport: c.extranet_support === 1,
  };
  if (!full) return base;
  const lang = JSON.parse(c.lang) as { LANGUAGE_ID: string; TITLE: string; PARAMS: string }[];
  return {
    id: base.id,
    botId: base.botId,
    command: base.command,
    title: localized(lang, full.language, 'TITLE'),
    params: localized(lang, full.language, 'PARAMS'),
    common: base.common,
    hidden: base.hidden,
    extranetSupport: base.extranetSupport,
    category: full.category,
    context: '',
  };
}
