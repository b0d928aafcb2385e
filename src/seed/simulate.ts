// The bulk path's model of the messenger: replays a plan in memory with exactly the rules of app/ (posting,
// fan-out on write for small chats, reading, "delivered" flags) and yields the final rows to store in bulk.
// test/seed.test.ts proves that both paths give every user the same im.recent.get.
import { newChatRow } from '../app/chat-rows.ts';
import { colorFor } from '../app/colors.ts';
import { dialogKey } from '../app/dialog-id.ts';
import { systemText } from '../app/system-text.ts';
import type { ChatRow, MemberRow, MessageRow, UserRow } from '../store/store.ts';
import { EV_CREATE, EV_MESSAGE, EV_READ, type Plan } from './plan.ts';
import { messageText } from './random.ts';

interface SimChat {
  row: ChatRow;
  members: MemberRow[];
  index?: Map<number, MemberRow>;
  /** Ids of messages not yet marked notify_read, oldest first (few: reads flag them soon). */
  unflagged: number[];
}

export interface SimResult {
  /** Chat id of each plan conversation (0 when it never got one). */
  chatOfConv: Int32Array;
  chats: ChatRow[];
  members: MemberRow[];
  messageCount: number;
  /** The messages in id order, produced lazily so a million rows never sit in memory as objects. */
  messages(from: number, to: number): MessageRow[];
}

export interface SimOptions {
  fanoutLimit: number;
  language: 'en' | 'ru';
  /** Users by id (for system texts). */
  users: Map<number, UserRow>;
  onProgress?: (done: number) => void;
}

function memberOf(chat: SimChat, userId: number): MemberRow | undefined {
  if (chat.members.length <= 8) return chat.members.find((m) => m.user_id === userId);
  if (!chat.index) chat.index = new Map(chat.members.map((m) => [m.user_id, m]));
  return chat.index.get(userId);
}

