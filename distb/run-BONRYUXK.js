import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  EV_CREATE,
  EV_MESSAGE,
  EV_READ,
  FIRST_USER_ID,
  messageText
} from "./chunk-FSN6UEE6.js";
import {
  colorFor,
  createApp,
  dialogKey,
  newChatRow,
  systemText
} from "./chunk-3V3VO3DL.js";
import "./chunk-ZXJPHV6V.js";
import "./chunk-37R5R6S4.js";
import "./chunk-OLGWREFJ.js";
import "./chunk-AGWMCOCW.js";

// src/seed/simulate.ts
function memberOf(chat, userId) {
  if (chat.members.length <= 8) return chat.members.find((m) => m.user_id === userId);
  if (!chat.index) chat.index = new Map(chat.members.map((m) => [m.user_id, m]));
  return chat.index.get(userId);
}
function simulate(plan, o) {
  const e = plan.events;
  let messageCap = 1024;
  for (let i = 0; i < e.length; i++) if (e.kind[i] !== EV_READ) messageCap++;
  const mChat = new Int32Array(messageCap);
  const mSeq = new Int32Array(messageCap);
  const mAuthor = new Int32Array(messageCap);
  const mDate = new Float64Array(messageCap);
  const mNotify = new Uint8Array(messageCap);
  const mEvent = new Int32Array(messageCap);
  const systemTexts = /* @__PURE__ */ new Map();
  let lastMessageId = 0;
  const chats = [];
  const convChat = new Array(plan.convs.length);
  const newChat = (fields, now) => {
    const id = chats.length + 1;
    const row = { id, ...newChatRow(fields, now) };
    const chat = { row, members: [], unflagged: [] };
    chats.push(chat);
    return chat;
  };
  const addMember = (chat, userId, itemId, role, now) => {
    const m = {
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
      start_seq: 0
    };
    chat.members.push(m);
    chat.index?.set(userId, m);
  };
  const markNotifyRead = (chat, fromSeq, toSeq, readerId) => {
    if (toSeq <= fromSeq) return;
    chat.unflagged = chat.unflagged.filter((id) => {
      if (mSeq[id] <= fromSeq || mSeq[id] > toSeq || mAuthor[id] === readerId) return true;
      mNotify[id] = 1;
      return false;
    });
  };
  const post = (chat, authorId, now, event, text) => {
    const c = chat.row;
    const seq = ++c.last_seq;
    const id = ++lastMessageId;
    mChat[id] = c.id;
    mSeq[id] = seq;
    mAuthor[id] = authorId;
    mDate[id] = now;
    mEvent[id] = event;
    if (text !== void 0) systemTexts.set(id, text);
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
      const others = conv.members.slice(1).sort((a, b) => a - b);
      const count = 1 + others.length;
      const chat = newChat(
        {
          type: conv.type,
          title: conv.title,
          owner_id: userId,
          author_id: userId,
          entity_type: conv.entityType ?? "",
          entity_id: conv.entityId ?? "",
          entity_data_1: conv.entityData?.[0] ?? "",
          entity_data_2: conv.entityData?.[1] ?? "",
          entity_data_3: conv.entityData?.[2] ?? "",
          member_count: count,
          large: count > o.fanoutLimit ? 1 : 0
        },
        now
      );
      chat.row.color = colorFor(chat.row.id);
      for (const u of [userId, ...others]) addMember(chat, u, chat.row.id, u === userId ? "OWNER" : "MEMBER", now);
      convChat[e.conv[i]] = chat;
      if (others.length > 0) {
        const text = systemText(o.language, "invited", o.users.get(userId), others.map((u) => o.users.get(u)));
        post(chat, 0, now, -1, text);
        const me = memberOf(chat, userId);
        const before = me.read_seq;
        me.read_seq = chat.row.last_seq;
        me.read_message_id = chat.row.last_message_id;
        me.date_update = now;
        markNotifyRead(chat, before, chat.row.last_seq, userId);
      }
    } else if (e.kind[i] === EV_MESSAGE) {
      let chat = convChat[e.conv[i]];
      if (!chat) {
        const peer = conv.members[0] === userId ? conv.members[1] : conv.members[0];
        chat = newChat({ type: "P", dialog_key: dialogKey(userId, peer), author_id: userId, member_count: 2 }, now);
        addMember(chat, userId, peer, "MEMBER", now);
        addMember(chat, peer, userId, "MEMBER", now);
        convChat[e.conv[i]] = chat;
      }
      post(chat, userId, now, i);
    } else {
      const chat = convChat[e.conv[i]];
      const c = chat.row;
      const me = memberOf(chat, userId);
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
          if (flips) {
            c.date_update = now;
            if (!c.large) for (const m of chat.members) m.date_update = now;
          }
        }
      }
    }
    if (o.onProgress && (i & 16383) === 0) o.onProgress(i);
  }
  const chatOfConv = new Int32Array(plan.convs.length);
  convChat.forEach((c, i) => chatOfConv[i] = c?.row.id ?? 0);
  return {
    chatOfConv,
    chats: chats.map((c) => c.row),
    members: chats.flatMap((c) => c.members),
    messageCount: lastMessageId,
    messages(from, to) {
      const out = [];
      for (let id = from; id <= Math.min(to, lastMessageId); id++) {
        const system = mEvent[id] < 0;
        out.push({
          id,
          chat_id: mChat[id],
          seq: mSeq[id],
          author_id: mAuthor[id],
          text: system ? systemTexts.get(id) : messageText(plan.seed, mEvent[id]),
          system: system ? 1 : 0,
          params: system ? JSON.stringify({ CODE: "CHAT_JOIN" }) : "{}",
          has_file: 0,
          has_attach: 0,
          uuid: null,
          date: mDate[id],
          date_edit: null,
          deleted: 0,
          notify_read: mNotify[id]
        });
      }
      return out;
    }
  };
}

