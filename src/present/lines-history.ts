// imopenlines.session.history.get: a session's messages with their authors and chat, in the shape a portal's
// Rest::objectEncode gives (keys folded: UPPER_SNAKE to camelCase, camelCase to lower case).
import type { SessionHistory } from '../app/lines-session-modes.ts';
import type { MessageRow, UserRow } from '../store/store.ts';
import { PERMISSIONS } from './chats.ts';
import { atom, atomOrFalse } from './dates.ts';
import { notificationHtml } from './notifications.ts';
import { absoluteUrl, fullName, userType, type PresentOptions } from './users.ts';

/** A portal's key folding: lower case, then each "_x" becomes "X" (so CONNECTOR_MID is connectorMid, chatId chatid). */
function foldKey(key: string): string {
  return key.toLowerCase().replace(/_+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

/** Folds every key of an object tree (list indexes stay as they are). */
export function foldKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(foldKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [foldKey(k), foldKeys(v)]));
  return value;
}

function historyMessage(m: MessageRow, zone: string) {
  return {
    id: String(m.id),
    chatid: String(m.chat_id),
    senderid: String(m.author_id),
    recipientid: `chat${m.chat_id}`,
    date: atom(m.date, zone),
    text: m.text,
    textlegacy: notificationHtml(m.text),
    params: foldKeys(JSON.parse(m.params)),
  };
}

function historyUser(u: UserRow, o: PresentOptions) {
  return {
    id: String(u.id),
    name: fullName(u),
    active: u.active === 1,
    firstName: u.name,
    lastName: u.last_name,
    workPosition: u.work_position || null,
    color: u.color,
    avatar: absoluteUrl(u.avatar, o.publicUrl),
    avatarId: null,
    birthday: u.birthday || false,
    gender: u.gender,
    phoneDevice: false,
    phones: u.phone ? { personalMobile: u.phone } : false,
    extranet: u.extranet === 1,
    network: u.network === 1,
    bot: u.bot === 1,
    connector: u.connector === 1,
    profile: '',
    externalAuthId: u.external_auth_id,
    status: u.status || null,
    idle: atomOrFalse(u.idle, o.zone),
    lastActivityDate: atomOrFalse(u.last_activity_date, o.zone),
    mobileLastDate: atomOrFalse(u.mobile_last_date, o.zone),
    desktopLastDate: atomOrFalse(u.desktop_last_date, o.zone),
    departments: JSON.parse(u.departments) as number[],
    absent: atomOrFalse(u.absent, o.zone),
    type: userType(u),
    services: null,
    botData: null,
  };
}

/** The answer; `files` are the messages' files as im objects (by id). */
export function sessionHistory(h: SessionHistory, files: Record<string, unknown>, o: PresentOptions) {
  const { session, chat, members } = h;
  const chatKey = String(chat.id);
  const byId = <T>(entries: [string | number, T][]): Record<string, T> | [] => (entries.length ? Object.fromEntries(entries) : []);
  const groups = new Map<number, string[]>();
  for (const u of h.authors) for (const d of JSON.parse(u.departments) as number[]) groups.set(d, [...(groups.get(d) ?? []), String(u.id)]);
  return {
    chatId: chat.id,
    canJoin: h.canJoin ? 'Y' : 'N',
    canVoteHead: h.canVoteHead ? 'Y' : 'N',
    sessionId: session.id,
    sessionVoteHead: session.vote_head,
    sessionCommentHead: session.comment_head,
    userId: `chat${chat.id}`,
    message: byId(h.messages.map((m) => [m.id, historyMessage(m, o.zone)])),
    usersMessage: h.messages.length ? { [`chat${chat.id}`]: h.messages.map((m) => String(m.id)) } : [],
    users: byId(h.authors.map((u) => [u.id, historyUser(u, o)])),
    openlines: { canvoteashead: { [String(session.line_id)]: h.canVoteHead } },
    userInGroup: byId([...groups].map(([id, users]) => [id, { id, users }])),
    woUserInGroup: [],
    chat: {
      [chatKey]: {
        id: chatKey,
        parentChatId: 0,
        parentMessageId: 0,
        name: chat.title,
        owner: String(chat.owner_id),
        color: chat.color,
        extranet: chat.extranet === 1,
        avatar: absoluteUrl(chat.avatar, o.publicUrl),
        call: '0',
        callNumber: '',
        entityType: chat.entity_type,
        entityId: chat.entity_id,
        entityData1: chat.entity_data_1,
        entityData2: chat.entity_data_2,
        entityData3: chat.entity_data_3,
        messageCount: chat.last_seq,
        public: '',
        muteList: Object.fromEntries(members.map((m) => [String(m.user_id), m.muted === 1])),
        managerList: members.filter((m) => m.role === 'OWNER' || m.role === 'MANAGER' || m.user_id === chat.owner_id).map((m) => m.user_id),
        dateCreate: atom(chat.date_create, o.zone),
        type: 'lines',
        entityLink: { type: 'LINES', url: '', id: chat.entity_id },
        permissions: foldKeys(PERMISSIONS),
        textFieldEnabled: chat.text_field !== 0,
        backgroundId: null,
        messageType: chat.type,
        isNew: false,
      },
    },
    userBlockChat: { [chatKey]: Object.fromEntries(members.map((m) => [String(m.user_id), false])) },
    userInChat: { [chatKey]: members.map((m) => m.user_id) },
    files: Object.keys(files).length ? foldKeys(files) : [],
  };
}
