// The im events a portal publishes over Push & Pull, built from the messenger's change log: each listener runs in
// the dispatcher's transaction and appends the events to the pull log (publisher.ts). Params follow the portal's
// im module (message / messageChat, messageUpdate, messageDelete, chatUserAdd, chatUserLeave ...); see
// docs/realtime.md for what b24im leaves out.
import type { ChatRow, MessageRow, RosterMember, Store, UserRow } from '../../store/store.ts';
import { atom } from '../../present/dates.ts';
import { chatTypeName } from '../../present/chats.ts';
import { messageParams } from '../../present/messages.ts';
import { absoluteUrl, imUser, type PresentOptions } from '../../present/users.ts';
import { chatDialogId } from '../dialog-id.ts';
import type { MessengerEvents } from '../events.ts';
import { arithmeticCounter, unreadCounter } from '../reads.ts';
import type { PullOutgoing, PullPublisher } from './publisher.ts';

export type PresentFor = () => PresentOptions;

/** The dialog id a member sees a chat under: the other user's id in a private chat, chatN otherwise. */
function dialogIdFor(chat: ChatRow, userId: number, memberIds: number[]): number | string {
  if (chat.type !== 'P') return chatDialogId(chat.id);
  return memberIds.find((id) => id !== userId) ?? userId;
}

/** The chat as the portal's Chat::toPullFormat gives it. */
export function pullChat(chat: ChatRow, members: RosterMember[], o: PresentOptions) {
  return {
    id: chat.id,
    dialogId: chatDialogId(chat.id),
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    owner: chat.owner_id,
    color: chat.color,
    extranet: chat.extranet === 1,
    contains_collaber: false,
    avatar: absoluteUrl(chat.avatar, o.publicUrl),
    message_count: chat.last_seq,
    call: '0',
    call_number: '',
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: chat.entity_data_1,
    entity_data_2: chat.entity_data_2,
    entity_data_3: chat.entity_data_3,
    public: '',
    mute_list: members.filter((m) => m.muted).map((m) => m.user_id),
    manager_list: members.filter((m) => m.role === 'MANAGER' || m.user_id === chat.owner_id).map((m) => m.user_id),
    date_create: atom(chat.date_create, o.zone),
    type: chatTypeName(chat),
    entity_link: { type: '', url: '', id: '' },
    isNew: false,
    message_type: chat.type,
    ai_provider: null,
    description: chat.description,
    textFieldEnabled: true,
    backgroundId: null,
  };
}

function pullMessage(m: MessageRow, chat: ChatRow, recipientId: number | string, prevId: number, o: PresentOptions) {
  return {
    id: m.id,
    templateId: m.uuid ?? '',
    templateFileId: '',
    prevId,
    chatId: chat.id,
    senderId: m.author_id,
    recipientId,
    system: m.system || m.author_id === 0 ? 'Y' : 'N',
    date: atom(m.date, o.zone),
    text: m.text,
    textLegacy: m.text,
    params: messageParams(m),
    counter: 0,
    isImportant: false,
    importantFor: [],
    additionalEntities: [],
    forward: null,
  };
}

function recentConfig(chat: ChatRow) {
  return { chatId: chat.id, sections: ['default'] };
}

function usersMap(users: (UserRow | undefined)[], o: PresentOptions): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const u of users) if (u) out[String(u.id)] = imUser(u, o);
  return Object.keys(out).length ? out : null;
}

export class ImPullEvents {
  constructor(
    private readonly publisher: PullPublisher,
    private readonly present: PresentFor,
    /** Chats with more members than this get no per-read notices to the other members (one per read per member). */
    private readonly fanoutLimit: number,
  ) {}