// src/seed/run.ts
var silentProgress = { start() {
}, update() {
}, stop() {
} };
var BATCH = 2e4;
async function seedPlan(store, config, plan, path, progress = silentProgress) {
  let now = plan.t0;
  const app = await createApp(store, config, { clock: () => now });
  if (await store.chats.get(1) || await store.users.count({}) > 1) throw new Error("The database is not empty: seed needs a fresh database");
  progress.start("users", plan.users.length);
  const users = /* @__PURE__ */ new Map();
  for (let i = 0; i < plan.users.length; i++) {
    const u = plan.users[i];
    const row = await app.users.create({ name: u.name, lastName: u.lastName, email: u.email, workPosition: u.workPosition, gender: u.gender, connector: u.connector });
    if (row.id !== i + FIRST_USER_ID) throw new Error(`Expected user id ${i + FIRST_USER_ID}, got ${row.id}`);
    users.set(row.id, row);
    if ((i & 255) === 0) progress.update(i);
  }
  progress.update(plan.users.length);
  progress.stop();
  if (path === "app") {
    const e = plan.events;
    const chatOfConv = new Int32Array(plan.convs.length);
    progress.start("events (app layer)", e.length);
    for (let i = 0; i < e.length; i++) {
      now = e.time[i];
      const conv = plan.convs[e.conv[i]];
      const user = users.get(e.user[i]);
      if (e.kind[i] === EV_CREATE) {
        chatOfConv[e.conv[i]] = await app.chats.createGroup(user, {
          type: conv.type,
          title: conv.title,
          userIds: conv.members.slice(1),
          entityType: conv.entityType,
          entityId: conv.entityId,
          entityData: conv.entityData
        });
        continue;
      }
      const ref = conv.kind === "dialog" ? { kind: "user", userId: conv.members[0] === user.id ? conv.members[1] : conv.members[0] } : { kind: "chat", chatId: chatOfConv[e.conv[i]] };
      if (e.kind[i] === EV_MESSAGE) {
        const id = await app.messages.add(user, ref, { text: messageText(plan.seed, i) });
        if (conv.kind === "dialog" && !chatOfConv[e.conv[i]]) chatOfConv[e.conv[i]] = (await store.messages.get(id)).chat_id;
      } else {
        await app.reads.read(user, ref);
      }
      if ((i & 255) === 0) progress.update(i);
    }
    progress.update(e.length);
    progress.stop();
    await app.dispatcher.drain();
    now = plan.now;
    const last = await store.chats.getMany([...chatOfConv].filter(Boolean));
    return { app, chatOfConv, messages: last.reduce((s, c) => s + c.last_seq, 0), chats: last.length, members: last.reduce((s, c) => s + c.member_count, 0) };
  }
  progress.start("events (in memory)", plan.events.length);
  const sim = simulate(plan, { fanoutLimit: config.fanoutLimit, language: config.language, users, onProgress: (d) => progress.update(d) });
  progress.update(plan.events.length);
  progress.stop();
  const total = sim.chats.length + sim.members.length + sim.messageCount;
  progress.start("rows", total);
  let done = 0;
  const write = async (count, batch) => {
    for (let i = 0; i < count; i += BATCH) {
      const to = Math.min(count, i + BATCH);
      await batch(i, to);
      done += to - i;
      progress.update(done);
    }
  };
  await write(sim.chats.length, (a, b) => store.transaction((tx) => tx.bulk.insertChats(sim.chats.slice(a, b))));
  await write(sim.members.length, (a, b) => store.transaction((tx) => tx.bulk.insertMembers(sim.members.slice(a, b))));
  await write(sim.messageCount, (a, b) => store.transaction((tx) => tx.bulk.insertMessages(sim.messages(a + 1, b))));
  await store.bulk.finish();
  progress.stop();
  now = plan.now;
  return { app, chatOfConv: sim.chatOfConv, messages: sim.messageCount, chats: sim.chats.length, members: sim.members.length };
}
export {
  seedPlan,
  silentProgress
};
//# sourceMappingURL=run-BONRYUXK.js.map
