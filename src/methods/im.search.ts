// Search: people (im.search.user.list), the caller's chats (im.search.chat.list) and messages of one chat through
// the full-text index (im.dialog.messages.search), with the portal's parameters, limits and codes.
import { chatDialogId, parseDialogId, type DialogRef } from '../app/dialog-id.ts';
import type { App } from '../app/index.ts';
import { Errors } from '../errors.ts';
import { chatTypeName } from '../present/chats.ts';
import { atom } from '../present/dates.ts';
import type { UserRow } from '../store/store.ts';
import { requireDialog } from './im-params.ts';
import { fullChat } from '../present/chats.ts';
import { phpMap } from '../present/php.ts';
import { absoluteUrl, fullName, imUser } from '../present/users.ts';
import { v2Message, v2User } from '../present/v2.ts';
import { USER_TEXT_FIELDS } from '../store/store.ts';
import { imFiles } from './file-views.ts';
import type { Params } from './params.ts';
import { presentOptions, presentOptionsFor } from './present-options.ts';
import { imOffset, ListResult, type MethodDef } from './registry.ts';

/** The words of a search: runs of letters and digits, lower-cased, at most 10 (as the indexes split text). */
export function searchTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}

/** FIND of the im.search.* lists: required and at least 3 characters (FIND_SHORT otherwise, as the portal). */
function findWords(params: Params): string[] {
  const find = (params.string('FIND') ?? '').trim();
  if ([...find].length < 3) throw Errors.method('FIND_SHORT', 'Too short a search phrase.');
  return find.split(/\s+/).filter(Boolean).slice(0, 10);
}

/** LIMIT of the im.search.* lists: 10 when absent, at most 50. */
function searchLimit(params: Params): number {
  const limit = params.int('LIMIT');
  if (limit === undefined || limit <= 0) return 10;
  return Math.min(limit, 50);
}

/** How many recent searches a user keeps. */
const LAST_KEEP = 20;

/** A dialog id as im.search.last.* stores it: chatN, or the peer's user id. */
function dialogKey(ref: DialogRef): string {
  return ref.kind === 'chat' ? chatDialogId(ref.chatId) : String(ref.userId);
}

/** One recent search as the portal lists it: the dialog with its user or a short chat object. */
async function lastSearchItem(app: App, viewer: UserRow, ref: DialogRef, skip: { chat: boolean; dialog: boolean; lines: boolean }) {
  const o = presentOptions(app);
  if (ref.kind === 'user') {
    if (skip.dialog) return undefined;
    const user = await app.store.users.get(ref.userId);
    if (!user) return undefined;
    const oo = await presentOptionsFor(app, [user]);
    return { id: user.id, type: 'user', avatar: { url: absoluteUrl(user.avatar, o.publicUrl), color: user.color }, title: fullName(user), user: imUser(user, oo) };
  }
  const access = await app.chats.resolve(app.store, viewer, ref, false);
  if (!access || !app.chats.canRead(viewer, access)) return undefined;
  const chat = access.chat;
  if (chat.type === 'L' ? skip.lines : skip.chat) return undefined;
  return {
    id: chatDialogId(chat.id),
    type: 'chat',
    avatar: { url: absoluteUrl(chat.avatar, o.publicUrl), color: chat.color },
    title: chat.title,
    chat: {
      id: chat.id,
      name: chat.title,
      owner: chat.owner_id,
      extranet: chat.extranet === 1,
      avatar: absoluteUrl(chat.avatar, o.publicUrl),
      color: chat.color,
      type: chatTypeName(chat),
      entity_type: chat.entity_type,
      entity_id: chat.entity_id,
      entity_data_1: chat.entity_data_1,
      entity_data_2: chat.entity_data_2,
      entity_data_3: chat.entity_data_3,
      mute_list: access.member?.muted ? [viewer.id] : [],
      date_create: atom(chat.date_create, o.zone),
      message_type: chat.type,
    },
  };
}

const MESSAGES_DEFAULT = 50;
const MESSAGES_MAX = 200;