  listen(events: MessengerEvents): void {
    events.on('messageAdded', (tx, e) => this.messageAdded(tx, e.message, e.chat));
    events.on('messageUpdated', (tx, e) => this.messageChanged(tx, 'messageUpdate', e.message, e.chat));
    events.on('messageDeleted', (tx, e) => this.messageChanged(tx, 'messageDelete', e.message, e.chat));
    events.on('membersAdded', (tx, e) => this.membersAdded(tx, e.chat, e.userIds));
    events.on('memberRemoved', (tx, e) => this.memberRemoved(tx, e.chat, e.userId));
    events.on('chatRead', (tx, e) => this.chatRead(tx, e.chat, e.userId, e.lastId, e.counter));
    events.on('chatUnread', (tx, e) => this.chatUnread(tx, e.chat, e.userId, e.marked, e.counter, e.lastId));
    events.on('chatPinned', (tx, e) => this.toOwner(tx, e.chat, e.userId, 'chatPin', { active: e.pinned, counterType: 'chat', recentConfig: recentConfig(e.chat) }));
    events.on('chatHidden', (tx, e) => this.toOwner(tx, e.chat, e.userId, 'chatHide', { lines: null, recentConfigToHide: recentConfig(e.chat) }, 3600));
    events.on('chatRenamed', (tx, e) => this.chatRenamed(tx, e.chat, e.title));
    events.on('typing', (tx, e) => this.typing(tx, e.chat, e.userId, e.userName));
    events.on('userStatus', (tx, e) => this.userStatus(tx, e.user));
  }

  /** Module `online`, command `userStatus`, to every connected user (the portal's shared channel). */
  private async userStatus(tx: Store, user: UserRow): Promise<void> {
    const o = this.present();
    const u = imUser(user, o);
    await this.publisher.publish(tx, [
      {
        userIds: [0],
        moduleId: 'online',
        command: 'userStatus',
        params: {
          users: {
            [user.id]: {
              id: user.id,
              status: u.status,
              color: u.color,
              idle: u.idle,
              mobile_last_date: u.mobile_last_date,
              desktop_last_date: u.desktop_last_date,
              last_activity_date: atom(Math.floor(Date.now() / 1000), o.zone),
            },
          },
        },
        // The portal keeps it a second: a status is only news while it is current.
        expiry: 60,
      },
    ]);
  }

  /** The dialog ids of a chat's members, each as that member sees it. */
  private async dialogIds(tx: Store, chat: ChatRow): Promise<{ memberIds: number[]; dialogOf: (userId: number) => number | string }> {
    const memberIds = await tx.members.userIds(chat.id);
    return { memberIds, dialogOf: (userId) => dialogIdFor(chat, userId, memberIds) };
  }

  /** readMessage / readMessageChat to the reader; readMessageOpponent / readMessageChatOpponent to the others. */
  private async chatRead(tx: Store, chat: ChatRow, userId: number, lastId: number, counter: number): Promise<void> {
    const o = this.present();
    const { memberIds, dialogOf } = await this.dialogIds(tx, chat);
    const member = await tx.members.get(chat.id, userId);
    const privateChat = chat.type === 'P';
    const items: PullOutgoing[] = [
      {
        userIds: [userId],
        moduleId: 'im',
        command: privateChat ? 'readMessage' : 'readMessageChat',
        params: {
          dialogId: dialogOf(userId),
          chatId: chat.id,
          parentChatId: 0,
          type: chatTypeName(chat),
          lastId,
          counter,
          muted: member?.muted === 1,
          unread: false,
          lines: null,
          viewedMessages: [],
          recentConfig: recentConfig(chat),
        },
      },
    ];
    const others = memberIds.filter((id) => id !== userId);
    if (others.length && others.length <= this.fanoutLimit) {
      const reader = await tx.users.get(userId);
      items.push({
        userIds: others,
        moduleId: 'im',
        command: privateChat ? 'readMessageOpponent' : 'readMessageChatOpponent',
        params: {
          dialogId: privateChat ? userId : chatDialogId(chat.id),
          chatId: chat.id,
          userId,
          userName: reader ? [reader.name, reader.last_name].filter(Boolean).join(' ') : '',
          lastId,
          date: atom(Math.floor(Date.now() / 1000), o.zone),
          viewedMessages: [],
          chatMessageStatus: 'delivered',
        },
      });
    }
    await this.publisher.publish(tx, items);
  }

