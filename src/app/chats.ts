// Chats and memberships: one-to-one dialogs, group chats, who may do what in them.
import type { Config } from '../config.ts';
import { Errors, type BitrixError } from '../errors.ts';
import type { ChatRow, MemberRow, Store, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { newChatRow } from './chat-rows.ts';
import { colorFor } from './colors.ts';
import { dialogKey, type DialogRef } from './dialog-id.ts';
import { CHAT_TITLE_MAX_LENGTH } from './limits.ts';
import type { MessengerEvents } from './events.ts';
import { postInTx } from './posting.ts';
import { systemText } from './system-text.ts';

export const ROLE = { owner: 'OWNER', manager: 'MANAGER', member: 'MEMBER' } as const;

export interface NewGroupChat {
  type: 'C' | 'O' | 'L';
  title?: string;
  description?: string;
  color?: string;
  avatar?: string;
  userIds: number[];
  /** No "invited" notice (a chat made from a message starts with that message, as on a portal). */
  withoutJoinNotice?: boolean;
  ownerId?: number;
  entityType?: string;
  entityId?: string;
  entityData?: [string, string, string];
  message?: string;
}

/** A chat as one user sees it. */
export interface ChatAccess {
  chat: ChatRow;
  member: MemberRow | undefined;
}

/** A chat title is at most CHAT_TITLE_MAX_LENGTH characters; longer ones are cut, as a portal's column cuts them. */
function cutTitle(title: string): string {
  return title.length <= CHAT_TITLE_MAX_LENGTH ? title : [...title].slice(0, CHAT_TITLE_MAX_LENGTH).join('');
}

const accessError = (text = 'Action unavailable') => Errors.method('ACCESS_ERROR', text);

export class ChatsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly events: MessengerEvents,
  ) {}

  /** The one-to-one chat of two users, created (with both memberships) on first use. */
  async ensurePrivate(tx: Store, a: UserRow, b: UserRow): Promise<ChatRow> {
    const key = dialogKey(a.id, b.id);
    const existing = await tx.chats.byDialogKey(key);
    if (existing) return existing;
    // Two nodes may open the same dialog at once: the second waits here, then finds the first one's chat.
    await tx.lock(`dialog:${key}`);
    const created = await tx.chats.byDialogKey(key);
    if (created) return created;
    const now = this.clock();
    const chat = await tx.chats.create(
      newChatRow(
        {
          type: 'P',
          dialog_key: key,
          author_id: a.id,
          member_count: a.id === b.id ? 1 : 2,
          extranet: a.extranet || b.extranet ? 1 : 0,
        },
        now,
      ),
    );
    for (const [me, peer] of a.id === b.id ? [[a, b]] : [[a, b], [b, a]]) {
      await tx.members.add(this.memberRow(chat, me.id, peer.id, ROLE.member, now, 0, 0));
    }
    return chat;
  }

  /**
   * Resolves a DIALOG_ID for a user. A one-to-one dialog is created when `create` is set (sending, pinning);
   * otherwise `undefined` means the two users have never talked.
   */
  async resolve(tx: Store, user: UserRow, ref: DialogRef, create: boolean): Promise<ChatAccess | undefined> {
    if (ref.kind === 'user') {
      const peer = await tx.users.get(ref.userId);
      if (!peer) throw Errors.method('USER_NOT_FOUND', 'User not found');
      if (create) {
        if (!peer.active) throw accessError();
        const chat = await this.ensurePrivate(tx, user, peer);
        return { chat, member: await tx.members.get(chat.id, user.id) };
      }
      const chat = await tx.chats.byDialogKey(dialogKey(user.id, peer.id));
      if (!chat) return undefined;
      return { chat, member: await tx.members.get(chat.id, user.id) };
    }
    const chat = await tx.chats.get(ref.chatId);
    if (!chat) return undefined;
    return { chat, member: await tx.members.get(chat.id, user.id) };
  }

  /** Whether a user may read a chat: members always; anyone but extranet users for open group chats. */
  canRead(user: UserRow, access: ChatAccess): boolean {
    if (access.member) return true;
    return access.chat.type === 'O' && !user.extranet;
  }

  async createGroup(creator: UserRow, input: NewGroupChat): Promise<number> {
    const now = this.clock();
    const chatId = await this.store.transaction(async (tx) => {
      const others = (await tx.users.getMany(input.userIds)).filter((u) => u.id !== creator.id && u.active);
      const ownerId = input.ownerId && (input.ownerId === creator.id || others.some((u) => u.id === input.ownerId)) ? input.ownerId : creator.id;
      const memberCount = 1 + others.length;
      const chat = await tx.chats.create(
        newChatRow(
          {
            type: input.type,
            title: cutTitle(input.title?.trim() || this.defaultTitle([creator, ...others])),
            description: input.description ?? '',
            color: input.color ?? '',
            avatar: input.avatar ?? '',
            owner_id: ownerId,
            author_id: creator.id,
            entity_type: input.entityType ?? '',
            entity_id: input.entityId ?? '',
            entity_data_1: input.entityData?.[0] ?? '',
            entity_data_2: input.entityData?.[1] ?? '',
            entity_data_3: input.entityData?.[2] ?? '',
            member_count: memberCount,
            large: memberCount > this.config.fanoutLimit ? 1 : 0,
            extranet: [creator, ...others].some((u) => u.extranet) ? 1 : 0,
          },
          now,
        ),
      );
      if (!chat.color) {
        chat.color = colorFor(chat.id);
        await tx.chats.update(chat.id, { color: chat.color });
      }
      for (const u of [creator, ...others]) {
        await tx.members.add(this.memberRow(chat, u.id, chat.id, u.id === ownerId ? ROLE.owner : ROLE.member, now, 0, 0));
      }
      if (others.length > 0 && !input.withoutJoinNotice) {
        await postInTx(tx, chat, { authorId: 0, text: systemText(this.config.language, 'invited', creator, others), system: true, params: { CODE: 'CHAT_JOIN' } }, now);
        await this.readAllInTx(tx, chat.id, creator.id);
      }
      if (input.message?.trim()) {
        const fresh = (await tx.chats.get(chat.id))!;
        await postInTx(tx, fresh, { authorId: creator.id, text: input.message.trim() }, now);
      }
      await this.events.record(tx, 'membersAdded', { chat: (await tx.chats.get(chat.id))!, userIds: await tx.members.userIds(chat.id), byUserId: creator.id });
      return chat.id;
    });
    this.events.committed();
    return chatId;
  }

  async addMembers(actor: UserRow, chatId: number, userIds: number[], hideHistory: boolean): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw accessError();
      if (chat.type === 'L') throw accessError('It is forbidden to add users to this chat');
      const candidates = (await tx.users.getMany(userIds)).filter((u) => u.active);
      const fresh: UserRow[] = [];
      for (const u of candidates) if (!(await tx.members.get(chat.id, u.id))) fresh.push(u);
      if (fresh.length === 0) return;
      const startSeq = hideHistory ? chat.last_seq + 1 : 0;
      for (const u of fresh) {
        await tx.members.add(this.memberRow(chat, u.id, chat.id, ROLE.member, now, chat.last_seq, startSeq));
      }
      await this.setMemberCount(tx, chat, chat.member_count + fresh.length);
      const current = (await tx.chats.get(chat.id))!;
      await postInTx(tx, current, { authorId: 0, text: systemText(this.config.language, 'invited', actor, fresh), system: true, params: { CODE: 'CHAT_JOIN' } }, now);
      await this.readAllInTx(tx, chat.id, actor.id);
      await this.events.record(tx, 'membersAdded', { chat: (await tx.chats.get(chat.id))!, userIds: fresh.map((u) => u.id), byUserId: actor.id });
    });
    this.events.committed();
  }

  /** Removes a member: the member themselves (leave) or, for owners and managers, anyone (kick). */
  async removeMember(actor: UserRow, chatId: number, userId: number): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw Errors.method('ACCESS_DENIED_KICK', 'Access denied to kick user from chat');
      if (chat.type === 'L' && userId !== actor.id) throw accessError('It is forbidden to delete users of this chat');
      const target = userId === actor.id ? me : await tx.members.get(chat.id, userId);
      if (!target) throw Errors.method('USER_NOT_FOUND', 'The user is not a member of the chat');
      if (userId !== actor.id && me.role === ROLE.member) {
        throw Errors.method('ACCESS_DENIED_KICK', 'Access denied to kick user from chat');
      }
      if (userId !== actor.id && target.role === ROLE.owner) {
        throw Errors.method('ACCESS_DENIED_KICK', 'Access denied to kick user from chat');
      }
      await tx.members.remove(chat.id, userId);
      await this.setMemberCount(tx, chat, chat.member_count - 1);
      const targetUser = (await tx.users.get(userId))!;
      const current = (await tx.chats.get(chat.id))!;
      if (current.member_count > 0) {
        if (target.role === ROLE.owner) {
          const heir = (await tx.members.list(chat.id, { limit: 1 }))[0];
          if (heir) {
            await tx.members.update(chat.id, heir.user_id, { role: ROLE.owner, date_update: now });
            await tx.chats.update(chat.id, { owner_id: heir.user_id });
          }
        }
        const text = userId === actor.id
          ? systemText(this.config.language, 'left', targetUser)
          : systemText(this.config.language, 'kicked', actor, [targetUser]);
        await postInTx(tx, current, { authorId: 0, text, system: true, params: { CODE: userId === actor.id ? 'CHAT_LEAVE' : 'CHAT_KICK' } }, now);
        if (userId !== actor.id) await this.readAllInTx(tx, chat.id, actor.id);
      }
      await this.events.record(tx, 'memberRemoved', { chat: (await tx.chats.get(chat.id))!, userId, byUserId: actor.id });
    });
    this.events.committed();
  }

  async rename(actor: UserRow, chatId: number, title: string): Promise<void> {
    const clean = cutTitle(title.trim());
    if (!clean) throw Errors.method('TITLE_EMPTY', 'Title can\'t be empty');
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!(await tx.members.get(chat.id, actor.id))) throw accessError();
      if (chat.type === 'L') throw accessError('This chat cannot be renamed');
      if (chat.title === clean) return;
      await tx.chats.update(chat.id, { title: clean });
      await postInTx(tx, { ...chat, title: clean }, { authorId: 0, text: systemText(this.config.language, 'renamed', actor, clean), system: true, params: { CODE: 'CHAT_TITLE' } }, now);
      await this.readAllInTx(tx, chat.id, actor.id);
      await this.events.record(tx, 'chatRenamed', { chat: { ...chat, title: clean }, title: clean, byUserId: actor.id });
    });
    this.events.committed();
  }

  async recolor(actor: UserRow, chatId: number, color: string): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!(await tx.members.get(chat.id, actor.id))) throw accessError();
      if (chat.color === color) throw Errors.method('WRONG_REQUEST', 'This color currently set or chat isn\'t exists');
      await tx.chats.update(chat.id, { color, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }

  async setOwner(actor: UserRow, chatId: number, userId: number): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (chat.type === 'L') throw accessError();
      const target = await tx.members.get(chat.id, userId);
      if (chat.owner_id !== actor.id || !target) {
        throw Errors.method('WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');
      }
      if (userId === actor.id) return;
      await tx.members.update(chat.id, actor.id, { role: ROLE.member, date_update: now });
      await tx.members.update(chat.id, userId, { role: ROLE.owner, date_update: now });
      await tx.chats.update(chat.id, { owner_id: userId, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }

  /** Makes a member a manager of a group chat, or a manager a plain member again: the owner's right only. */
  async setManager(actor: UserRow, chatId: number, userId: number, manager: boolean): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const target = await tx.members.get(chat.id, userId);
      if (chat.type === 'L' || chat.owner_id !== actor.id || !target || target.role === ROLE.owner) {
        throw Errors.method('WRONG_REQUEST', 'Change manager can only owner and user must be member in chat');
      }
      const role = manager ? ROLE.manager : ROLE.member;
      if (target.role === role) return;
      await tx.members.update(chat.id, userId, { role, date_update: now });
      await tx.chats.update(chat.id, { date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }

  /**
   * Sets a group chat's avatar (an image URL or data: URL a member gives). `denied` is the method's answer for
   * anyone else (imbot.chat.updateAvatar's ACCESS_ERROR by default; im.chat.updateAvatar says ACCESS_DENIED).
   */
  async setAvatar(actor: UserRow, chatId: number, avatar: string, denied: () => BitrixError = accessError): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!(await tx.members.get(chat.id, actor.id)) || chat.type === 'L') throw denied();
      await tx.chats.update(chat.id, { avatar, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }

  async mute(actor: UserRow, chatId: number, mute: boolean): Promise<void> {
    await this.store.transaction(async (tx) => {
      const chat = await tx.chats.get(chatId);
      if (!chat) throw Errors.method('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw accessError();
      if ((me.muted === 1) === mute) return;
      await tx.members.update(chat.id, actor.id, { muted: mute ? 1 : 0, date_update: this.clock() });
    });
  }

  /** Adds members quietly (open lines join operators so); returns the ids that were not members yet. */
  async joinInTx(tx: Store, chat: ChatRow, userIds: number[], now: number): Promise<number[]> {
    const fresh: number[] = [];
    for (const id of userIds) if (!fresh.includes(id) && !(await tx.members.get(chat.id, id))) fresh.push(id);
    for (const id of fresh) await tx.members.add(this.memberRow(chat, id, chat.id, ROLE.member, now, chat.last_seq, 0));
    if (fresh.length) await this.setMemberCount(tx, chat, chat.member_count + fresh.length);
    return fresh;
  }

  /** Removes members quietly (an open-line session moving between operators); returns the ids removed. */
  async leaveInTx(tx: Store, chat: ChatRow, userIds: number[]): Promise<number[]> {
    const gone: number[] = [];
    for (const id of userIds) {
      if (gone.includes(id) || !(await tx.members.get(chat.id, id))) continue;
      await tx.members.remove(chat.id, id);
      gone.push(id);
    }
    if (gone.length) await this.setMemberCount(tx, chat, chat.member_count - gone.length);
    return gone;
  }

  /** A group chat by id, or the errors the im.chat.* methods give. */
  async requireGroup(tx: Store, chatId: number): Promise<ChatRow> {
    const chat = await (tx.dialect === 'postgres' ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
    if (!chat || chat.type === 'P') throw accessError();
    return chat;
  }

  /** Marks everything in a chat as read for a member (after actions that post on their behalf). */
  async readAllInTx(tx: Store, chatId: number, userId: number): Promise<void> {
    const chat = (await tx.chats.get(chatId))!;
    const me = await tx.members.get(chatId, userId);
    if (!me || me.read_seq >= chat.last_seq) return;
    await tx.members.update(chatId, userId, {
      read_seq: chat.last_seq,
      read_message_id: chat.last_message_id,
      date_update: this.clock(),
    });
    await tx.messages.markNotifyRead(chatId, me.read_seq, chat.last_seq, userId);
  }

  private async setMemberCount(tx: Store, chat: ChatRow, count: number): Promise<void> {
    const large = count > this.config.fanoutLimit;
    await tx.chats.update(chat.id, { member_count: count, large: large ? 1 : 0 });
    if (large !== (chat.large === 1)) {
      await tx.members.setLarge(chat.id, large);
      // Rows leaving read-side fan-out must carry the chat's latest change and activity themselves.
      if (!large) {
        await tx.members.touchAll(chat.id, this.clock(), false);
        if (chat.last_message_date) await tx.members.raiseActivity(chat.id, chat.last_message_date);
      }
    }
    chat.member_count = count;
    chat.large = large ? 1 : 0;
  }

  private memberRow(chat: ChatRow, userId: number, itemId: number, role: string, now: number, readSeq: number, startSeq: number) {
    return {
      chat_id: chat.id,
      user_id: userId,
      item_type: chat.type,
      item_id: itemId,
      large: chat.large,
      role,
      date_join: now,
      read_seq: readSeq,
      read_message_id: 0,
      last_own_seq: 0,
      muted: 0,
      pinned: 0,
      pin_sort: 0,
      unread: 0,
      hidden: 0,
      hidden_seq: 0,
      date_update: now,
      date_last_activity: now,
      start_seq: startSeq,
    };
  }

  private defaultTitle(users: UserRow[]): string {
    const names = users.map((u) => [u.name, u.last_name].filter(Boolean).join(' ')).join(', ');
    return this.config.language === 'ru' ? `Чат с ${names}` : `Chat with ${names}`;
  }
}
