// im.chat.*: group chats and their members.
import { parseColor } from '../app/colors.ts';
import { avatarDataUrl } from '../app/avatars.ts';
import { Errors } from '../errors.ts';
import { fullChat } from '../present/chats.ts';
import { imUser } from '../present/users.ts';
import { unreadCounter } from '../app/reads.ts';
import { requireChatId, requireChatTarget, requireDialog, requireUserId } from './im-params.ts';
import { presentOptions, presentOptionsFor } from './present-options.ts';
import { imLimit, imOffset, ListResult, type MethodDef } from './registry.ts';
import { skippedUserTypes } from '../app/user-types.ts';

export const imChatMethods: MethodDef[] = [
  {
    name: 'im.chat.add',
    scope: 'im',
    params: ['TYPE', 'TITLE', 'DESCRIPTION', 'COLOR', 'MESSAGE', 'USERS', 'AVATAR', 'ENTITY_TYPE', 'ENTITY_ID', 'OWNER_ID', 'COPILOT_MAIN_ROLE'],
    async handler({ app, auth, params }) {
      const typeRaw = (params.string('TYPE') ?? 'CHAT').toUpperCase();
      if (typeRaw !== 'CHAT' && typeRaw !== 'OPEN') params.fallback('TYPE', 'TYPE must be CHAT or OPEN');
      let color: string | undefined;
      if (params.has('COLOR')) {
        color = parseColor(params.string('COLOR') ?? '');
        if (!color) params.fallback('COLOR', 'Unknown COLOR');
      }
      return app.chats.createGroup(auth.user, {
        type: typeRaw === 'OPEN' ? 'O' : 'C',
        title: params.string('TITLE'),
        description: params.string('DESCRIPTION'),
        color,
        userIds: params.intList('USERS'),
        ownerId: params.int('OWNER_ID'),
        entityType: params.string('ENTITY_TYPE'),
        entityId: params.string('ENTITY_ID'),
        message: params.string('MESSAGE'),
        avatar: params.has('AVATAR') ? avatarDataUrl(params.string('AVATAR') ?? '') : undefined,
      });
    },
  },
  {
    name: 'im.chat.get',
    scope: 'im',
    params: ['DIALOG_ID', 'ENTITY_TYPE', 'ENTITY_ID', 'CHAT_ID'],
    async handler({ app, auth, params }) {
      // As documented: DIALOG_ID gives the chat (with dialog_id), ENTITY_TYPE + ENTITY_ID its id only.
      if (params.has('DIALOG_ID')) {
        const ref = requireDialog(params);
        const access = await app.chats.resolve(app.store, auth.user, ref, false);
        if (!access || !app.chats.canRead(auth.user, access)) throw Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
        const { chat, member } = access;
        const counter = member ? await unreadCounter(app.store, member, chat) : 0;
        return { ...fullChat(chat, member, await app.store.members.list(chat.id), counter, presentOptions(app)), dialog_id: params.string('DIALOG_ID') };
      }
      const entityType = params.string('ENTITY_TYPE') ?? '';
      const entityId = params.string('ENTITY_ID') ?? '';
      if (entityType && entityId) {
        const chat = await app.store.chats.byEntity(entityType, entityId);
        // Only a chat the caller may read is named (a portal names any).
        if (!chat || !app.chats.canRead(auth.user, { chat, member: await app.store.members.get(chat.id, auth.user.id) })) return null;
        return { ID: chat.id };
      }
      // A portal does not read CHAT_ID here (it answers null); b24im still does, and strict mode says so.
      if (!params.has('CHAT_ID')) return null;
      params.fallback('CHAT_ID', 'A portal ignores CHAT_ID in im.chat.get: pass DIALOG_ID=chatN or ENTITY_TYPE + ENTITY_ID');
      const chatId = requireChatId(params);
      const chat = await app.store.chats.get(chatId);
      if (!chat || chat.type === 'P') return null;
      const member = await app.store.members.get(chat.id, auth.user.id);
      if (!app.chats.canRead(auth.user, { chat, member })) return null;
      const members = await app.store.members.list(chat.id);
      return fullChat(chat, member, members, member ? await unreadCounter(app.store, member, chat) : 0, presentOptions(app));
    },
  },
  {
    name: 'im.chat.user.add',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID', 'USERS', 'HIDE_HISTORY'],
    async handler({ app, auth, params }) {
      const chatId = requireChatTarget(params);
      await app.chats.addMembers(auth.user, chatId, params.intList('USERS'), params.flag('HIDE_HISTORY', true));
      return true;
    },
  },
  {
    name: 'im.chat.user.delete',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID', 'USER_ID'],
    async handler({ app, auth, params }) {
      const chatId = requireChatTarget(params);
      const userId = requireUserId(params);
      await app.chats.removeMember(auth.user, chatId, userId);
      return true;
    },
  },
  {
    name: 'im.chat.leave',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID'],
    async handler({ app, auth, params }) {
      await app.chats.removeMember(auth.user, requireChatTarget(params), auth.user.id);
      return true;
    },
  },
  {
    name: 'im.chat.user.list',
    scope: 'im',
    params: ['CHAT_ID'],
    async handler({ app, auth, params }) {
      const chatId = requireChatId(params);
      const chat = await app.store.chats.get(chatId);
      const member = chat ? await app.store.members.get(chat.id, auth.user.id) : undefined;
      if (!chat || !app.chats.canRead(auth.user, { chat, member })) throw Errors.method('ACCESS_ERROR', 'Action unavailable');
      return app.store.members.userIds(chat.id);
    },
  },
  {
    name: 'im.dialog.users.list',
    scope: 'im',
    params: ['DIALOG_ID', 'SKIP_EXTERNAL', 'SKIP_EXTERNAL_EXCEPT_TYPES', 'LIMIT', 'OFFSET', 'LAST_ID'],
    async handler({ app, auth, params, start }) {
      const ref = requireDialog(params);
      const access = await app.chats.resolve(app.store, auth.user, ref, false);
      if (!access || !app.chats.canRead(auth.user, access)) throw Errors.method('ACCESS_ERROR', 'You do not have access to the specified dialog', 403);
      const chatId = access.chat.id;
      const skipTypes = skippedUserTypes(params.string('SKIP_EXTERNAL'), params.has('SKIP_EXTERNAL_EXCEPT_TYPES') ? params.string('SKIP_EXTERNAL_EXCEPT_TYPES') ?? '' : undefined);
      const limit = imLimit(params.int('LIMIT'));
      const present = async (ids: number[]) => {
        const byId = new Map((await app.store.users.getMany(ids)).map((u) => [u.id, u]));
        const users = ids.flatMap((id) => byId.get(id) ?? []);
        const o = await presentOptionsFor(app, users);
        return users.map((u) => imUser(u, o));
      };
      // LAST_ID pages by user id and answers a plain list; otherwise offset pages in join order with total/next.
      const lastId = params.int('LAST_ID');
      if (lastId !== undefined && lastId >= 0) {
        return present(await app.store.members.activeUserIds({ chatId, skipTypes, limit, afterUserId: lastId }));
      }
      const offset = imOffset(start, params.int('OFFSET'));
      const total = await app.store.members.countActive(chatId, skipTypes);
      const ids = total > 0 ? await app.store.members.activeUserIds({ chatId, skipTypes, limit, offset }) : [];
      return ListResult.page(await present(ids), total, offset);
    },
  },
  {
    name: 'im.chat.updateTitle',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID', 'TITLE'],
    async handler({ app, auth, params }) {
      await app.chats.rename(auth.user, requireChatTarget(params), params.string('TITLE') ?? '');
      return true;
    },
  },
  {
    name: 'im.chat.updateColor',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID', 'COLOR'],
    async handler({ app, auth, params }) {
      const chatId = requireChatTarget(params);
      const color = parseColor(params.string('COLOR') ?? '');
      if (!color) throw Errors.method('WRONG_COLOR', 'This color currently unavailable');
      await app.chats.recolor(auth.user, chatId, color);
      return true;
    },
  },
  {
    name: 'im.chat.updateAvatar',
    scope: 'im',
    params: ['CHAT_ID', 'DIALOG_ID', 'AVATAR'],
    async handler({ app, auth, params }) {
      const chatId = requireChatTarget(params);
      const avatar = avatarDataUrl(params.string('AVATAR') ?? '');
      await app.chats.setAvatar(auth.user, chatId, avatar, () => Errors.method('ACCESS_DENIED', 'Access denied', 403));
      return true;
    },
  },
  {
    name: 'im.chat.setOwner',
    scope: 'im',
    params: ['DIALOG_ID', 'CHAT_ID', 'USER_ID'],
    async handler({ app, auth, params }) {
      const chatId = requireChatTarget(params);
      const userId = requireUserId(params);
      await app.chats.setOwner(auth.user, chatId, userId);
      return true;
    },
  },
  {
    name: 'im.chat.mute',
    scope: 'im',
    params: ['CHAT_ID', 'DIALOG_ID', 'ACTION', 'MUTE'],
    async handler({ app, auth, params }) {
      let chatId: number;
      if (params.has('CHAT_ID')) chatId = requireChatId(params);
      else {
          const access = await app.chats.resolve(app.store, auth.user, requireDialog(params), false);
        if (!access) throw Errors.method('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
        chatId = access.chat.id;
      }
      const action = params.has('ACTION') ? params.string('ACTION') : params.string('MUTE');
      await app.chats.mute(auth.user, chatId, action !== 'N');
      return true;
    },
  },
];