  /** im.recent.unread → chatUnread (the manual mark); im.dialog.unread → unreadMessage / unreadMessageChat. */
  private async chatUnread(tx: Store, chat: ChatRow, userId: number, marked: boolean, counter: number, lastId: number): Promise<void> {
    const { dialogOf } = await this.dialogIds(tx, chat);
    const member = await tx.members.get(chat.id, userId);
    const common = { dialogId: dialogOf(userId), chatId: chat.id, counter, muted: member?.muted === 1, lines: null };
    await this.publisher.publish(tx, [
      marked
        ? {
            userIds: [userId],
            moduleId: 'im',
            command: 'chatUnread',
            params: { ...common, parentChatId: 0, active: true, markedId: 0, counterType: 'chat', recentConfig: recentConfig(chat) },
            expiry: 3600,
          }
        : {
            userIds: [userId],
            moduleId: 'im',
            command: chat.type === 'P' ? 'unreadMessage' : 'unreadMessageChat',
            params: { ...common, lastId, unread: false },
          },
    ]);
  }

  /** An event about a user's own recent item (pin, hide): to that user only. */
  private async toOwner(tx: Store, chat: ChatRow, userId: number, command: string, params: Record<string, unknown>, expiry?: number): Promise<void> {
    const { dialogOf } = await this.dialogIds(tx, chat);
    await this.publisher.publish(tx, [{ userIds: [userId], moduleId: 'im', command, params: { dialogId: dialogOf(userId), chatId: chat.id, ...params }, expiry }]);
  }

  private async chatRenamed(tx: Store, chat: ChatRow, title: string): Promise<void> {
    const memberIds = await tx.members.userIds(chat.id);
    await this.publisher.publish(tx, [{ userIds: memberIds, moduleId: 'im', command: 'chatRename', params: { chatId: chat.id, dialogId: chatDialogId(chat.id), name: title } }]);
  }

  /** startWriting to the other members, kept a minute (a late typing notice is noise). */
  private async typing(tx: Store, chat: ChatRow, userId: number, userName: string): Promise<void> {
    const memberIds = (await tx.members.userIds(chat.id)).filter((id) => id !== userId);
    await this.publisher.publish(tx, [
      {
        userIds: memberIds,
        moduleId: 'im',
        command: 'startWriting',
        params: { dialogId: chat.type === 'P' ? userId : chatDialogId(chat.id), chatId: chat.id, userId, userName, isCopilotWriting: false },
        expiry: 60,
      },
    ]);
  }

  /** message (private chats) / messageChat (every other chat), each member with their own counter and dialogId. */
  private async messageAdded(tx: Store, message: MessageRow, recorded: ChatRow): Promise<void> {
    const o = this.present();
    const chat = (await tx.chats.get(recorded.id)) ?? recorded;
    const members = await tx.members.roster(chat.id);
    const memberIds = members.map((m) => m.user_id);
    const privateChat = chat.type === 'P';
    const userParams = new Map<number, Record<string, unknown>>();
    for (const m of members) {
      const counter = arithmeticCounter(m, chat) ?? (await unreadCounter(tx, m, chat));
      userParams.set(m.user_id, privateChat ? { dialogId: dialogIdFor(chat, m.user_id, memberIds), counter } : { counter });
    }
    const author = message.author_id ? await tx.users.get(message.author_id) : undefined;
    const peers = privateChat ? await tx.users.getMany(memberIds) : [author];
    const prev = message.seq > 1 ? await tx.messages.latestUpTo(chat.id, message.seq - 1) : undefined;
    const recipientId = privateChat ? (memberIds.find((id) => id !== message.author_id) ?? message.author_id) : chatDialogId(chat.id);
    const item: PullOutgoing = {
      userIds: memberIds,
      moduleId: 'im',
      command: privateChat ? 'message' : 'messageChat',
      params: {
        chatId: chat.id,
        dialogId: privateChat ? 0 : chatDialogId(chat.id),
        counter: 0,
        chat: privateChat ? {} : { [chat.id]: pullChat(chat, members, o) },
        lines: null,
        copilot: null,
        multidialog: null,
        userInChat: privateChat ? {} : { [chat.id]: memberIds },
        userBlockChat: privateChat ? {} : { [chat.id]: members.filter((m) => m.muted).map((m) => m.user_id) },
        users: usersMap(peers, o),
        message: pullMessage(message, chat, recipientId, prev?.id ?? 0, o),
        files: [],
        notify: true,
        counterType: 'chat',
        recentConfig: { chatId: chat.id, sections: ['default'] },
        dateLastActivity: atom(message.date, o.zone),
        messagesAutoDeleteConfigs: [],
        stickers: [],
      },
      userParams,
    };
    await this.publisher.publish(tx, [item]);
  }

