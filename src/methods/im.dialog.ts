// im.dialog.*: one dialog or chat as the current user sees it, its history and read state.
import { chatDialogId } from '../app/dialog-id.ts';
import { DIALOG_MESSAGES_PAGE } from '../app/limits.ts';
import { unreadCounter } from '../app/reads.ts';
import { Errors } from '../errors.ts';
import { fullChat } from '../present/chats.ts';
import { historyMessage } from '../present/messages.ts';
import { imUser } from '../present/users.ts';
import { requireDialog } from './im-params.ts';
import { imFiles } from './file-views.ts';
import { intWithin, SAFE_INT } from './intval.ts';
import type { Params } from './params.ts';
import { presentOptions, presentOptionsFor } from './present-options.ts';
import type { MethodDef } from './registry.ts';

const HISTORY_DEFAULT = DIALOG_MESSAGES_PAGE.default;
const HISTORY_MAX = DIALOG_MESSAGES_PAGE.max;

/** LAST_ID / FIRST_ID: numbers, or the documented *_STRING errors. */
function cursor(params: Params, name: 'LAST_ID' | 'FIRST_ID'): number | undefined {
  if (!params.has(name)) return undefined;
  const raw = params.raw(name);
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d+$/.test(text)) throw Errors.method(`${name}_STRING`, `${name === 'LAST_ID' ? 'Last' : 'First'} ID can't be string`);
  const n = intWithin(text, SAFE_INT);
  return n > 0 ? n : undefined;
}

export const imDialogMethods: MethodDef[] = [
  {
    name: 'im.dialog.get',
    scope: 'im',
    params: ['DIALOG_ID'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const access = await app.store.transaction((tx) => app.chats.resolve(tx, auth.user, ref, ref.kind === 'user'));
      if (!access || !app.chats.canRead(auth.user, access)) {
        throw Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
      }
      const { chat, member } = access;
      const members = await app.store.members.list(chat.id);
      const counter = member ? await unreadCounter(app.store, member, chat) : 0;
      return {
        ...fullChat(chat, member, members, counter, presentOptions(app)),
        readed_list: [],
        is_new: false,
        last_message_views: { message_id: chat.last_message_id, first_viewers: [], count_of_viewers: 0 },
        dialog_id: ref.kind === 'user' ? String(ref.userId) : chatDialogId(chat.id),
      };
    },
  },
  {
    name: 'im.dialog.messages.get',
    scope: 'im',
    params: ['DIALOG_ID', 'LAST_ID', 'FIRST_ID', 'LIMIT'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const lastId = cursor(params, 'LAST_ID');
      const firstId = cursor(params, 'FIRST_ID');
      let limit = params.int('LIMIT') ?? HISTORY_DEFAULT;
      if (limit <= 0) limit = HISTORY_DEFAULT;
      if (limit > HISTORY_MAX) {
        params.fallback('LIMIT', `LIMIT is at most ${HISTORY_MAX}`);
        limit = HISTORY_MAX;
      }
      const page = await app.messages.history(auth.user, ref, { beforeId: firstId === undefined ? lastId : undefined, afterId: firstId, limit });
      if (!page) return { chat_id: 0, messages: [], users: [], files: [] };
      const member = await app.store.members.get(page.chat.id, auth.user.id);
      const messages = [...page.messages].sort((a, b) => b.id - a.id);
      const authors = await app.store.users.getMany(messages.map((m) => m.author_id).filter((id) => id > 0));
      const o = await presentOptionsFor(app, authors);
      const files = await app.files.ofMessages(messages.filter((m) => m.has_file && !m.deleted).map((m) => m.id));
      return {
        chat_id: page.chat.id,
        messages: messages.map((m) => historyMessage(m, member, app.config.timezone)),
        users: authors.map((u) => imUser(u, o)),
        files: await imFiles(app, files, auth.user.id),
      };
    },
  },
  {
    name: 'im.dialog.read',
    scope: 'im',
    params: ['DIALOG_ID', 'MESSAGE_ID', 'LAST_ID'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const messageId = params.int('MESSAGE_ID', SAFE_INT) ?? params.int('LAST_ID', SAFE_INT);
      const read = await app.reads.read(auth.user, ref, messageId !== undefined && messageId > 0 ? messageId : undefined);
      if (!read) return false;
      return {
        dialogId: ref.kind === 'user' ? String(ref.userId) : chatDialogId(read.chat.id),
        chatId: read.chat.id,
        lastId: read.lastId,
        counter: read.counter,
      };
    },
  },
  {
    name: 'im.dialog.unread',
    scope: 'im',
    params: ['DIALOG_ID', 'MESSAGE_ID'],
    async handler({ app, auth, params }) {
      const messageId = params.int('MESSAGE_ID', SAFE_INT) ?? 0;
      if (messageId <= 0) throw Errors.method('MESSAGE_ID_ERROR', 'First unread message id can\'t be empty');
      return app.reads.markUnreadFrom(auth.user, requireDialog(params), messageId);
    },
  },
  {
    name: 'im.dialog.read.all',
    scope: 'im',
    params: [],
    async handler({ app, auth }) {
      await app.reads.readAll(auth.user);
      return true;
    },
  },
];