export const imSearchMethods: MethodDef[] = [
  {
    name: 'im.search.last.get',
    scope: 'im',
    params: ['SKIP_OPENLINES', 'SKIP_CHAT', 'SKIP_DIALOG'],
    async handler({ app, auth, params }) {
      const skip = { lines: params.string('SKIP_OPENLINES') === 'Y', chat: params.string('SKIP_CHAT') === 'Y', dialog: params.string('SKIP_DIALOG') === 'Y' };
      const items = [];
      for (const key of await app.store.searchLast.list(auth.user.id, LAST_KEEP)) {
        const ref = parseDialogId(key);
        const item = ref && (await lastSearchItem(app, auth.user, ref, skip));
        if (item) items.push(item);
      }
      return items;
    },
  },
  {
    name: 'im.search.last.add',
    scope: 'im',
    params: ['DIALOG_ID'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      // Only a dialog the user could open is remembered.
      if (!(await lastSearchItem(app, auth.user, ref, { chat: false, dialog: false, lines: false }))) return false;
      await app.store.searchLast.add(auth.user.id, dialogKey(ref), app.clock(), LAST_KEEP);
      return true;
    },
  },
  {
    name: 'im.search.last.delete',
    scope: 'im',
    params: ['DIALOG_ID'],
    async handler({ app, auth, params }) {
      return app.store.searchLast.remove(auth.user.id, dialogKey(requireDialog(params)));
    },
  },
  {
    name: 'im.search.user.list',
    scope: 'im',
    params: ['FIND', 'BUSINESS', 'OFFSET', 'LIMIT', 'AVATAR_HR'],
    async handler({ app, params, start }) {
      const query = { activeOnly: true, words: [{ fields: USER_TEXT_FIELDS, words: findWords(params) }] };
      const offset = imOffset(start, params.int('OFFSET'));
      const total = await app.store.users.count(query);
      const rows = total > 0 ? await app.store.users.list({ ...query, offset, limit: searchLimit(params) }) : [];
      const o = await presentOptionsFor(app, rows);
      // Keyed by user id, as the portal's getList answers it.
      const result = phpMap(Object.fromEntries(rows.map((u) => [u.id, imUser(u, o)])));
      return ListResult.page(rows, total, offset, result);
    },
  },
  {
    name: 'im.search.chat.list',
    scope: 'im',
    params: ['FIND', 'FIND_LINES', 'OFFSET', 'LIMIT'],
    async handler({ app, auth, params, start }) {
      const types = params.string('FIND_LINES') === 'Y' ? ['C', 'O', 'L'] : ['C', 'O'];
      const query = { userId: auth.user.id, words: findWords(params), types, offset: imOffset(start, params.int('OFFSET')), limit: searchLimit(params) };
      const total = await app.store.chats.countSearchOfMember(query);
      const chats = total > 0 ? await app.store.chats.searchOfMember(query) : [];
      const o = presentOptions(app);
      const items = [];
      for (const chat of chats) {
        const members = await app.store.members.list(chat.id);
        items.push(fullChat(chat, members.find((m) => m.user_id === auth.user.id), members, 0, o));
      }
      return ListResult.page(items, total, query.offset);
    },
  },
  {
    name: 'im.dialog.messages.search',
    scope: 'im',
    params: ['CHAT_ID', 'SEARCH_MESSAGE', 'DATE_FROM', 'DATE_TO', 'DATE', 'ORDER', 'LIMIT', 'LAST_ID'],
    async handler({ app, auth, params }) {
      const chatId = params.int('CHAT_ID');
      if (chatId === undefined || chatId <= 0) throw Errors.method('CHAT_ID_EMPTY', 'CHAT_ID can`t be empty');
      const access = await app.chats.resolve(app.store, auth.user, { kind: 'chat', chatId }, false);
      if (!access || !app.chats.canRead(auth.user, access)) throw Errors.method('ACCESS_ERROR', 'You do not have access to this chat', 403);
      // The portal searches text only for a phrase longer than 2 characters.
      const phrase = (params.string('SEARCH_MESSAGE') ?? '').trim();
      const words = [...phrase].length > 2 ? searchTerms(phrase) : [];
      if ([...phrase].length > 2 && words.length === 0) return emptySearch();
      const day = params.date('DATE');
      const from = day ?? params.date('DATE_FROM');
      const dateTo = params.date('DATE_TO');
      // DATE is a whole day; DATE_TO includes its own second.
      const to = day !== undefined ? day + 86400 : dateTo === undefined ? undefined : dateTo + 1;
      const order = params.structure('ORDER') as Record<string, unknown> | undefined;
      const ascending = typeof order?.ID === 'string' && order.ID.toUpperCase() === 'ASC';
      let limit = params.int('LIMIT') ?? MESSAGES_DEFAULT;
      if (limit <= 0) limit = MESSAGES_DEFAULT;
      limit = Math.min(limit, MESSAGES_MAX);
      const lastId = params.int('LAST_ID');
      const cursor = lastId !== undefined && lastId > 0 ? (ascending ? { afterId: lastId } : { beforeId: lastId }) : {};
      const messages = await app.store.messages.search({
        chatId: access.chat.id,
        fromSeq: access.member?.start_seq ?? 0,
        words,
        from,
        to,
        ascending,
        limit,
        ...cursor,
      });
      const authors = await app.store.users.getMany([...new Set(messages.map((m) => m.author_id).filter((id) => id > 0))]);
      const o = await presentOptionsFor(app, authors);
      const files = await app.files.ofMessages(messages.filter((m) => m.has_file).map((m) => m.id));
      return {
        ...emptySearch(),
        users: authors.map((u) => v2User(u, o)),
        files: await imFiles(app, files, auth.user.id),
        messages: messages.map((m) => ({ ...v2Message(m, o, m.notify_read === 1), chat_id: m.chat_id, author_id: m.author_id })),
      };
    },
  },
];

/** The answer's shape with nothing found (the portal's RestAdapter fields b24im has no data for stay empty). */
function emptySearch() {
  return {
    users: [] as unknown[],
    files: [] as unknown[],
    additionalMessages: [],
    copilot: null,
    stickers: [],
    reactions: [],
    tariffRestrictions: { isHistoryLimitExceeded: false },
    usersShort: [],
    messages: [] as unknown[],
  };
}