  /** messageUpdate / messageDelete to every member (a deleted message's text is empty). */
  private async messageChanged(tx: Store, command: 'messageUpdate' | 'messageDelete', message: MessageRow, chat: ChatRow): Promise<void> {
    const o = this.present();
    const memberIds = await tx.members.userIds(chat.id);
    const userParams = new Map<number, Record<string, unknown>>();
    if (chat.type === 'P') for (const id of memberIds) userParams.set(id, { dialogId: dialogIdFor(chat, id, memberIds), fromUserId: message.author_id, toUserId: dialogIdFor(chat, id, memberIds) });
    const text = command === 'messageDelete' ? '' : message.text;
    await this.publisher.publish(tx, [
      {
        userIds: memberIds,
        moduleId: 'im',
        command,
        params: {
          id: message.id,
          type: chat.type === 'P' ? 'private' : 'chat',
          text,
          textLegacy: text,
          chatId: chat.id,
          senderId: message.author_id,
          dialogId: chat.type === 'P' ? 0 : chatDialogId(chat.id),
          params: messageParams(message),
          date: atom(message.date_edit ?? message.date, o.zone),
        },
        userParams,
      },
    ]);
  }

  private async membersAdded(tx: Store, recorded: ChatRow, userIds: number[]): Promise<void> {
    if (recorded.type === 'P') return;
    const o = this.present();
    const chat = (await tx.chats.get(recorded.id)) ?? recorded;
    const members = await tx.members.roster(chat.id);
    const added = await tx.users.getMany(userIds);
    await this.publisher.publish(tx, [
      {
        userIds: members.map((m) => m.user_id),
        moduleId: 'im',
        command: 'chatUserAdd',
        params: {
          chatId: chat.id,
          dialogId: chatDialogId(chat.id),
          chatTitle: chat.title,
          chatOwner: chat.owner_id,
          chatExtranet: chat.extranet === 1,
          users: usersMap(added, o) ?? {},
          newUsers: userIds,
          userCount: chat.member_count,
          chat: pullChat(chat, members, o),
        },
      },
    ]);
  }

  /** chatUserLeave to the remaining members and to the user who left (their client drops the chat). */
  private async memberRemoved(tx: Store, recorded: ChatRow, userId: number): Promise<void> {
    if (recorded.type === 'P') return;
    const chat = (await tx.chats.get(recorded.id)) ?? recorded;
    const memberIds = await tx.members.userIds(chat.id);
    await this.publisher.publish(tx, [
      {
        userIds: [...memberIds, userId],
        moduleId: 'im',
        command: 'chatUserLeave',
        params: { chatId: chat.id, dialogId: chatDialogId(chat.id), chatTitle: chat.title, userId, message: '', userCount: chat.member_count },
      },
    ]);
  }
}