export function simulate(plan: Plan, o: SimOptions): SimResult {
  const e = plan.events;
  let messageCap = 1024;
  for (let i = 0; i < e.length; i++) if (e.kind[i] !== EV_READ) messageCap++;
  const mChat = new Int32Array(messageCap);
  const mSeq = new Int32Array(messageCap);
  const mAuthor = new Int32Array(messageCap);
  const mDate = new Float64Array(messageCap);
  const mNotify = new Uint8Array(messageCap);
  /** Event index of a user message (its text is messageText(seed, index)); -1 for system messages. */
  const mEvent = new Int32Array(messageCap);
  const systemTexts = new Map<number, string>();
  let lastMessageId = 0;
  const chats: SimChat[] = [];
  const convChat: (SimChat | undefined)[] = new Array(plan.convs.length);

  const newChat = (fields: Partial<ChatRow> & Pick<ChatRow, 'type' | 'author_id' | 'member_count'>, now: number): SimChat => {
    const id = chats.length + 1;
    const row = { id, ...newChatRow(fields, now) } as ChatRow;
    const chat: SimChat = { row, members: [], unflagged: [] };
    chats.push(chat);
    return chat;
  };

  const addMember = (chat: SimChat, userId: number, itemId: number, role: string, now: number) => {
    const m: MemberRow = {
      chat_id: chat.row.id,
      user_id: userId,
      item_type: chat.row.type,
      item_id: itemId,
      large: chat.row.large,
      role,
      date_join: now,
      read_seq: 0,
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
      start_seq: 0,
    };
    chat.members.push(m);
    chat.index?.set(userId, m);
  };

  const markNotifyRead = (chat: SimChat, fromSeq: number, toSeq: number, readerId: number) => {
    if (toSeq <= fromSeq) return;
    chat.unflagged = chat.unflagged.filter((id) => {
      if (mSeq[id] <= fromSeq || mSeq[id] > toSeq || mAuthor[id] === readerId) return true;
      mNotify[id] = 1;
      return false;
    });
  };

  // app/posting.ts postInTx
  const post = (chat: SimChat, authorId: number, now: number, event: number, text?: string) => {
    const c = chat.row;
    const seq = ++c.last_seq;
    const id = ++lastMessageId;
    mChat[id] = c.id;
    mSeq[id] = seq;
    mAuthor[id] = authorId;
    mDate[id] = now;
    mEvent[id] = event;
    if (text !== undefined) systemTexts.set(id, text);
    chat.unflagged.push(id);
    c.last_message_id = id;
    c.last_message_date = now;
    c.date_update = now;
    if (!c.large) {
      for (const m of chat.members) {
        m.date_update = now;
        m.date_last_activity = now;
      }
    }
    if (authorId > 0) {
      const author = memberOf(chat, authorId);
      if (author) {
        const before = author.read_seq;
        author.read_seq = seq;
        author.read_message_id = id;
        author.last_own_seq = seq;
        author.unread = 0;
        author.date_update = now;
        author.date_last_activity = now;
        if (before < seq - 1) markNotifyRead(chat, before, seq - 1, authorId);
      }
    }
  };

  for (let i = 0; i < e.length; i++) {
    const now = e.time[i];
    const conv = plan.convs[e.conv[i]];
    const userId = e.user[i];
    if (e.kind[i] === EV_CREATE) {
      // app/chats.ts createGroup (every plan member is active; the others ascending, as getMany returns them)
      const others = conv.members.slice(1).sort((a, b) => a - b);
      const count = 1 + others.length;
      const chat = newChat(
        {
          type: conv.type,
          title: conv.title,
          owner_id: userId,
          author_id: userId,
          entity_type: conv.entityType ?? '',
          entity_id: conv.entityId ?? '',
          entity_data_1: conv.entityData?.[0] ?? '',
          entity_data_2: conv.entityData?.[1] ?? '',
          entity_data_3: conv.entityData?.[2] ?? '',
          member_count: count,
          large: count > o.fanoutLimit ? 1 : 0,
        },
        now,
      );
      chat.row.color = colorFor(chat.row.id);
      for (const u of [userId, ...others]) addMember(chat, u, chat.row.id, u === userId ? 'OWNER' : 'MEMBER', now);
      convChat[e.conv[i]] = chat;
      if (others.length > 0) {
        const text = systemText(o.language, 'invited', o.users.get(userId)!, others.map((u) => o.users.get(u)!));
        post(chat, 0, now, -1, text);
        // readAllInTx for the creator
        const me = memberOf(chat, userId)!;
        const before = me.read_seq;
        me.read_seq = chat.row.last_seq;
        me.read_message_id = chat.row.last_message_id;
        me.date_update = now;
        markNotifyRead(chat, before, chat.row.last_seq, userId);
      }
    } else if (e.kind[i] === EV_MESSAGE) {
      let chat = convChat[e.conv[i]];
      if (!chat) {
        // app/chats.ts ensurePrivate, on the first message of a dialog
        const peer = conv.members[0] === userId ? conv.members[1] : conv.members[0];
        chat = newChat({ type: 'P', dialog_key: dialogKey(userId, peer), author_id: userId, member_count: 2 }, now);
        addMember(chat, userId, peer, 'MEMBER', now);
        addMember(chat, peer, userId, 'MEMBER', now);
        convChat[e.conv[i]] = chat;
      }
      post(chat, userId, now, i);
    } else {
      // app/reads.ts readInTx + noteDelivered: read up to the chat's last message
      const chat = convChat[e.conv[i]]!;
      const c = chat.row;
      const me = memberOf(chat, userId)!;
      const readSeq = Math.max(me.read_seq, c.last_seq);
      if (readSeq !== me.read_seq || me.unread) {
        const before = me.read_seq;
        me.read_seq = readSeq;
        if (readSeq !== before) me.read_message_id = c.last_message_id;
        me.unread = 0;
        me.date_update = now;
        if (readSeq > before) {
          const last = c.last_message_id;
          const flips = last > 0 && !mNotify[last] && mAuthor[last] !== userId && mSeq[last] > before && mSeq[last] <= readSeq;
          markNotifyRead(chat, before, readSeq, userId);
          // The last message turning "delivered" changes every member's item (chat-wide).
          if (flips) {
            c.date_update = now;
            if (!c.large) for (const m of chat.members) m.date_update = now;
          }
        }
      }
    }
    if (o.onProgress && (i & 0x3fff) === 0) o.onProgress(i);
  }

  const chatOfConv = new Int32Array(plan.convs.length);
  convChat.forEach((c, i) => (chatOfConv[i] = c?.row.id ?? 0));
  return {
    chatOfConv,
    chats: chats.map((c) => c.row),
    members: chats.flatMap((c) => c.members),
    messageCount: lastMessageId,
    messages(from: number, to: number): MessageRow[] {
      const out: MessageRow[] = [];
      for (let id = from; id <= Math.min(to, lastMessageId); id++) {
        const system = mEvent[id] < 0;
        out.push({
          id,
          chat_id: mChat[id],
          seq: mSeq[id],
          author_id: mAuthor[id],
          text: system ? systemTexts.get(id)! : messageText(plan.seed, mEvent[id]),
          system: system ? 1 : 0,
          params: system ? JSON.stringify({ CODE: 'CHAT_JOIN' }) : '{}',
          has_file: 0,
          has_attach: 0,
          uuid: null,
          date: mDate[id],
          date_edit: null,
          deleted: 0,
          notify_read: mNotify[id],
        });
      }
      return out;
    },
  };
}
