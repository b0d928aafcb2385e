import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  BINDABLE_EVENTS,
  BOT_HANDLERS,
  HEX_COLOR,
  QUEUE_TYPES,
  SAFE_LINK,
  asList,
  chatDialogId,
  colorFor,
  colorToken,
  createApp,
  decodeStructure,
  escapeHtml,
  int,
  isAssoc,
  isDict,
  oneLine,
  parseColor,
  parseDialogId,
  previewText,
  requireApp,
  str,
  systemClock,
  unreadCounter
} from "./chunk-3V3VO3DL.js";
import {
  INT32,
  ListResult,
  Registry,
  SAFE_INT,
  intWithin,
  parsePhpQuery,
  phpTruthy
} from "./chunk-FYFGWV2I.js";
import {
  BATCH_MAX_COMMANDS,
  BitrixError,
  DIALOG_MESSAGES_PAGE,
  Errors,
  RECENT_LIST_PAGE,
  STRUCTURE_MAX_LENGTH
} from "./chunk-ZXJPHV6V.js";
import {
  BASE_SCOPE,
  KNOWN_SCOPES,
  scopeAllows
} from "./chunk-37R5R6S4.js";
import {
  absoluteUrl,
  botData,
  fullName,
  imUser,
  restUser
} from "./chunk-EWIOD7KL.js";
import {
  atom,
  parseAtom
} from "./chunk-6K7A6N7G.js";
import {
  openStore
} from "./chunk-SYHKNLY7.js";
import {
  USER_SORT_FIELDS,
  USER_TEXT_FIELDS
} from "./chunk-OLGWREFJ.js";
import "./chunk-QJHNPULM.js";
import "./chunk-AGWMCOCW.js";

// src/methods/app.ts
function appContext(auth) {
  if (!auth.app) throw Errors.method("AccessException", "Application context required");
  return requireApp(auth.app);
}
function optionsParam(params) {
  const raw = params.structure("options") ?? params.structure("OPTIONS");
  if (!raw || Array.isArray(raw) || Object.keys(raw).length === 0) throw Errors.method("ArgumentNullException", "options is empty");
  return raw;
}
function optionAnswer(all, name) {
  if (name !== void 0) return all[name] ?? null;
  return Object.keys(all).length ? all : [];
}
var appMethods = [
  {
    name: "app.info",
    scope: "basic",
    params: [],
    async handler({ app, auth }) {
      const license = `${app.config.language}_selfhosted`;
      if (auth.app) {
        return {
          ID: auth.app.id,
          CODE: auth.app.code,
          VERSION: auth.app.version,
          STATUS: "L",
          // a local application
          INSTALLED: auth.app.installed === 1,
          PAYMENT_EXPIRED: "N",
          DAYS: null,
          LANGUAGE_ID: app.config.language,
          LICENSE: license
        };
      }
      if (auth.kind === "webhook") return { SCOPE: [...auth.scopes].sort(), LICENSE: license };
      throw Errors.accessDenied("Access denied! Application context required");
    }
  },
  {
    name: "app.option.get",
    scope: "basic",
    params: ["option", "OPTION"],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      const name = params.string("option") ?? params.string("OPTION");
      return optionAnswer(await app.lifecycle.options(owner, 0, name), name);
    }
  },
  {
    name: "app.option.set",
    scope: "basic",
    params: ["options", "OPTIONS"],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      if (auth.user.is_admin !== 1) throw Errors.method("AccessException", "Administrator authorization required");
      await app.lifecycle.setOptions(owner, 0, optionsParam(params));
      return true;
    }
  },
  {
    name: "user.option.get",
    scope: "basic",
    params: ["option", "OPTION"],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      const name = params.string("option") ?? params.string("OPTION");
      return optionAnswer(await app.lifecycle.options(owner, auth.user.id, name), name);
    }
  },
  {
    name: "user.option.set",
    scope: "basic",
    params: ["options", "OPTIONS"],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      await app.lifecycle.setOptions(owner, auth.user.id, optionsParam(params));
      return true;
    }
  }
];

// src/present/php.ts
function phpMap(map) {
  for (const _ in map) return map;
  return [];
}

// src/methods/batch.ts
var BATCH_MAX = BATCH_MAX_COMMANDS;
var REF = /\$(result|next|total|time|error)((?:\[[^\]]*\])+)/g;
function lookup(done, kind, path) {
  const keys = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
  const table = kind === "result" ? done.result : kind === "next" ? done.result_next : kind === "total" ? done.result_total : kind === "time" ? done.result_time : done.result_error;
  let cur = table;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[k];
  }
  return cur;
}
function substitute(value, done) {
  if (typeof value === "string") {
    const whole = /^\$(result|next|total|time|error)((?:\[[^\]]*\])+)$/.exec(value);
    if (whole) {
      const found = lookup(done, whole[1], whole[2]);
      return found === void 0 ? "" : found;
    }
    return value.replace(REF, (_m, kind, path) => {
      const found = lookup(done, kind, path);
      return found === void 0 || found === null || typeof found === "object" ? "" : String(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, done));
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, done);
    return out;
  }
  return value;
}
function phpArray(map) {
  const keys = Object.keys(map);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => map[k]);
  return phpMap(map);
}
function timeBlock(startMs, endMs, zone) {
  return {
    start: startMs / 1e3,
    finish: endMs / 1e3,
    duration: (endMs - startMs) / 1e3,
    processing: (endMs - startMs) / 1e3,
    date_start: atom(Math.floor(startMs / 1e3), zone),
    date_finish: atom(Math.floor(endMs / 1e3), zone)
  };
}
var batchMethods = [
  {
    name: "batch",
    scope: "basic",
    params: ["cmd", "halt", "CMD", "HALT"],
    batch: false,
    async handler({ params, call, app }) {
      const cmdRaw = params.raw("cmd") ?? params.raw("CMD");
      const halt = phpTruthy(params.raw("halt") ?? params.raw("HALT"));
      const commands = cmdRaw && typeof cmdRaw === "object" ? Object.entries(cmdRaw) : [];
      const done = { result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} };
      let index = 0;
      for (const [key, command] of commands) {
        index++;
        if (typeof command !== "string") continue;
        if (index > BATCH_MAX) {
          done.result_error[key] = { error: "ERROR_BATCH_LENGTH_EXCEEDED", error_description: "Max batch length exceeded" };
          continue;
        }
        const startMs = Date.now();
        const q = command.indexOf("?");
        const method = (q < 0 ? command : command.slice(0, q)).trim().replace(/\.json$/i, "");
        try {
          const query = substitute(parsePhpQuery(q < 0 ? "" : command.slice(q + 1)), done);
          if (method.toLowerCase() === "batch") {
            throw new BitrixError("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage", 400);
          }
          const out = await call(method, query);
          done.result[key] = out.result;
          if (out.total !== void 0) done.result_total[key] = out.total;
          if (out.next !== void 0) done.result_next[key] = out.next;
        } catch (err) {
          if (!(err instanceof BitrixError)) throw err;
          done.result_error[key] = { error: err.code, error_description: err.description, ...err.extra };
        }
        done.result_time[key] = timeBlock(startMs, Date.now(), app.config.timezone);
        if (halt && done.result_error[key]) break;
      }
      return {
        result: phpArray(done.result),
        result_error: phpArray(done.result_error),
        result_total: phpArray(done.result_total),
        result_next: phpArray(done.result_next),
        result_time: phpArray(done.result_time)
      };
    }
  }
];

// src/present/chats.ts
function chatTypeName(chat) {
  switch (chat.type) {
    case "O":
      return "open";
    case "L":
      return "lines";
    case "P":
      return "private";
    default:
      return "chat";
  }
}
function roleOf(chat, member) {
  if (!member) return "GUEST";
  if (chat.owner_id === member.user_id) return "OWNER";
  return member.role === "MANAGER" ? "MANAGER" : "MEMBER";
}
function restrictions(chat) {
  const lines = chat.type === "L";
  return { avatar: !lines, rename: !lines, extend: !lines, call: true, mute: true, leave: true, leave_owner: true, send: true, user_list: true };
}
var PERMISSIONS = {
  manage_users_add: "member",
  manage_users_delete: "manager",
  manage_ui: "member",
  manage_settings: "owner",
  manage_messages: "member",
  can_post: "member"
};
function recentChat(chat, member, o) {
  const role = roleOf(chat, member);
  const avatar = absoluteUrl(chat.avatar, o.publicUrl);
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    title: chat.title,
    owner: chat.owner_id,
    extranet: chat.extranet === 1,
    contains_collaber: false,
    avatar,
    color: chat.color,
    type: chatTypeName(chat),
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: chat.entity_data_1,
    entity_data_2: chat.entity_data_2,
    entity_data_3: chat.entity_data_3,
    mute_list: phpMap(member.muted ? { [member.user_id]: true } : {}),
    manager_list: role === "OWNER" || role === "MANAGER" ? [member.user_id] : [],
    date_create: atom(chat.date_create, o.zone),
    message_type: chat.type,
    user_counter: chat.member_count,
    restrictions: restrictions(chat),
    role,
    text_field_enabled: true,
    background_id: null,
    entity_link: { type: "", url: "", id: "" },
    permissions: PERMISSIONS,
    public: ""
  };
}
function fullChat(chat, member, members, counter, o) {
  const role = roleOf(chat, member);
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    description: chat.description,
    owner: chat.owner_id,
    extranet: chat.extranet === 1,
    avatar: absoluteUrl(chat.avatar, o.publicUrl),
    color: chat.color,
    type: chatTypeName(chat),
    counter,
    user_counter: chat.member_count,
    message_count: chat.last_seq,
    unread_id: 0,
    restrictions: restrictions(chat),
    last_message_id: chat.last_message_id,
    last_id: member?.read_message_id ?? 0,
    marked_id: 0,
    disk_folder_id: 0,
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: chat.entity_data_1,
    entity_data_2: chat.entity_data_2,
    entity_data_3: chat.entity_data_3,
    // The caller's own mute state only, as a list of ids (the portal's chat.php builds it from the caller's relation).
    mute_list: member?.muted ? [member.user_id] : [],
    manager_list: members.filter((m) => m.role === "OWNER" || m.role === "MANAGER" || m.user_id === chat.owner_id).map((m) => m.user_id),
    date_create: atom(chat.date_create, o.zone),
    message_type: chat.type,
    public: "",
    role: role.toLowerCase(),
    entity_link: { type: "", url: "", id: "" },
    text_field_enabled: true,
    background_id: null,
    permissions: PERMISSIONS
  };
}

// src/methods/im-params.ts
function requireDialog(params, name = "DIALOG_ID") {
  const ref = parseDialogId(params.string(name));
  if (!ref) throw Errors.method("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
  return ref;
}
function requireChatId(params, name = "CHAT_ID") {
  const raw = params.raw(name);
  const id = typeof raw === "number" || typeof raw === "string" ? intWithin(raw, INT32) : 0;
  if (id <= 0) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
  return id;
}
function optionalPositiveId(params, name) {
  if (!params.has(name)) return void 0;
  const id = params.int(name, SAFE_INT);
  return id !== void 0 && id > 0 ? id : void 0;
}
function requireUserId(params, name = "USER_ID") {
  const userId = params.int(name) ?? 0;
  if (userId <= 0) throw Errors.method("USER_ID_EMPTY", "User ID can't be empty");
  return userId;
}

// src/methods/present-options.ts
function presentOptions(app) {
  return { zone: app.config.timezone, publicUrl: app.config.publicUrl };
}
async function presentOptionsFor(app, users) {
  const o = presentOptions(app);
  const botIds = users.filter((u) => u.bot === 1).map((u) => u.id);
  if (botIds.length === 0) return o;
  const bots = /* @__PURE__ */ new Map();
  const clientIds = /* @__PURE__ */ new Map();
  for (const bot of await app.store.bots.getMany(botIds)) {
    if (!clientIds.has(bot.app_id)) clientIds.set(bot.app_id, (await app.store.auth.app(bot.app_id))?.client_id ?? "");
    bots.set(bot.id, botData(bot, clientIds.get(bot.app_id)));
  }
  return { ...o, bots };
}

// src/methods/im.chat.ts
var imChatMethods = [
  {
    name: "im.chat.add",
    scope: "im",
    params: ["TYPE", "TITLE", "DESCRIPTION", "COLOR", "MESSAGE", "USERS", "AVATAR", "ENTITY_TYPE", "ENTITY_ID", "OWNER_ID", "COPILOT_MAIN_ROLE"],
    async handler({ app, auth, params }) {
      const typeRaw = (params.string("TYPE") ?? "CHAT").toUpperCase();
      if (typeRaw !== "CHAT" && typeRaw !== "OPEN") params.fallback("TYPE", "TYPE must be CHAT or OPEN");
      let color;
      if (params.has("COLOR")) {
        color = parseColor(params.string("COLOR") ?? "");
        if (!color) params.fallback("COLOR", "Unknown COLOR");
      }
      if (params.has("AVATAR")) params.fallback("AVATAR", "Chat avatars are not stored by b24im");
      return app.chats.createGroup(auth.user, {
        type: typeRaw === "OPEN" ? "O" : "C",
        title: params.string("TITLE"),
        description: params.string("DESCRIPTION"),
        color,
        userIds: params.intList("USERS"),
        ownerId: params.int("OWNER_ID"),
        entityType: params.string("ENTITY_TYPE"),
        entityId: params.string("ENTITY_ID"),
        message: params.string("MESSAGE")
      });
    }
  },
  {
    name: "im.chat.get",
    scope: "im",
    params: ["DIALOG_ID", "ENTITY_TYPE", "ENTITY_ID", "CHAT_ID"],
    async handler({ app, auth, params }) {
      if (params.has("DIALOG_ID")) {
        const ref = requireDialog(params);
        const access = await app.chats.resolve(app.store, auth.user, ref, false);
        if (!access || !app.chats.canRead(auth.user, access)) throw Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog", 403);
        const { chat: chat2, member: member2 } = access;
        const counter = member2 ? await unreadCounter(app.store, member2, chat2) : 0;
        return { ...fullChat(chat2, member2, await app.store.members.list(chat2.id), counter, presentOptions(app)), dialog_id: params.string("DIALOG_ID") };
      }
      const entityType = params.string("ENTITY_TYPE") ?? "";
      const entityId = params.string("ENTITY_ID") ?? "";
      if (entityType && entityId) {
        const chat2 = await app.store.chats.byEntity(entityType, entityId);
        if (!chat2 || !app.chats.canRead(auth.user, { chat: chat2, member: await app.store.members.get(chat2.id, auth.user.id) })) return null;
        return { ID: chat2.id };
      }
      if (!params.has("CHAT_ID")) return null;
      params.fallback("CHAT_ID", "A portal ignores CHAT_ID in im.chat.get: pass DIALOG_ID=chatN or ENTITY_TYPE + ENTITY_ID");
      const chatId2 = requireChatId(params);
      const chat = await app.store.chats.get(chatId2);
      if (!chat || chat.type === "P") return null;
      const member = await app.store.members.get(chat.id, auth.user.id);
      if (!app.chats.canRead(auth.user, { chat, member })) return null;
      const members = await app.store.members.list(chat.id);
      return fullChat(chat, member, members, member ? await unreadCounter(app.store, member, chat) : 0, presentOptions(app));
    }
  },
  {
    name: "im.chat.user.add",
    scope: "im",
    params: ["CHAT_ID", "USERS", "HIDE_HISTORY"],
    async handler({ app, auth, params }) {
      const chatId2 = requireChatId(params);
      await app.chats.addMembers(auth.user, chatId2, params.intList("USERS"), params.flag("HIDE_HISTORY", true));
      return true;
    }
  },
  {
    name: "im.chat.user.delete",
    scope: "im",
    params: ["CHAT_ID", "USER_ID"],
    async handler({ app, auth, params }) {
      const chatId2 = requireChatId(params);
      const userId = requireUserId(params);
      await app.chats.removeMember(auth.user, chatId2, userId);
      return true;
    }
  },
  {
    name: "im.chat.leave",
    scope: "im",
    params: ["CHAT_ID"],
    async handler({ app, auth, params }) {
      await app.chats.removeMember(auth.user, requireChatId(params), auth.user.id);
      return true;
    }
  },
  {
    name: "im.chat.user.list",
    scope: "im",
    params: ["CHAT_ID"],
    async handler({ app, auth, params }) {
      const chatId2 = requireChatId(params);
      const chat = await app.store.chats.get(chatId2);
      const member = chat ? await app.store.members.get(chat.id, auth.user.id) : void 0;
      if (!chat || !app.chats.canRead(auth.user, { chat, member })) throw Errors.method("ACCESS_ERROR", "Action unavailable");
      return app.store.members.userIds(chat.id);
    }
  },
  {
    name: "im.dialog.users.list",
    scope: "im",
    params: ["DIALOG_ID", "SKIP_EXTERNAL", "SKIP_EXTERNAL_EXCEPT_TYPES"],
    async handler({ app, auth, params, start }) {
      const ref = requireDialog(params);
      const access = await app.chats.resolve(app.store, auth.user, ref, false);
      if (!access || !app.chats.canRead(auth.user, access)) throw Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog");
      const ids = await app.store.members.userIds(access.chat.id);
      const users = await app.store.users.getMany(ids.slice(start, start + 50));
      const o = await presentOptionsFor(app, users);
      return users.map((u) => imUser(u, o));
    }
  },
  {
    name: "im.chat.updateTitle",
    scope: "im",
    params: ["CHAT_ID", "TITLE"],
    async handler({ app, auth, params }) {
      await app.chats.rename(auth.user, requireChatId(params), params.string("TITLE") ?? "");
      return true;
    }
  },
  {
    name: "im.chat.updateColor",
    scope: "im",
    params: ["CHAT_ID", "COLOR"],
    async handler({ app, auth, params }) {
      const chatId2 = requireChatId(params);
      const color = parseColor(params.string("COLOR") ?? "");
      if (!color) throw Errors.method("WRONG_COLOR", "This color currently unavailable");
      await app.chats.recolor(auth.user, chatId2, color);
      return true;
    }
  },
  {
    name: "im.chat.setOwner",
    scope: "im",
    params: ["CHAT_ID", "USER_ID"],
    async handler({ app, auth, params }) {
      const chatId2 = requireChatId(params);
      const userId = requireUserId(params);
      await app.chats.setOwner(auth.user, chatId2, userId);
      return true;
    }
  },
  {
    name: "im.chat.mute",
    scope: "im",
    params: ["CHAT_ID", "DIALOG_ID", "ACTION", "MUTE"],
    async handler({ app, auth, params }) {
      let chatId2;
      if (params.has("CHAT_ID")) chatId2 = requireChatId(params);
      else {
        const access = await app.chats.resolve(app.store, auth.user, requireDialog(params), false);
        if (!access) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
        chatId2 = access.chat.id;
      }
      const action = params.has("ACTION") ? params.string("ACTION") : params.string("MUTE");
      await app.chats.mute(auth.user, chatId2, action !== "N");
      return true;
    }
  }
];

// src/methods/im.counters.ts
var imCountersMethods = [
  {
    name: "im.counters.get",
    scope: "im",
    params: ["JSON", "ONLY_COUNTER"],
    async handler({ app, auth }) {
      const chat = {};
      const chatMuted = {};
      const lines = {};
      const dialog = {};
      const chatUnread = [];
      const dialogUnread = [];
      let sumChat = 0;
      let sumLines = 0;
      let sumDialog = 0;
      for (const { member, chat: c } of await app.store.members.allOfUser(auth.user.id)) {
        const n = await unreadCounter(app.store, member, c);
        if (c.type === "P") {
          if (member.unread) dialogUnread.push(member.item_id);
          if (n > 0) {
            dialog[member.item_id] = n;
            sumDialog += n;
          }
        } else if (c.type === "L") {
          if (n > 0) {
            lines[c.id] = n;
            sumLines += n;
          }
        } else {
          if (member.unread) chatUnread.push(c.id);
          if (n <= 0) continue;
          if (member.muted) chatMuted[c.id] = n;
          else {
            chat[c.id] = n;
            sumChat += n;
          }
        }
      }
      const messenger = sumChat + sumLines + sumDialog;
      return {
        TYPE: { ALL: messenger, NOTIFY: 0, CHAT: sumChat, LINES: sumLines, DIALOG: sumDialog, MESSENGER: messenger },
        CHAT: phpMap(chat),
        CHAT_MUTED: phpMap(chatMuted),
        CHAT_UNREAD: chatUnread,
        LINES: phpMap(lines),
        DIALOG: phpMap(dialog),
        DIALOG_UNREAD: dialogUnread
      };
    }
  }
];

// src/present/messages.ts
function messageParams(m) {
  const params = JSON.parse(m.params);
  if (typeof params.CODE === "string") {
    params.CODE = [params.CODE];
    params.NOTIFY ??= "N";
  }
  return params;
}
function historyMessage(m, viewer, zone) {
  return {
    id: m.id,
    chat_id: m.chat_id,
    author_id: m.author_id,
    date: atom(m.date, zone),
    text: m.text,
    unread: viewer ? m.author_id !== viewer.user_id && m.seq > viewer.read_seq : false,
    uuid: m.uuid,
    replaces: [],
    params: phpMap(messageParams(m)),
    disappearing_date: null
  };
}

// src/methods/im.dialog.ts
var HISTORY_DEFAULT = DIALOG_MESSAGES_PAGE.default;
var HISTORY_MAX = DIALOG_MESSAGES_PAGE.max;
function cursor(params, name) {
  if (!params.has(name)) return void 0;
  const raw = params.raw(name);
  const text2 = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (!/^\d+$/.test(text2)) throw Errors.method(`${name}_STRING`, `${name === "LAST_ID" ? "Last" : "First"} ID can't be string`);
  const n = intWithin(text2, SAFE_INT);
  return n > 0 ? n : void 0;
}
var imDialogMethods = [
  {
    name: "im.dialog.get",
    scope: "im",
    params: ["DIALOG_ID"],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const access = await app.store.transaction((tx) => app.chats.resolve(tx, auth.user, ref, ref.kind === "user"));
      if (!access || !app.chats.canRead(auth.user, access)) {
        throw Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog", 403);
      }
      const { chat, member } = access;
      const members = await app.store.members.list(chat.id);
      const counter = member ? await unreadCounter(app.store, member, chat) : 0;
      return {
        ...fullChat(chat, member, members, counter, presentOptions(app)),
        readed_list: [],
        is_new: false,
        last_message_views: { message_id: chat.last_message_id, first_viewers: [], count_of_viewers: 0 },
        dialog_id: ref.kind === "user" ? String(ref.userId) : chatDialogId(chat.id)
      };
    }
  },
  {
    name: "im.dialog.messages.get",
    scope: "im",
    params: ["DIALOG_ID", "LAST_ID", "FIRST_ID", "LIMIT"],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const lastId = cursor(params, "LAST_ID");
      const firstId = cursor(params, "FIRST_ID");
      let limit = params.int("LIMIT") ?? HISTORY_DEFAULT;
      if (limit <= 0) limit = HISTORY_DEFAULT;
      if (limit > HISTORY_MAX) {
        params.fallback("LIMIT", `LIMIT is at most ${HISTORY_MAX}`);
        limit = HISTORY_MAX;
      }
      const page = await app.messages.history(auth.user, ref, { beforeId: firstId === void 0 ? lastId : void 0, afterId: firstId, limit });
      if (!page) return { chat_id: 0, messages: [], users: [], files: [] };
      const member = await app.store.members.get(page.chat.id, auth.user.id);
      const messages = [...page.messages].sort((a, b) => b.id - a.id);
      const authors = await app.store.users.getMany(messages.map((m) => m.author_id).filter((id) => id > 0));
      const o = await presentOptionsFor(app, authors);
      return {
        chat_id: page.chat.id,
        messages: messages.map((m) => historyMessage(m, member, app.config.timezone)),
        users: authors.map((u) => imUser(u, o)),
        files: []
      };
    }
  },
  {
    name: "im.dialog.read",
    scope: "im",
    params: ["DIALOG_ID", "MESSAGE_ID", "LAST_ID"],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const messageId = params.int("MESSAGE_ID", SAFE_INT) ?? params.int("LAST_ID", SAFE_INT);
      const read = await app.reads.read(auth.user, ref, messageId !== void 0 && messageId > 0 ? messageId : void 0);
      if (!read) return false;
      return {
        dialogId: ref.kind === "user" ? String(ref.userId) : chatDialogId(read.chat.id),
        chatId: read.chat.id,
        lastId: read.lastId,
        counter: read.counter
      };
    }
  },
  {
    name: "im.dialog.unread",
    scope: "im",
    params: ["DIALOG_ID", "MESSAGE_ID"],
    async handler({ app, auth, params }) {
      const messageId = params.int("MESSAGE_ID", SAFE_INT) ?? 0;
      if (messageId <= 0) throw Errors.method("MESSAGE_ID_ERROR", "First unread message id can't be empty");
      return app.reads.markUnreadFrom(auth.user, requireDialog(params), messageId);
    }
  },
  {
    name: "im.dialog.read.all",
    scope: "im",
    params: [],
    async handler({ app, auth }) {
      await app.reads.readAll(auth.user);
      return true;
    }
  }
];

// src/app/attach.ts
function items(v) {
  if (isAssoc(v)) return [v];
  return asList(v) ?? [];
}
var has = (d, key) => d[key] !== void 0 && d[key] !== null;
var link = (v) => SAFE_LINK.test(str(v)) ? str(v) : void 0;
function userItem(p, avatarType) {
  if (str(p.NAME).trim() === "") return void 0;
  const add = { NAME: oneLine(str(p.NAME)), AVATAR_TYPE: "USER" };
  if (has(p, "NETWORK_ID")) add.NETWORK_ID = str(p.NETWORK_ID).slice(0, 1) + int(str(p.NETWORK_ID).slice(1));
  else if (int(p.USER_ID) > 0) add.USER_ID = int(p.USER_ID);
  else if (int(p.CHAT_ID) > 0) {
    add.CHAT_ID = int(p.CHAT_ID);
    add.AVATAR_TYPE = "CHAT";
  } else if (int(p.BOT_ID) > 0) {
    add.BOT_ID = int(p.BOT_ID);
    add.AVATAR_TYPE = "BOT";
  } else if (link(p.LINK)) add.LINK = link(p.LINK);
  if (link(p.AVATAR)) add.AVATAR = link(p.AVATAR);
  const type = avatarType ?? str(p.AVATAR_TYPE);
  if (["CHAT", "USER", "BOT"].includes(type)) add.AVATAR_TYPE = type;
  return add;
}
function linkItem(p, rich) {
  const add = {};
  if (has(p, "NETWORK_ID") && has(p, "NAME")) add.NETWORK_ID = str(p.NETWORK_ID).slice(0, 1) + int(str(p.NETWORK_ID).slice(1));
  else if (int(p.USER_ID) > 0 && has(p, "NAME")) add.USER_ID = int(p.USER_ID);
  else if (int(p.CHAT_ID) > 0 && has(p, "NAME")) add.CHAT_ID = int(p.CHAT_ID);
  else if (!link(p.LINK)) return void 0;
  if (has(p, "NAME")) add.NAME = oneLine(str(p.NAME).trim());
  if (has(p, "LINK")) add.LINK = str(p.LINK);
  if (has(p, "DESC")) add.DESC = rich ? oneLine(str(p.DESC).trim()) : str(p.DESC);
  if (has(p, "HTML")) add.HTML = rich ? oneLine(str(p.HTML).trim()) : str(p.HTML);
  if (link(p.PREVIEW) && (rich || !has(p, "HTML"))) {
    add.PREVIEW = link(p.PREVIEW);
    if (rich) {
      const size = isDict(p.PREVIEW_SIZE) ? p.PREVIEW_SIZE : {};
      add.PREVIEW_SIZE = { HEIGHT: int(size.HEIGHT), WIDTH: int(size.WIDTH) };
    } else {
      if (int(p.WIDTH) > 0) add.WIDTH = int(p.WIDTH);
      if (int(p.HEIGHT) > 0) add.HEIGHT = int(p.HEIGHT);
    }
  } else if (rich && link(p.EXTRA_IMAGE)) add.EXTRA_IMAGE = link(p.EXTRA_IMAGE);
  return add;
}
var GRID_DISPLAY = { BLOCK: "BLOCK", LINE: "LINE", CARD: "LINE", ROW: "ROW", COLUMN: "ROW", TABLE: "TABLE" };
function gridItem(g) {
  const display = GRID_DISPLAY[str(g.DISPLAY)] ?? "BLOCK";
  if (str(g.DISPLAY) !== "LINE" && str(g.NAME).trim() === "" && str(g.VALUE).trim() === "") return void 0;
  const out = { DISPLAY: display, NAME: oneLine(str(g.NAME).trim()), VALUE: str(g.VALUE).trim().replaceAll("#BR#", "[BR]") };
  if (HEX_COLOR.test(str(g.COLOR))) out.COLOR = str(g.COLOR);
  for (const key of ["WIDTH", "HEIGHT", "USER_ID", "CHAT_ID"]) if (int(g[key]) > 0) out[key] = int(g[key]);
  if (link(g.LINK)) out.LINK = link(g.LINK);
  out.COLOR_TOKEN = colorToken(g.COLOR_TOKEN);
  return out;
}
function imageItem(p) {
  if (!link(p.LINK)) return void 0;
  const out = {};
  if (str(p.NAME).trim() !== "") out.NAME = str(p.NAME).trim();
  out.LINK = str(p.LINK);
  if (int(p.WIDTH) > 0) out.WIDTH = int(p.WIDTH);
  if (int(p.HEIGHT) > 0) out.HEIGHT = int(p.HEIGHT);
  if (link(p.PREVIEW)) out.PREVIEW = link(p.PREVIEW);
  return out;
}
function fileItem(p) {
  if (!link(p.LINK)) return void 0;
  const out = { LINK: str(p.LINK) };
  if (str(p.NAME).trim() !== "") out.NAME = oneLine(str(p.NAME).trim());
  if (int(p.SIZE) > 0) out.SIZE = int(p.SIZE);
  return out;
}
function block(data, attach) {
  const many = (key, build) => {
    const list = items(data[key]).filter(isDict).map(build).filter((x) => !!x);
    return list.map((item) => ({ [key]: [item] }));
  };
  if (has(data, "USER")) return many("USER", (p) => userItem(p));
  if (has(data, "LINK")) return many("LINK", (p) => linkItem(p, false));
  if (has(data, "RICH_LINK")) return many("RICH_LINK", (p) => linkItem(p, true));
  if (has(data, "MESSAGE")) {
    const m = data.MESSAGE;
    const asObject = isDict(m) && has(m, "TEXT");
    const text2 = (asObject ? str(m.TEXT) : str(m)).trim().replaceAll("#BR#", "[BR]");
    if (text2 === "") return void 0;
    if (asObject && str(m.AS_DESCRIPTION) === "Y") attach.DESCRIPTION = text2;
    return { MESSAGE: text2 };
  }
  if (has(data, "GRID")) {
    const grid = (asList(data.GRID) ?? []).filter(isDict).map(gridItem).filter((x) => !!x);
    return grid.length ? { GRID: grid } : void 0;
  }
  if (has(data, "IMAGE")) {
    const list = items(data.IMAGE).filter(isDict).map(imageItem).filter((x) => !!x);
    return list.length ? { IMAGE: list } : void 0;
  }
  if (has(data, "FILE")) {
    const list = items(data.FILE).filter(isDict).map(fileItem).filter((x) => !!x);
    return list.length ? { FILE: list } : void 0;
  }
  if (has(data, "DELIMITER")) {
    const d = isDict(data.DELIMITER) ? data.DELIMITER : {};
    const out = { SIZE: int(d.SIZE) > 0 ? int(d.SIZE) : 200 };
    if (HEX_COLOR.test(str(d.COLOR))) out.COLOR = str(d.COLOR);
    return { DELIMITER: out };
  }
  return void 0;
}
function normalizeAttach(input, id) {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return void 0;
  let blocks;
  let color = "CHAT";
  let description = "";
  let token;
  if (isDict(value) && has(value, "BLOCKS")) {
    blocks = asList(value.BLOCKS) ?? (isDict(value.BLOCKS) ? [value.BLOCKS] : []);
    if (has(value, "COLOR")) color = str(value.COLOR);
    if (has(value, "DESCRIPTION")) description = str(value.DESCRIPTION);
    token = value.COLOR_TOKEN;
  } else {
    blocks = asList(value) ?? [value];
  }
  const attach = { ID: id, BLOCKS: [], DESCRIPTION: "", COLOR: colorFor(id), COLOR_TOKEN: "base" };
  if (color === "TRANSPARENT") attach.COLOR = "transparent";
  else if (color !== "CHAT" && HEX_COLOR.test(color)) attach.COLOR = color;
  attach.COLOR_TOKEN = colorToken(token);
  attach.DESCRIPTION = oneLine(description).trim();
  for (const data of blocks) {
    if (!isDict(data)) continue;
    const built2 = block(data, attach);
    if (Array.isArray(built2)) attach.BLOCKS.push(...built2);
    else if (built2) attach.BLOCKS.push(built2);
  }
  return attach.BLOCKS.length ? attach : void 0;
}

// src/app/keyboards.ts
var ACTIONS = ["PUT", "SEND", "COPY", "CALL", "DIALOG", "LIVECHAT", "HELP"];
var MENU_ACTIONS = ["PUT", "SEND", "COPY", "CALL", "DIALOG"];
var COLOR_KEYS = ["BG_COLOR", "TEXT_COLOR", "OFF_BG_COLOR", "OFF_TEXT_COLOR"];
function target(p, botId, actions) {
  const linkText = str(p.LINK);
  if (linkText && SAFE_LINK.test(linkText)) return { LINK: escapeHtml(linkText) };
  if (str(p.FUNCTION)) return { FUNCTION: escapeHtml(str(p.FUNCTION)) };
  if (int(p.APP_ID) > 0 || p.APP_ID !== void 0 && str(p.APP_ID) !== "" && str(p.APP_ID) !== "0") {
    const out = { APP_ID: int(p.APP_ID) };
    if (str(p.APP_PARAMS).trim() !== "") out.APP_PARAMS = str(p.APP_PARAMS);
    return out;
  }
  if (actions.includes(str(p.ACTION)) && str(p.ACTION_VALUE).trim() !== "") return { ACTION: str(p.ACTION), ACTION_VALUE: str(p.ACTION_VALUE) };
  const command = str(p.COMMAND);
  if (botId > 0 && command.trim() !== "") {
    return { COMMAND: command.startsWith("/") ? command.slice(1) : command, COMMAND_PARAMS: str(p.COMMAND_PARAMS).trim() !== "" ? str(p.COMMAND_PARAMS) : "" };
  }
  return void 0;
}
function button(p, botId, colors, vote) {
  if (str(p.TEXT).trim() === "") return void 0;
  const to = target(p, botId, ACTIONS);
  if (!to) return void 0;
  const out = { BOT_ID: botId, TYPE: "BUTTON", ...to, TEXT: str(p.TEXT).trim() };
  out.VOTE = vote ? "Y" : "N";
  out.BLOCK = str(p.BLOCK) === "Y" ? "Y" : "N";
  out.WAIT = "N";
  out.CONTEXT = ["MOBILE", "DESKTOP"].includes(str(p.CONTEXT)) ? str(p.CONTEXT) : "ALL";
  out.DISABLED = str(p.DISABLED) === "Y" ? "Y" : "N";
  out.DISPLAY = ["BLOCK", "LINE"].includes(str(p.DISPLAY)) ? str(p.DISPLAY) : "BLOCK";
  if (int(p.WIDTH) > 0) out.WIDTH = int(p.WIDTH);
  for (const key of COLOR_KEYS) {
    if (HEX_COLOR.test(str(p[key]))) out[key] = str(p[key]);
    else if (colors[key] !== void 0) out[key] = colors[key];
    if (key === "BG_COLOR") out.BG_COLOR_TOKEN = colorToken(p.BG_COLOR_TOKEN);
  }
  return out;
}
function normalizeKeyboard(input, botId) {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return void 0;
  const kb = isDict(value) && value.BUTTONS !== void 0 ? value : { BUTTONS: value };
  const colors = {};
  if (isDict(kb.COLORS)) {
    for (const key of COLOR_KEYS) if (HEX_COLOR.test(str(kb.COLORS[key]))) colors[key] = str(kb.COLORS[key]);
  }
  const vote = str(kb.VOTE) === "Y";
  const out = [];
  for (const b of asList(kb.BUTTONS) ?? []) {
    if (!isDict(b)) continue;
    if (str(b.TYPE) === "NEWLINE") out.push({ TYPE: "NEWLINE" });
    else if (b.FUNCTION !== void 0) continue;
    else {
      const built2 = button(b, botId, colors, vote);
      if (built2) out.push(built2);
    }
  }
  return out.length ? out : void 0;
}
function normalizeMenu(input, botId) {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return void 0;
  const list = asList(isDict(value) && value.ITEMS !== void 0 ? value.ITEMS : value) ?? [];
  const out = [];
  for (const p of list) {
    if (!isDict(p) || p.FUNCTION !== void 0 || str(p.TEXT).trim() === "") continue;
    const to = target(p, botId, MENU_ACTIONS);
    if (!to) continue;
    out.push({
      BOT_ID: botId,
      ...to,
      TEXT: escapeHtml(str(p.TEXT).trim()),
      CONTEXT: ["MOBILE", "DESKTOP"].includes(str(p.CONTEXT)) ? str(p.CONTEXT) : "ALL",
      DISABLED: str(p.DISABLED) === "Y" ? "Y" : "N"
    });
  }
  return out.length ? out : void 0;
}

// src/methods/rich-params.ts
function rawStructure(params, name) {
  if (!params.has(name)) return void 0;
  const raw = params.raw(name);
  if (raw === "N" || raw === "" || raw === null) return null;
  const length = typeof raw === "string" ? raw.length : JSON.stringify(raw).length;
  if (length > STRUCTURE_MAX_LENGTH) oversize(name);
  return raw;
}
function oversize(name) {
  throw Errors.method(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
}
function built(name, value) {
  if (value === void 0) throw Errors.method(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
  if (JSON.stringify(value).length >= STRUCTURE_MAX_LENGTH) oversize(name);
  return value;
}
function attachParam(params, now) {
  const raw = rawStructure(params, "ATTACH");
  if (raw === void 0 || raw === null) return raw;
  return [built("ATTACH", normalizeAttach(raw, now))];
}
function keyboardParam(params, botId) {
  const raw = rawStructure(params, "KEYBOARD");
  if (raw === void 0 || raw === null) return raw;
  return built("KEYBOARD", normalizeKeyboard(raw, botId));
}
function menuParam(params, botId) {
  const raw = rawStructure(params, "MENU");
  if (raw === void 0 || raw === null) return raw;
  return built("MENU", normalizeMenu(raw, botId));
}

// src/methods/im.message.ts
function messageTarget(params) {
  const dialog = (params.string("DIALOG_ID") ?? "").trim();
  if (dialog !== "") {
    const ref = parseDialogId(dialog);
    if (ref) return ref;
    if (dialog.startsWith("chat")) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
    throw Errors.method("USER_ID_EMPTY", "User ID can't be empty");
  }
  if (params.has("CHAT_ID")) return { kind: "chat", chatId: requireChatId(params) };
  if (params.has("USER_ID")) return { kind: "user", userId: requireUserId(params) };
  throw Errors.method("PARAMS_ERROR", "Incorrect params");
}
var imMessageMethods = [
  {
    name: "im.message.add",
    scope: "im",
    params: ["DIALOG_ID", "MESSAGE", "SYSTEM", "ATTACH", "URL_PREVIEW", "KEYBOARD", "MENU", "REPLY_ID", "CHAT_ID", "USER_ID", "UUID", "TEMPLATE_ID"],
    async handler({ app, auth, params }) {
      const ref = messageTarget(params);
      const botId = auth.user.bot === 1 ? auth.user.id : 0;
      return app.messages.add(auth.user, ref, {
        text: params.string("MESSAGE") ?? "",
        system: params.flag("SYSTEM"),
        attach: attachParam(params, app.clock()) ?? void 0,
        keyboard: keyboardParam(params, botId) ?? void 0,
        menu: menuParam(params, botId) ?? void 0,
        urlPreview: params.flag("URL_PREVIEW", true),
        replyId: optionalPositiveId(params, "REPLY_ID"),
        uuid: params.string("UUID") ?? params.string("TEMPLATE_ID")
      });
    }
  },
  {
    name: "im.message.update",
    scope: "im",
    params: ["MESSAGE_ID", "MESSAGE", "ATTACH", "URL_PREVIEW", "KEYBOARD", "MENU", "IS_EDITED"],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, "MESSAGE_ID");
      if (!id) throw Errors.method("MESSAGE_ID_ERROR", "Message ID can't be empty");
      const botId = auth.user.bot === 1 ? auth.user.id : 0;
      await app.messages.update(auth.user, id, {
        text: params.has("MESSAGE") ? params.string("MESSAGE") ?? "" : void 0,
        attach: attachParam(params, app.clock()),
        keyboard: keyboardParam(params, botId),
        menu: menuParam(params, botId),
        urlPreview: params.has("URL_PREVIEW") ? params.flag("URL_PREVIEW", true) : void 0,
        // Changing only the attachments, keyboard or menu (a bot paging a list in place) does not mark it edited.
        isEdited: params.has("MESSAGE") ? params.flag("IS_EDITED", true) : params.string("IS_EDITED") === "Y"
      });
      return true;
    }
  },
  {
    name: "im.message.delete",
    scope: "im",
    params: ["MESSAGE_ID", "COMPLETE"],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, "MESSAGE_ID");
      if (!id) throw Errors.method("MESSAGE_ID_ERROR", "Message ID can't be empty");
      await app.messages.delete(auth.user, id);
      return true;
    }
  }
];

// src/present/recent.ts
function recentUser(u, o) {
  return { ...imUser(u, o), idle: false, mobile_last_date: false, desktop_last_date: false };
}
function recentMessage(item, o) {
  const m = item.message;
  if (!m) {
    return { id: 0, text: "", file: false, author_id: 0, attach: false, sticker: null, date: atom(item.dateUpdate, o.zone), status: "received" };
  }
  const userName = (id) => {
    const u = item.users.get(id);
    return u ? fullName(u) : void 0;
  };
  const text2 = o.originalText ? m.text.replace(/\[user=(\d+)\]\[\/user\]/gi, (all, id) => `[USER=${id} REPLACE]${userName(Number(id)) ?? ""}[/USER]`) : previewText(m.text, { hasFile: m.has_file === 1, hasAttach: m.has_attach === 1, lang: o.lang, userName });
  return {
    id: m.id,
    text: text2,
    file: m.has_file === 1,
    author_id: m.author_id,
    attach: m.has_attach === 1,
    sticker: null,
    date: atom(m.date, o.zone),
    status: m.notify_read ? "delivered" : "received",
    uuid: m.uuid
  };
}
function recentItem(item, o) {
  const { chat, member } = item;
  const isUser = chat.type === "P";
  const peer = item.peer;
  const title = isUser ? peer ? fullName(peer) : "" : chat.title;
  const out = {
    id: isUser ? member.item_id : `chat${chat.id}`,
    chat_id: chat.id,
    type: isUser ? "user" : "chat",
    avatar: {
      url: absoluteUrl(isUser ? peer?.avatar ?? "" : chat.avatar, o.publicUrl),
      color: isUser ? peer?.color ?? "" : chat.color
    },
    title,
    message: recentMessage(item, o)
  };
  if (item.counter !== void 0) out.counter = item.counter;
  Object.assign(out, {
    last_id: member.read_message_id,
    pinned: member.pinned === 1,
    unread: member.unread === 1,
    has_reminder: false,
    date: atom(item.message?.date ?? item.dateUpdate, o.zone),
    date_update: atom(item.dateUpdate, o.zone),
    date_last_activity: atom(item.dateLastActivity, o.zone)
  });
  if (isUser) {
    out.user = peer ? recentUser(peer, o) : { id: member.item_id };
    out.chat = { text_field_enabled: true, background_id: null, mute_list: member.muted ? { [member.user_id]: true } : [] };
  } else {
    out.chat = recentChat(chat, member, o);
    out.user = item.author ? recentUser(item.author, o) : { id: 0 };
  }
  if (chat.entity_type === "LINES") {
    const s = item.session;
    out.lines = { id: s?.id ?? 0, status: s?.status ?? 0, date_create: atom(s?.date_create ?? chat.date_create, o.zone) };
  }
  out.options = [];
  return out;
}

// src/methods/im.recent.ts
var LIST_DEFAULT = RECENT_LIST_PAGE.default;
var LIST_MAX = RECENT_LIST_PAGE.max;
function recentOptions(app, originalText = false) {
  return { ...presentOptions(app), lang: app.config.language, originalText };
}
function yesNo(params, name, absent, otherwise) {
  const v = params.raw(name);
  if (v === void 0 || v === null || v === "") return absent;
  if (v === "Y") return true;
  if (v === "N") return false;
  params.fallback(name, `Parameter ${name} must be Y or N`);
  return otherwise;
}
var imRecentMethods = [
  {
    name: "im.recent.get",
    scope: "im",
    params: ["SKIP_OPENLINES", "SKIP_CHAT", "SKIP_DIALOG", "ONLY_OPENLINES", "LAST_UPDATE", "LAST_SYNC_DATE", "WITH_COUNTERS"],
    async handler({ app, auth, params }) {
      const items2 = await app.recent.get(auth.user, {
        skipOpenlines: params.flag("SKIP_OPENLINES"),
        skipChat: params.flag("SKIP_CHAT"),
        skipDialog: params.flag("SKIP_DIALOG"),
        onlyOpenlines: params.flag("ONLY_OPENLINES"),
        lastUpdate: params.date("LAST_UPDATE"),
        lastSyncDate: params.date("LAST_SYNC_DATE"),
        // Counters are on unless exactly N turns them off.
        withCounters: yesNo(params, "WITH_COUNTERS", true, true)
      });
      const o = recentOptions(app);
      return items2.map((i) => recentItem(i, o));
    }
  },
  {
    name: "im.recent.list",
    scope: "im",
    params: [
      "SKIP_OPENLINES",
      "SKIP_CHAT",
      "SKIP_DIALOG",
      "UNREAD_ONLY",
      "LAST_MESSAGE_DATE",
      "DATE_LAST_ACTIVITY",
      "OFFSET",
      "LIMIT",
      "PARSE_TEXT",
      "GET_ORIGINAL_TEXT",
      "SKIP_UNDISTRIBUTED_OPENLINES",
      "ONLY_COPILOT",
      "ONLY_CHANNEL",
      "CAN_MANAGE_MESSAGES"
    ],
    async handler({ app, auth, params, start }) {
      let limit = params.int("LIMIT") ?? LIST_DEFAULT;
      if (limit <= 0) {
        if (params.has("LIMIT")) params.fallback("LIMIT", "LIMIT must be positive");
        limit = LIST_DEFAULT;
      }
      if (limit > LIST_MAX) {
        params.fallback("LIMIT", `LIMIT is at most ${LIST_MAX}`);
        limit = LIST_MAX;
      }
      const offsetParam = params.int("OFFSET") ?? 0;
      if (offsetParam < 0) params.fallback("OFFSET", "OFFSET must not be negative");
      const offset = start > 0 ? start : Math.max(0, offsetParam);
      const lastMessageDate = params.date("LAST_MESSAGE_DATE") ?? params.date("DATE_LAST_ACTIVITY");
      const onlyAbsentKinds = params.flag("ONLY_COPILOT") || params.flag("ONLY_CHANNEL");
      params.flag("PARSE_TEXT");
      params.flag("SKIP_UNDISTRIBUTED_OPENLINES");
      params.flag("CAN_MANAGE_MESSAGES");
      const page = onlyAbsentKinds ? { items: [], hasMore: false } : await app.recent.list(auth.user, {
        skipOpenlines: params.flag("SKIP_OPENLINES"),
        skipChat: params.flag("SKIP_CHAT"),
        skipDialog: params.flag("SKIP_DIALOG"),
        unreadOnly: params.flag("UNREAD_ONLY"),
        lastMessageDate,
        offset,
        limit
      });
      const o = recentOptions(app, params.flag("GET_ORIGINAL_TEXT"));
      const result = {
        items: page.items.map((i) => recentItem(i, o)),
        hasMorePages: page.hasMore,
        hasMore: page.hasMore,
        copilot: null,
        messagesAutoDeleteConfigs: []
      };
      const usedOffset = lastMessageDate !== void 0 ? 0 : offset;
      return new ListResult(result, -1, page.hasMore ? usedOffset + page.items.length : void 0);
    }
  },
  {
    name: "im.recent.pin",
    scope: "im",
    params: ["DIALOG_ID", "PIN", "ACTION"],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const pin = params.has("ACTION") ? yesNo(params, "ACTION", true, true) : yesNo(params, "PIN", true, true);
      return app.recent.pin(auth.user, ref, pin);
    }
  },
  {
    name: "im.recent.hide",
    scope: "im",
    params: ["DIALOG_ID"],
    async handler({ app, auth, params }) {
      return app.recent.hide(auth.user, requireDialog(params));
    }
  },
  {
    name: "im.recent.unread",
    scope: "im",
    params: ["DIALOG_ID", "ACTION", "UNREAD"],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      const unread = params.has("ACTION") ? yesNo(params, "ACTION", true, true) : yesNo(params, "UNREAD", true, true);
      return app.recent.markUnread(auth.user, ref, unread);
    }
  }
];

// src/methods/event.ts
var isOffline = (params) => (params.string("event_type") ?? params.string("EVENT_TYPE") ?? "online").toLowerCase() === "offline";
var viewerOf = (auth) => ({ userId: auth.user.id, isAdmin: auth.user.is_admin === 1 });
var eventMethods = [
  {
    name: "events",
    scope: "basic",
    params: ["SCOPE", "FULL", "scope", "full"],
    async handler({ auth, params }) {
      const full = phpTruthy(params.raw("FULL") ?? params.raw("full"));
      const scope = params.string("SCOPE") ?? params.string("scope");
      return Object.entries(BINDABLE_EVENTS).filter(([, s]) => scope !== void 0 ? s === (scope || "basic") : full || scopeAllows(auth.scopes, s)).map(([name]) => name);
    }
  },
  {
    name: "event.bind",
    scope: "basic",
    params: ["event", "handler", "auth_type", "event_type", "options", "EVENT", "HANDLER", "AUTH_TYPE", "EVENT_TYPE", "OPTIONS"],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth.app);
      const event = params.string("event") ?? params.string("EVENT") ?? "";
      const eventScope = BINDABLE_EVENTS[event.trim().toUpperCase()];
      if (eventScope && !scopeAllows(auth.scopes, eventScope)) throw Errors.insufficientScope(false);
      await app.apps.bind(owner, auth.user.id, auth.user.is_admin === 1, {
        event,
        handler: params.string("handler") ?? params.string("HANDLER") ?? "",
        authType: params.int("auth_type") ?? params.int("AUTH_TYPE"),
        offline: isOffline(params)
      });
      return true;
    }
  },
  {
    name: "event.unbind",
    scope: "basic",
    params: ["event", "handler", "auth_type", "event_type", "EVENT", "HANDLER", "AUTH_TYPE", "EVENT_TYPE"],
    async handler({ app, auth, params }) {
      const owner = requireApp(auth.app);
      const count = await app.apps.unbind(owner, viewerOf(auth), {
        event: params.string("event") ?? params.string("EVENT") ?? "",
        handler: params.string("handler") ?? params.string("HANDLER"),
        authType: params.int("auth_type") ?? params.int("AUTH_TYPE"),
        offline: isOffline(params)
      });
      return { count };
    }
  },
  {
    name: "event.get",
    scope: "basic",
    params: [],
    async handler({ app, auth }) {
      const owner = requireApp(auth.app);
      return (await app.apps.handlers(owner, viewerOf(auth))).map((h) => ({
        event: h.event,
        handler: h.handler,
        auth_type: String(h.auth_type),
        offline: h.offline
      }));
    }
  }
];

// src/methods/event.offline.ts
var FIELDS = {
  ID: "id",
  TIMESTAMP_X: "date_create",
  EVENT_NAME: "event",
  MESSAGE_ID: "message_id",
  PROCESS_ID: "process_id",
  ERROR: "error"
};
var OPS = [[">=", ">="], ["<=", "<="], ["!=", "!="], ["!", "!="], ["=", "="], [">", ">"], ["<", "<"]];
function adminApp(auth) {
  const app = requireApp(auth.app);
  if (auth.user.is_admin !== 1) throw Errors.accessDenied("Access denied! Offline events are available to administrators");
  return app;
}
function filterFrom(params, allowed) {
  const raw = params.structure("filter") ?? params.structure("FILTER");
  if (!raw || Array.isArray(raw)) return [];
  const out = [];
  for (const [key, value] of Object.entries(raw)) {
    const [prefix, op] = OPS.find(([p]) => key.startsWith(p)) ?? ["", "="];
    const name = key.slice(prefix.length).toUpperCase();
    const column = FIELDS[name];
    if (!column || !allowed.includes(name) || typeof value !== "string" && typeof value !== "number") {
      params.fallback("filter", `Filter key ${key} is not supported`);
      continue;
    }
    let v = value;
    if (column === "date_create") {
      const ts = parseAtom(String(value));
      if (ts === void 0) continue;
      v = ts;
    } else if (column === "id" || column === "error") {
      if (!/^\d{1,15}$/.test(String(value))) continue;
      v = Number(value);
    } else if (column === "event") v = String(value).toUpperCase();
    out.push({ column, op, value: v });
  }
  return out;
}
function orderFrom(params) {
  const raw = params.structure("order") ?? params.structure("ORDER");
  if (!raw || Array.isArray(raw)) return [];
  const out = [];
  for (const [key, dir] of Object.entries(raw)) {
    const column = FIELDS[key.toUpperCase()];
    if (column) out.push({ column, desc: String(dir).toUpperCase() === "DESC" });
  }
  return out;
}
function idsFrom(params, name) {
  if (!params.has(name)) return void 0;
  return params.list(name).map((v) => String(v));
}
function present(e, zone, withProcess) {
  const data = JSON.parse(e.data);
  const additional = JSON.parse(e.additional);
  const row = {
    ID: String(e.id),
    TIMESTAMP_X: atom(e.date_create, zone),
    EVENT_NAME: e.event,
    EVENT_DATA: data ?? false,
    EVENT_ADDITIONAL: additional ?? false,
    MESSAGE_ID: e.message_id
  };
  if (withProcess) {
    row.PROCESS_ID = e.process_id;
    row.ERROR = String(e.error);
  }
  return row;
}
var eventOfflineMethods = [
  {
    name: "event.offline.get",
    scope: "basic",
    params: ["filter", "order", "limit", "clear", "error", "FILTER", "ORDER", "LIMIT", "CLEAR", "ERROR", "auth_connector"],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const flag = (name, dflt) => params.has(name) ? phpTruthy(params.raw(name)) : params.has(name.toUpperCase()) ? phpTruthy(params.raw(name.toUpperCase())) : dflt;
      const { processId, events } = await app.offlineEvents.fetch(owner, {
        where: filterFrom(params, ["ID", "TIMESTAMP_X", "EVENT_NAME", "MESSAGE_ID"]),
        order: orderFrom(params),
        limit: params.int("limit") ?? params.int("LIMIT"),
        clear: flag("clear", true),
        error: flag("error", false)
      });
      return { process_id: processId, events: events.map((e) => present(e, app.config.timezone, false)) };
    }
  },
  {
    name: "event.offline.list",
    scope: "basic",
    params: ["filter", "order", "start", "FILTER", "ORDER", "auth_connector"],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const start = Math.min(Math.max(0, params.int("start") ?? 0), 1e9);
      const { events, total } = await app.offlineEvents.list(owner, filterFrom(params, Object.keys(FIELDS)), orderFrom(params), start);
      const next = start + events.length < total ? start + events.length : void 0;
      return new ListResult(events.map((e) => present(e, app.config.timezone, true)), total, next);
    }
  },
  {
    name: "event.offline.clear",
    scope: "basic",
    params: ["process_id", "id", "message_id", "PROCESS_ID", "ID", "MESSAGE_ID"],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      const ids = idsFrom(params, "id") ?? idsFrom(params, "ID");
      await app.offlineEvents.clear(
        owner,
        params.string("process_id") ?? params.string("PROCESS_ID") ?? "",
        ids?.map(Number).filter((n) => Number.isInteger(n) && n > 0),
        idsFrom(params, "message_id") ?? idsFrom(params, "MESSAGE_ID")
      );
      return true;
    }
  },
  {
    name: "event.offline.error",
    scope: "basic",
    params: ["process_id", "message_id", "PROCESS_ID", "MESSAGE_ID"],
    async handler({ app, auth, params }) {
      const owner = adminApp(auth);
      await app.offlineEvents.error(owner, params.string("process_id") ?? params.string("PROCESS_ID") ?? "", idsFrom(params, "message_id") ?? idsFrom(params, "MESSAGE_ID"));
      return true;
    }
  }
];

// src/methods/im.revision.ts
var REVISION = { rest: 30, web: 130, mobile: 23, desktop: 6 };
var imRevisionMethods = [
  {
    name: "im.revision.get",
    scope: "im",
    params: [],
    async handler() {
      return { ...REVISION, im_revision_mobile: REVISION.mobile };
    }
  }
];

// src/methods/im.user.ts
var STATUSES = ["online", "dnd", "away", "break"];
var IDLE_DEFAULT_MINUTES = 10;
var imUserMethods = [
  {
    name: "im.user.get",
    scope: "im",
    params: ["ID", "AVATAR_HR"],
    async handler({ app, auth, params }) {
      const id = params.has("ID") ? params.int("ID") ?? 0 : auth.user.id;
      if (id <= 0) throw Errors.method("ID_EMPTY", "User ID can't be empty");
      const user = await app.store.users.get(id);
      if (!user) throw Errors.method("USER_NOT_EXISTS", "User not found");
      return imUser(user, await presentOptionsFor(app, [user]));
    }
  },
  {
    name: "im.user.list.get",
    scope: "im",
    params: ["ID", "AVATAR_HR", "RESULT_TYPE"],
    async handler({ app, params }) {
      let raw = params.raw("ID");
      if (typeof raw === "string" && raw.trim().startsWith("[")) {
        try {
          raw = JSON.parse(raw);
        } catch {
          raw = void 0;
        }
      }
      const list = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? Object.values(raw) : void 0;
      const ids = (list ?? []).map((v) => typeof v === "number" || typeof v === "string" ? Number(v) : NaN).filter((n) => Number.isSafeInteger(n) && n > 0);
      if (!list || ids.length === 0) throw Errors.method("INVALID_FORMAT", "A wrong format for the ID field is passed");
      const users = await app.store.users.getMany(ids);
      const o = await presentOptionsFor(app, users);
      if (params.string("RESULT_TYPE") === "array") return users.sort((a, b) => a.id - b.id).map((u) => imUser(u, o));
      const byId = {};
      for (const u of users) byId[u.id] = imUser(u, o);
      return byId;
    }
  },
  {
    name: "im.user.status.get",
    scope: "im",
    params: [],
    async handler({ auth }) {
      return auth.user.status;
    }
  },
  {
    name: "im.user.status.set",
    scope: "im",
    params: ["STATUS"],
    async handler({ app, auth, params }) {
      const status = params.string("STATUS") ?? "";
      if (!STATUSES.includes(status)) throw Errors.method("STATUS_ERROR", "Status is not available");
      await app.users.update(auth.user.id, { status });
      return true;
    }
  },
  {
    name: "im.user.status.idle.start",
    scope: "im",
    params: ["AGO"],
    async handler({ app, auth, params }) {
      let ago = params.int("AGO") ?? IDLE_DEFAULT_MINUTES;
      if (ago < 1) {
        params.fallback("AGO", "AGO is at least 1");
        ago = 1;
      }
      await app.users.update(auth.user.id, { idle: app.clock() - ago * 60 });
      return true;
    }
  },
  {
    name: "im.user.status.idle.end",
    scope: "im",
    params: [],
    async handler({ app, auth }) {
      await app.users.update(auth.user.id, { idle: null });
      return true;
    }
  }
];

// src/methods/imconnector.ts
function requireApp2(auth) {
  if (auth.kind !== "token" || !auth.app) {
    throw new BitrixError("WRONG_AUTH_TYPE", "Current authorization type is denied for this method Application context required", 403);
  }
  return auth.app;
}
var nullOrEmpty = (name) => Errors.method("ERROR_ARGUMENT", `Argument '${name}' is null or empty`);
function record(v) {
  return v && typeof v === "object" && !Array.isArray(v) ? v : void 0;
}
function text(v) {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : void 0;
}
function connectorParam(params) {
  const id = params.string("CONNECTOR")?.trim().toLowerCase();
  if (!id) throw nullOrEmpty("CONNECTOR");
  return id;
}
function lineParam(params) {
  const line = params.int("LINE") ?? 0;
  if (line <= 0) throw nullOrEmpty("LINE");
  return line;
}
function activeParam(params) {
  const raw = params.raw("ACTIVE");
  if (raw === void 0 || raw === null) throw nullOrEmpty("ACTIVE");
  const v = typeof raw === "string" ? raw.trim() : raw;
  return !(v === "" || v === "0" || v === 0 || v === false || v === "N" || v === "n");
}
function incoming(raw) {
  const user = record(raw.user);
  const message = record(raw.message);
  const chat = record(raw.chat);
  const userId = text(user.id)?.trim();
  if (!userId) return { problem: "The user id is not specified" };
  const chatId2 = text(chat.id)?.trim();
  if (!chatId2) return { problem: "The chat id is not specified" };
  const filesRaw = Array.isArray(message.files) ? message.files : record(message.files) ? Object.values(message.files) : [];
  const files = filesRaw.map((f) => record(f)).filter((f) => !!f && typeof f.url === "string" && f.url !== "").map((f) => ({ url: String(f.url), name: text(f.name) ?? "" }));
  const gender = text(user.gender)?.toLowerCase();
  const operator = Number(text(message.user_id));
  return {
    value: {
      user: {
        id: userId,
        name: text(user.name),
        lastName: text(user.last_name),
        picture: text(record(user.picture)?.url),
        gender: gender === "male" ? "M" : gender === "female" ? "F" : void 0,
        email: text(user.email),
        phone: text(user.phone)
      },
      message: {
        id: text(message.id),
        text: text(message.text) ?? "",
        files,
        userId: Number.isSafeInteger(operator) && operator > 0 ? operator : void 0
      },
      chat: { id: chatId2, name: text(chat.name), url: text(chat.url) }
    }
  };
}
function statusItems(params) {
  const raw = params.raw("MESSAGES");
  if (raw === void 0 || raw === null || raw === "" || typeof raw !== "object") throw nullOrEmpty("MESSAGES");
  const items2 = Array.isArray(raw) ? raw : Object.values(raw);
  if (items2.length === 0) throw nullOrEmpty("MESSAGES");
  return items2.map((item) => {
    const im = record(record(item)?.im);
    const positive = (v) => {
      const n = Number(text(v));
      return Number.isSafeInteger(n) && n > 0 ? n : 0;
    };
    return { chatId: positive(im?.chat_id), messageId: positive(im?.message_id) };
  });
}
var imconnectorMethods = [
  {
    name: "imconnector.register",
    scope: "imconnector",
    params: ["ID", "NAME", "ICON", "ICON_DISABLED", "PLACEMENT_HANDLER", "DEL_EXTERNAL_MESSAGES", "EDIT_INTERNAL_MESSAGES", "DEL_INTERNAL_MESSAGES", "NEWSLETTER", "NEED_SYSTEM_MESSAGES", "NEED_SIGNATURE", "CHAT_GROUP"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const soft = (error, description) => ({ result: false, error, error_description: description });
      const id = text(params.raw("ID"))?.trim().toLowerCase() ?? "";
      if (!id) return soft("CONNECTOR_ID_REQUIRED", "Connector ID is not specified");
      if (id.includes(".")) return soft("APPLICATION_REGISTRATION_ERROR_POINT", "A connector ID can not contain a dot");
      if (!/^[a-z0-9_-]{1,64}$/.test(id)) return soft("GENERAL_CONNECTOR_REGISTRATION_ERROR", "A connector ID may hold letters, digits and _ only");
      const name = text(params.raw("NAME"))?.trim();
      if (!name) return soft("NAME_REQUIRED", "Connector name is not specified");
      const icon = record(params.raw("ICON"));
      if (!icon || typeof icon.DATA_IMAGE !== "string" || !icon.DATA_IMAGE) return soft("ICON_REQUIRED", "Connector icon is not specified");
      const handler = text(params.raw("PLACEMENT_HANDLER"))?.trim();
      if (!handler) return soft("NO_PLACEMENT_HANDLER", "Placement handler URL is not specified");
      const options = {};
      for (const k of ["DEL_EXTERNAL_MESSAGES", "EDIT_INTERNAL_MESSAGES", "DEL_INTERNAL_MESSAGES", "NEWSLETTER", "NEED_SYSTEM_MESSAGES", "NEED_SIGNATURE", "CHAT_GROUP"]) {
        if (params.has(k)) options[k] = params.raw(k);
      }
      const failed = await app.connectors.register(owner, {
        id,
        name,
        icon,
        iconDisabled: record(params.raw("ICON_DISABLED")) ?? {},
        placementHandler: handler,
        options
      });
      return failed ? { result: false, ...failed } : { result: true };
    }
  },
  {
    name: "imconnector.unregister",
    scope: "imconnector",
    params: ["ID"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const id = text(params.raw("ID"))?.trim().toLowerCase() ?? "";
      if (id && await app.connectors.unregister(owner, id)) return { result: true };
      return { result: false, error: "APPLICATION_UNREGISTRATION_ERROR", error_description: "The connector could not be unregistered" };
    }
  },
  {
    name: "imconnector.list",
    scope: "imconnector",
    params: [],
    async handler({ app, auth }) {
      requireApp2(auth);
      return phpMap(Object.fromEntries((await app.connectors.list()).map((c) => [c.id, c.name])));
    }
  },
  {
    name: "imconnector.activate",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "ACTIVE", "DATA"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      await app.connectors.activate(owner, connector, line, activeParam(params));
      return true;
    }
  },
  {
    name: "imconnector.connector.data.set",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "DATA"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const data = record(params.raw("DATA"));
      if (!data || Object.keys(data).length === 0) throw nullOrEmpty("DATA");
      await app.connectors.setData(owner, connector, line, data);
      return true;
    }
  },
  {
    name: "imconnector.chat.name.set",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "CHAT_ID", "NAME", "USER_ID"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const chatId2 = params.string("CHAT_ID")?.trim();
      const name = params.string("NAME")?.trim();
      const userId = params.string("USER_ID")?.trim();
      if (!chatId2 || !name || !userId) throw Errors.method("ERROR_ARGUMENT", "NAME, CHAT_ID, USER_ID, CONNECTOR and LINE are required");
      await app.connectors.checkInbound(owner, connector, line);
      await app.connectors.renameChat(connector, line, chatId2, userId, name);
      return { SUCCESS: true, DATA: { RESULT: {} } };
    }
  },
  {
    name: "imconnector.send.status.delivery",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "MESSAGES"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      statusItems(params);
      await app.connectors.checkInbound(owner, connector, line);
      return { SUCCESS: true, DATA: [] };
    }
  },
  {
    name: "imconnector.send.status.reading",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "MESSAGES"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const items2 = statusItems(params);
      await app.connectors.checkInbound(owner, connector, line);
      let all = true;
      for (const { chatId: chatId2, messageId } of items2) {
        if (!chatId2 || !messageId || !await app.connectors.customerRead(connector, line, chatId2, messageId)) all = false;
      }
      return { SUCCESS: all, DATA: [] };
    }
  },
  {
    name: "imconnector.status",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      return app.connectors.status(owner, connector, Math.max(0, params.int("LINE") ?? 0));
    }
  },
  {
    name: "imconnector.send.messages",
    scope: "imconnector",
    params: ["CONNECTOR", "LINE", "MESSAGES"],
    async handler({ app, auth, params }) {
      const owner = requireApp2(auth);
      const connector = connectorParam(params);
      const line = lineParam(params);
      const raw = params.raw("MESSAGES");
      if (raw === void 0 || raw === null || raw === "") throw nullOrEmpty("MESSAGES");
      if (typeof raw !== "object") throw Errors.method("ERROR_ARGUMENT", "The value of an argument 'MESSAGES' must be of type array");
      const items2 = Array.isArray(raw) ? raw : Object.values(raw);
      if (items2.length === 0) throw nullOrEmpty("MESSAGES");
      if (!items2.every((m) => record(m))) throw Errors.method("ERROR_ARGUMENT", "The MESSAGES parameter must be an array of messages (arrays)");
      const messages = items2;
      if (!messages.every((m) => record(m.user) && record(m.message) && record(m.chat))) {
        throw Errors.method("ERROR_ARGUMENT", "The incorrect structure of a message inside MESSAGES parameter");
      }
      await app.connectors.checkInbound(owner, connector, line);
      const results = [];
      for (const m of messages) {
        const message = record(m.message);
        const chat = record(m.chat);
        const echo = {
          message: { id: text(message.id) ?? "", date: {}, text: text(message.text) ?? "", files: Array.isArray(message.files) ? message.files : [] },
          chat: { ...chat },
          extra: phpMap({
            ...record(m.user).skip_phone_validate === "Y" ? { skip_phone_validate: "Y" } : {},
            ...message.disable_crm === "Y" ? { disable_tracker: "Y" } : {}
          })
        };
        const parsed = incoming(m);
        if (!parsed.value) {
          results.push({ user: "", ...echo, SUCCESS: false, ERRORS: [parsed.problem] });
          continue;
        }
        try {
          const done = await app.connectors.receive(connector, line, parsed.value);
          results.push({
            user: String(done.customer.id),
            ...echo,
            SUCCESS: true,
            session: { ID: String(done.sessionId), CHAT_ID: String(done.chat.id) }
          });
        } catch (err) {
          if (!(err instanceof BitrixError)) throw err;
          results.push({ user: "", ...echo, SUCCESS: false, ERRORS: [err.description] });
        }
      }
      return { SUCCESS: results.every((r) => r.SUCCESS === true), DATA: { RESULT: results } };
    }
  }
];

// src/present/lines.ts
var DEFAULTS = {
  CRM: "N",
  CRM_CREATE: "none",
  CRM_CREATE_SECOND: "0",
  CRM_CREATE_THIRD: "Y",
  CRM_FORWARD: "Y",
  CRM_CHAT_TRACKER: "N",
  CRM_TRANSFER_CHANGE: "Y",
  CRM_SOURCE: "create",
  QUEUE_TIME: "60",
  NO_ANSWER_TIME: "60",
  CHECK_AVAILABLE: "N",
  WATCH_TYPING: "Y",
  WELCOME_BOT_ENABLE: "N",
  VOTE_MESSAGE: "N",
  VOTE_TIME_LIMIT: "0",
  VOTE_BEFORE_FINISH: "Y",
  VOTE_CLOSING_DELAY: "N",
  VOTE_MESSAGE_1_TEXT: "",
  VOTE_MESSAGE_1_LIKE: "",
  VOTE_MESSAGE_1_DISLIKE: "",
  VOTE_MESSAGE_2_TEXT: "",
  VOTE_MESSAGE_2_LIKE: "",
  VOTE_MESSAGE_2_DISLIKE: "",
  AGREEMENT_MESSAGE: "N",
  AGREEMENT_ID: "0",
  CATEGORY_ENABLE: "N",
  CATEGORY_ID: "0",
  WELCOME_BOT_JOIN: "always",
  WELCOME_BOT_ID: "0",
  WELCOME_BOT_TIME: "0",
  WELCOME_BOT_LEFT: "queue",
  NO_ANSWER_RULE: "none",
  NO_ANSWER_FORM_ID: "0",
  NO_ANSWER_BOT_ID: "0",
  NO_ANSWER_TEXT: "",
  WORKTIME_ENABLE: "N",
  WORKTIME_FROM: "9",
  WORKTIME_TO: "18.30",
  WORKTIME_TIMEZONE: "",
  WORKTIME_HOLIDAYS: [],
  WORKTIME_DAYOFF: [],
  WORKTIME_DAYOFF_RULE: "none",
  WORKTIME_DAYOFF_FORM_ID: "0",
  WORKTIME_DAYOFF_BOT_ID: "0",
  WORKTIME_DAYOFF_TEXT: "",
  CLOSE_RULE: "none",
  CLOSE_FORM_ID: "0",
  CLOSE_BOT_ID: "0",
  CLOSE_TEXT: "",
  FULL_CLOSE_TIME: "10",
  AUTO_CLOSE_RULE: "none",
  AUTO_CLOSE_FORM_ID: "0",
  AUTO_CLOSE_BOT_ID: "0",
  AUTO_CLOSE_TIME: "14400",
  AUTO_CLOSE_TEXT: "",
  AUTO_EXPIRE_TIME: "86400"
};
var TAIL_DEFAULTS = {
  TEMPORARY: "N",
  XML_ID: null,
  QUICK_ANSWERS_IBLOCK_ID: "0",
  SESSION_PRIORITY: "0",
  TYPE_MAX_CHAT: "answered",
  MAX_CHAT: "0",
  OPERATOR_DATA: "profile",
  DEFAULT_OPERATOR_DATA: [],
  KPI_FIRST_ANSWER_TIME: "0",
  KPI_FIRST_ANSWER_ALERT: "N",
  KPI_FIRST_ANSWER_LIST: null,
  KPI_FIRST_ANSWER_TEXT: "",
  KPI_FURTHER_ANSWER_TIME: "0",
  KPI_FURTHER_ANSWER_ALERT: "N",
  KPI_FURTHER_ANSWER_LIST: null,
  KPI_FURTHER_ANSWER_TEXT: "",
  KPI_CHECK_OPERATOR_ACTIVITY: "N",
  SEND_NOTIFICATION_EMPTY_QUEUE: "N",
  USE_WELCOME_FORM: "N",
  WELCOME_FORM_ID: "0",
  WELCOME_FORM_DELAY: "N",
  SEND_WELCOME_EACH_SESSION: "N",
  CONFIRM_CLOSE: "Y",
  IGNORE_WELCOME_FORM_RESPONSIBLE: "N"
};
var LINE_FIELDS = [
  "ID",
  "ACTIVE",
  "LINE_NAME",
  "QUEUE_TYPE",
  "WELCOME_MESSAGE",
  "WELCOME_MESSAGE_TEXT",
  ...Object.keys(DEFAULTS),
  "DATE_CREATE",
  "DATE_MODIFY",
  "MODIFY_USER_ID",
  "LANGUAGE_ID",
  ...Object.keys(TAIL_DEFAULTS)
];
function rowValue(v) {
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "Y" : "N";
  return v;
}
function lineFields(view, language) {
  const { line } = view;
  const settings = JSON.parse(line.settings);
  const pick = (defaults) => Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, k in settings ? rowValue(settings[k]) : d]));
  const head = pick(DEFAULTS);
  const out = { ID: String(line.id), ACTIVE: line.active ? "Y" : "N", LINE_NAME: line.name };
  for (const [k, v] of Object.entries(head)) {
    out[k] = v;
    if (k === "NO_ANSWER_TIME") out.QUEUE_TYPE = line.queue_type;
    if (k === "WELCOME_BOT_ENABLE") {
      out.WELCOME_MESSAGE = line.welcome_message ? "Y" : "N";
      out.WELCOME_MESSAGE_TEXT = line.welcome_message_text;
    }
  }
  Object.assign(out, { DATE_CREATE: {}, DATE_MODIFY: {}, MODIFY_USER_ID: String(line.modify_user_id) });
  out.LANGUAGE_ID = "LANGUAGE_ID" in settings ? rowValue(settings.LANGUAGE_ID) : language;
  Object.assign(out, pick(TAIL_DEFAULTS));
  for (const [k, v] of Object.entries(settings)) if (!(k in out)) out[k] = rowValue(v);
  return out;
}
function queueUserFields() {
  return { USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: "0" };
}
function lineConfig(view, language, withQueue) {
  const out = lineFields(view, language);
  if (!withQueue) return out;
  const queue = view.queue.filter((q) => view.users.has(q.user_id));
  out.QUEUE = queue.map((q) => String(q.user_id));
  out.QUEUE_FULL = phpMap(
    Object.fromEntries(
      queue.map((q) => [
        String(q.user_id),
        { ID: String(q.id), SORT: String(q.sort), USER_ID: String(q.user_id), DEPARTMENT_ID: String(q.department_id), ...queueUserFields() }
      ])
    )
  );
  out.QUEUE_USERS_FIELDS = phpMap(Object.fromEntries(queue.map((q) => [String(q.user_id), queueUserFields()])));
  out.QUEUE_ONLINE = queue.length > 0 ? "Y" : "N";
  return out;
}
function listQueue(view, publicUrl) {
  const users = view.queue.map((q) => view.users.get(q.user_id)).filter((u) => u !== void 0);
  return {
    QUEUE: users.map((u) => u.id),
    QUEUE_USERS_FIELDS: phpMap(
      Object.fromEntries(
        users.map((u) => [
          String(u.id),
          {
            USER_NAME: fullName(u),
            USER_WORK_POSITION: u.work_position || null,
            USER_AVATAR: absoluteUrl(u.avatar, publicUrl),
            USER_AVATAR_ID: null
          }
        ])
      )
    )
  };
}

// src/methods/imopenlines.ts
var LIST_DEFAULT2 = 50;
var LIST_MAX2 = 200;
function asRecord(v) {
  return v && typeof v === "object" && !Array.isArray(v) ? v : void 0;
}
function scalar(v) {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : void 0;
}
function parseQueue(params, value) {
  const items2 = Array.isArray(value) ? value : asRecord(value) ? Object.values(value) : value === "" || value === void 0 ? [] : [value];
  const out = [];
  for (const item of items2) {
    const entry = asRecord(item);
    const type = entry ? String(entry.ENTITY_TYPE ?? entry.entity_type ?? "user").toLowerCase() : "user";
    const id = Number(scalar(entry ? entry.ENTITY_ID ?? entry.entity_id : item));
    if ((type === "user" || type === "department") && Number.isSafeInteger(id) && id > 0) out.push({ entityType: type, entityId: id });
    else params.fallback("PARAMS", "QUEUE entries must be {ENTITY_TYPE: user|department, ENTITY_ID: id}");
  }
  return out;
}
function lineInput(params) {
  const raw = params.raw("PARAMS");
  const fields = asRecord(raw) ?? {};
  if (raw !== void 0 && raw !== "" && !asRecord(raw)) params.fallback("PARAMS", "PARAMS must be an object");
  const input = { settings: {} };
  for (const [key, value] of Object.entries(fields)) {
    const k = key.toUpperCase();
    if (k === "LINE_NAME") input.name = scalar(value) ?? "";
    else if (k === "ACTIVE") input.active = scalar(value) !== "N";
    else if (k === "QUEUE_TYPE") {
      const t = (scalar(value) ?? "").toLowerCase();
      if (QUEUE_TYPES.includes(t)) input.queueType = t;
      else params.fallback("PARAMS", "QUEUE_TYPE must be evenly, strictly or all");
    } else if (k === "WELCOME_MESSAGE") input.welcomeMessage = scalar(value) === "Y";
    else if (k === "WELCOME_MESSAGE_TEXT") input.welcomeMessageText = scalar(value) ?? "";
    else if (k === "QUEUE") input.queue = parseQueue(params, value);
    else if (k !== "ID") input.settings[k] = value;
  }
  return input;
}
function configId(params) {
  const id = params.int("CONFIG_ID") ?? 0;
  if (id <= 0) throw Errors.method("CONFIG_ID_EMPTY", "Config ID can't be empty");
  return id;
}
function chatId(params, code = "CHAT_ID") {
  const id = params.int("CHAT_ID") ?? 0;
  if (id <= 0) throw Errors.method(code, code === "CHAT_ID" ? "Chat ID is not correct" : "Chat ID can't be empty");
  return id;
}
var invalidFormat = (text2) => Errors.method("INVALID_FORMAT", text2);
function listOptions(params) {
  const p = params.raw("PARAMS");
  const listParams = asRecord(p) ?? {};
  for (const k of Object.keys(listParams)) {
    if (!["select", "order", "filter", "limit", "offset"].includes(k)) throw invalidFormat(`Unsupported PARAMS fields are passed: ${k}`);
  }
  const known = new Set(LINE_FIELDS);
  const field = (name, where) => {
    if (!name) throw invalidFormat(`A wrong field name is passed in the PARAMS field '${where}'`);
    if (!known.has(name.toUpperCase())) throw invalidFormat(`An unknown field '${name}' is passed in the PARAMS field '${where}'`);
    return name.toUpperCase();
  };
  let select;
  if (listParams.select !== void 0) {
    const s = Array.isArray(listParams.select) ? listParams.select : asRecord(listParams.select) ? Object.values(listParams.select) : void 0;
    if (!s) throw invalidFormat("A wrong format for the PARAMS field 'select' is passed");
    select = s.map((v) => field(String(v), "select"));
  }
  const order = [];
  if (listParams.order !== void 0) {
    const o = asRecord(listParams.order);
    if (!o) throw invalidFormat("A wrong format for the PARAMS field 'order' is passed");
    for (const [k, dir] of Object.entries(o)) {
      const d = String(dir).toLowerCase();
      if (d !== "asc" && d !== "desc") throw invalidFormat("A wrong sorting direction is passed in the PARAMS field 'order'");
      order.push([field(k, "order"), d]);
    }
  }
  const filter = [];
  if (listParams.filter !== void 0) {
    const f = asRecord(listParams.filter);
    if (!f) throw invalidFormat("A wrong format for the PARAMS field 'filter' is passed");
    for (const [k, v] of Object.entries(f)) {
      const negate = k.startsWith("!");
      const name = field(k.replace(/^[=!]/, ""), "filter");
      const values = Array.isArray(v) ? v.map(String) : asRecord(v) ? Object.values(v).map(String) : [String(v)];
      filter.push([name, negate, values]);
    }
  }
  const nonNegative = (name, dflt) => {
    const v = listParams[name];
    if (v === void 0 || v === "") return dflt;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw invalidFormat(`A non-negative integer is expected in the PARAMS field '${name}'`);
    return n;
  };
  const limit = Math.min(nonNegative("limit", LIST_DEFAULT2) || LIST_DEFAULT2, LIST_MAX2);
  const offset = nonNegative("offset", 0);
  const rawOptions = params.raw("OPTIONS");
  const options = asRecord(rawOptions) ?? {};
  for (const k of Object.keys(options)) {
    if (!["QUEUE", "CONFIG_QUEUE", "CHECK_PERMISSION"].includes(k)) throw invalidFormat(`Unsupported OPTIONS fields are passed: ${k}`);
  }
  for (const k of ["QUEUE", "CONFIG_QUEUE"]) {
    if (options[k] !== void 0 && scalar(options[k]) === void 0) throw invalidFormat(`A wrong format for the OPTIONS field '${k}' is passed`);
  }
  return { select, order, filter, limit, offset, queue: scalar(options.QUEUE) === "Y", configQueue: scalar(options.CONFIG_QUEUE) === "Y" };
}
async function lineChatAction(ctx, fn, code = "CHAT_ID") {
  await fn(chatId(ctx.params, code));
  return true;
}
var imopenlinesMethods = [
  {
    name: "imopenlines.config.add",
    scope: "imopenlines",
    params: ["PARAMS"],
    async handler({ app, auth, params }) {
      return app.lines.add(auth.user, lineInput(params));
    }
  },
  {
    name: "imopenlines.config.update",
    scope: "imopenlines",
    params: ["CONFIG_ID", "PARAMS"],
    async handler({ app, auth, params }) {
      return app.lines.update(auth.user, configId(params), lineInput(params));
    }
  },
  {
    name: "imopenlines.config.delete",
    scope: "imopenlines",
    params: ["CONFIG_ID"],
    async handler({ app, auth, params }) {
      return app.lines.delete(auth.user, configId(params));
    }
  },
  {
    name: "imopenlines.config.get",
    scope: "imopenlines",
    params: ["CONFIG_ID", "WITH_QUEUE", "SHOW_OFFLINE"],
    async handler({ app, params }) {
      const view = await app.lines.view(configId(params));
      if (!view) return false;
      return lineConfig(view, app.config.language, params.flag("WITH_QUEUE", true));
    }
  },
  {
    name: "imopenlines.config.list.get",
    scope: "imopenlines",
    params: ["PARAMS", "OPTIONS"],
    async handler({ app, params }) {
      const o = listOptions(params);
      const rows = (await app.lines.list()).map((view) => ({ view, fields: lineFields(view, app.config.language) }));
      const text2 = (v) => v === null || v === void 0 ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      const kept = rows.filter(({ fields }) => o.filter.every(([name, negate, values]) => values.includes(text2(fields[name])) !== negate));
      kept.sort((a, b) => {
        for (const [name, dir] of o.order) {
          const x = text2(a.fields[name]);
          const y = text2(b.fields[name]);
          const numeric = /^-?\d+$/.test(x) && /^-?\d+$/.test(y);
          const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          if (c !== 0) return dir === "asc" ? c : -c;
        }
        return Number(a.view.line.id) - Number(b.view.line.id);
      });
      return kept.slice(o.offset, o.offset + o.limit).map(({ view, fields }) => {
        const item = o.select ? Object.fromEntries(o.select.map((k) => [k, fields[k]])) : fields;
        if (o.queue) Object.assign(item, listQueue(view, app.config.publicUrl));
        if (o.configQueue) item.CONFIG_QUEUE = JSON.parse(view.line.config_queue);
        return item;
      });
    }
  },
  {
    name: "imopenlines.operator.answer",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.answer(ctx.auth.user, id))
  },
  {
    name: "imopenlines.operator.finish",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, "own"))
  },
  {
    name: "imopenlines.operator.another.finish",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, "another"))
  },
  {
    name: "imopenlines.operator.spam",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.finish(ctx.auth.user, id, "spam"))
  },
  {
    name: "imopenlines.operator.skip",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.skip(ctx.auth.user, id))
  },
  {
    name: "imopenlines.operator.transfer",
    scope: "imopenlines",
    params: ["CHAT_ID", "TRANSFER_ID", "USER_ID", "QUEUE_ID"],
    async handler({ app, auth, params }) {
      const id = chatId(params, "CHAT_ID_EMPTY");
      const transfer = params.string("TRANSFER_ID")?.trim();
      let target2;
      if (transfer) {
        const m = /^(queue)?(\d{1,10})$/i.exec(transfer);
        if (!m || Number(m[2]) <= 0) throw Errors.method("TRANSFER_ID_EMPTY", "Queue ID or User ID can't be empty");
        target2 = m[1] ? { kind: "line", lineId: Number(m[2]) } : { kind: "user", userId: Number(m[2]) };
      } else if (params.has("USER_ID")) {
        const userId = requireUserId(params);
        target2 = { kind: "user", userId };
      } else if (params.has("QUEUE_ID")) {
        const lineId = params.int("QUEUE_ID") ?? 0;
        if (lineId <= 0) throw Errors.method("QUEUE_ID_EMPTY", "QUEUE ID can't be empty");
        target2 = { kind: "line", lineId };
      } else throw Errors.method("TRANSFER_ID_EMPTY", "Queue ID or User ID can't be empty");
      await app.sessions.transfer(auth.user, id, target2);
      return true;
    }
  },
  {
    name: "imopenlines.session.intercept",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.intercept(ctx.auth.user, id), "CHAT_ID_EMPTY")
  },
  {
    name: "imopenlines.session.join",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.join(ctx.auth.user, id))
  },
  {
    name: "imopenlines.session.start",
    scope: "imopenlines",
    params: ["CHAT_ID"],
    handler: (ctx) => lineChatAction(ctx, (id) => ctx.app.sessions.restart(ctx.auth.user, id))
  },
  {
    name: "imopenlines.session.open",
    scope: "imopenlines",
    params: ["USER_CODE"],
    async handler({ app, auth, params }) {
      const code = params.string("USER_CODE")?.trim() ?? "";
      if (!code) throw Errors.method("ACCESS_DENIED", "You do not have access to this dialog");
      return { chatId: await app.sessions.chatByUserCode(auth.user, code) };
    }
  },
  {
    name: "imopenlines.dialog.get",
    scope: "imopenlines",
    params: ["CHAT_ID", "DIALOG_ID", "SESSION_ID", "USER_CODE"],
    async handler({ app, auth, params }) {
      const denied = () => Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog");
      let id;
      if (params.has("CHAT_ID")) id = params.int("CHAT_ID");
      else if (params.has("DIALOG_ID")) id = Number(/^chat(\d{1,10})$/i.exec(params.string("DIALOG_ID") ?? "")?.[1] ?? 0);
      else if (params.has("SESSION_ID")) id = (await app.store.openlines.session(params.int("SESSION_ID") ?? 0))?.chat_id;
      else if (params.has("USER_CODE")) id = await app.store.openlines.chatIdByUserCode(params.string("USER_CODE") ?? "");
      const chat = id ? await app.store.chats.get(id) : void 0;
      if (!chat || chat.type !== "L" || !await app.sessions.canSee(auth.user, chat)) throw denied();
      const member = await app.store.members.get(chat.id, auth.user.id);
      const members = await app.store.members.list(chat.id);
      const counter = member ? await unreadCounter(app.store, member, chat) : 0;
      return {
        ...fullChat(chat, member, members, counter, presentOptions(app)),
        entity_link: { type: "LINES", url: "", id: chat.entity_id },
        is_new: false,
        dialog_id: `chat${chat.id}`
      };
    }
  }
];

// src/methods/imbot.ts
var HANDLER_PARAMS = Object.keys(BOT_HANDLERS);
var PROPERTY_KEYS = [
  "NAME",
  "LAST_NAME",
  "COLOR",
  "EMAIL",
  "PERSONAL_BIRTHDAY",
  "WORK_POSITION",
  "PERSONAL_WWW",
  "PERSONAL_GENDER",
  "PERSONAL_PHOTO"
];
async function botApp(ctx) {
  const { auth, params } = ctx;
  if (auth.app) return auth.app;
  const clientId = (params.string("CLIENT_ID") ?? "").trim();
  if (auth.kind === "webhook" && clientId) return ctx.app.webhookBots.appFor(auth, clientId, false);
  throw Errors.accessDenied("Access denied! Client ID not specified");
}
function handlersFrom(source) {
  const upper = {};
  for (const [k, v] of Object.entries(source)) upper[k.toUpperCase()] = v;
  const common = typeof upper.EVENT_HANDLER === "string" ? upper.EVENT_HANDLER : void 0;
  const out = {};
  for (const p of HANDLER_PARAMS) {
    const v = upper[p];
    if (typeof v === "string" && v !== "") out[p] = v;
    else if (common) out[p] = common;
  }
  return out;
}
function propertiesFrom(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return void 0;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.toUpperCase();
    if (!PROPERTY_KEYS.includes(key)) continue;
    if (key === "PERSONAL_PHOTO") out[key] = v;
    else if (typeof v === "string" || typeof v === "number") out[key] = String(v);
  }
  return out;
}
function rawParams(params) {
  return Object.fromEntries(params.names().map((n) => [n, params.raw(n)]));
}
var imbotBotMethods = [
  {
    name: "imbot.register",
    scope: "imbot",
    params: ["CODE", "TYPE", "OPENLINE", "EVENT_HANDLER", ...HANDLER_PARAMS, "CLIENT_ID", "PROPERTIES", "LANG", "INSTALL_TYPE"],
    async handler(ctx) {
      const { app, auth, params } = ctx;
      const input = {
        code: params.string("CODE") ?? "",
        type: (params.string("TYPE") ?? "B").toUpperCase(),
        openline: params.flag("OPENLINE"),
        handlers: handlersFrom(rawParams(params)),
        properties: propertiesFrom(params.structure("PROPERTIES")) ?? {}
      };
      const clientId = (params.string("CLIENT_ID") ?? "").trim();
      if (!auth.app && auth.kind === "webhook" && clientId) {
        return app.webhookBots.registering(auth, clientId, (owner) => app.bots.register(owner, input));
      }
      return app.bots.register(await botApp(ctx), input);
    }
  },
  {
    name: "imbot.unregister",
    scope: "imbot",
    params: ["BOT_ID", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const botId = params.int("BOT_ID") ?? 0;
      if (botId <= 0) throw Errors.method("BOT_ID_ERROR", "Bot not found");
      await app.bots.unregister(owner, botId, auth.user.id);
      return true;
    }
  },
  {
    name: "imbot.update",
    scope: "imbot",
    params: ["BOT_ID", "FIELDS", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const botId = params.int("BOT_ID") ?? 0;
      if (botId <= 0) throw Errors.method("BOT_ID_ERROR", "Bot not found");
      const fields = params.structure("FIELDS");
      const f = fields && !Array.isArray(fields) ? fields : {};
      const upper = Object.fromEntries(Object.entries(f).map(([k, v]) => [k.toUpperCase(), v]));
      await app.bots.update(owner, botId, {
        code: typeof upper.CODE === "string" ? upper.CODE : void 0,
        handlers: handlersFrom(upper),
        properties: propertiesFrom(upper.PROPERTIES)
      });
      return true;
    }
  },
  {
    name: "imbot.bot.list",
    scope: "imbot",
    params: ["CLIENT_ID"],
    async handler({ app }) {
      const bots = await app.bots.list();
      const users = new Map((await app.store.users.getMany(bots.map((b) => b.id))).map((u) => [u.id, u]));
      const out = {};
      for (const b of bots) {
        const u = users.get(b.id);
        out[String(b.id)] = {
          ID: b.id,
          NAME: u ? [u.name, u.last_name].filter(Boolean).join(" ") : "",
          CODE: b.code,
          OPENLINE: b.openline ? "Y" : "N"
        };
      }
      return phpMap(out);
    }
  }
];
function imHandler(name) {
  const def = [...imMessageMethods, ...imChatMethods, ...imDialogMethods].find((d) => d.name === name);
  if (!def) throw new Error(`im method ${name} is missing`);
  return def.handler;
}
async function actingBot(ctx) {
  const owner = await botApp(ctx);
  const bot = await ctx.app.bots.resolve(owner, ctx.params.int("BOT_ID"));
  const user = await ctx.app.store.users.get(bot.id);
  if (!user || !user.active) throw Errors.method("BOT_ID_ERROR", "Bot not found");
  return user;
}
async function asBot(ctx, imMethod) {
  const user = await actingBot(ctx);
  return imHandler(imMethod)({ ...ctx, auth: { ...ctx.auth, user } });
}
var imbotChatMethods = [
  {
    name: "imbot.message.add",
    scope: "imbot",
    params: ["BOT_ID", "DIALOG_ID", "FROM_USER_ID", "TO_USER_ID", "MESSAGE", "ATTACH", "KEYBOARD", "MENU", "SYSTEM", "URL_PREVIEW", "SKIP_CONNECTOR", "CLIENT_ID", "UUID", "TEMPLATE_ID"],
    async handler(ctx) {
      const { app, auth, params } = ctx;
      const from = params.int("FROM_USER_ID") ?? 0;
      const to = params.int("TO_USER_ID") ?? 0;
      if (from > 0 && to > 0) {
        const owner = await botApp({ app, auth, params });
        await app.bots.resolve(owner, params.int("BOT_ID"));
        const author = await app.store.users.get(from);
        if (!author || !author.active) throw Errors.method("USER_NOT_FOUND", "User not found");
        return app.messages.add(author, { kind: "user", userId: to }, { text: params.string("MESSAGE") ?? "", system: true, authorless: true });
      }
      if (!params.has("DIALOG_ID")) throw Errors.method("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
      return asBot(ctx, "im.message.add");
    }
  },
  {
    name: "imbot.message.update",
    scope: "imbot",
    params: ["BOT_ID", "MESSAGE_ID", "MESSAGE", "ATTACH", "KEYBOARD", "MENU", "URL_PREVIEW", "SKIP_CONNECTOR", "CLIENT_ID"],
    handler: (ctx) => asBot(ctx, "im.message.update")
  },
  {
    name: "imbot.message.delete",
    scope: "imbot",
    params: ["BOT_ID", "MESSAGE_ID", "COMPLETE", "CLIENT_ID"],
    handler: (ctx) => asBot(ctx, "im.message.delete")
  },
  {
    name: "imbot.chat.add",
    scope: "imbot",
    params: ["BOT_ID", "TYPE", "TITLE", "DESCRIPTION", "COLOR", "MESSAGE", "USERS", "AVATAR", "ENTITY_TYPE", "ENTITY_ID", "CLIENT_ID"],
    async handler(ctx) {
      const users = ctx.params.raw("USERS");
      if (users !== void 0 && users !== "" && typeof users !== "object") throw Errors.method("INVALID_FORMAT", "Parameter USERS has wrong type");
      return asBot(ctx, "im.chat.add");
    }
  },
  {
    name: "imbot.chat.user.add",
    scope: "imbot",
    params: ["BOT_ID", "CHAT_ID", "USERS", "HIDE_HISTORY", "CLIENT_ID"],
    handler: (ctx) => asBot(ctx, "im.chat.user.add")
  },
  {
    name: "imbot.chat.leave",
    scope: "imbot",
    params: ["BOT_ID", "CHAT_ID", "CLIENT_ID"],
    handler: (ctx) => asBot(ctx, "im.chat.leave")
  },
  {
    name: "imbot.dialog.get",
    scope: "imbot",
    params: ["DIALOG_ID", "BOT_ID", "CLIENT_ID"],
    async handler(ctx) {
      await botApp(ctx);
      return imHandler("im.dialog.get")(ctx);
    }
  },
  {
    name: "imbot.chat.sendTyping",
    scope: "imbot",
    params: ["BOT_ID", "DIALOG_ID", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      await app.bots.resolve(owner, params.int("BOT_ID"));
      if (!parseDialogId(params.string("DIALOG_ID"))) throw Errors.method("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
      return true;
    }
  }
];

// src/methods/imbot.command.ts
var yes = (v) => str(v) === "Y";
function fieldsOf(params) {
  const value = decodeStructure(params.raw("FIELDS"));
  if (!isDict(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toUpperCase(), v]));
}
var imbotCommandMethods = [
  {
    name: "imbot.command.register",
    scope: "imbot",
    params: ["BOT_ID", "COMMAND", "COMMON", "HIDDEN", "EXTRANET_SUPPORT", "SONET_SUPPORT", "LANG", "EVENT_COMMAND_ADD", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      return app.commands.register(owner, {
        botId: params.int("BOT_ID") ?? 0,
        command: params.string("COMMAND") ?? "",
        handler: params.string("EVENT_COMMAND_ADD") ?? "",
        common: yes(params.raw("COMMON")),
        hidden: yes(params.raw("HIDDEN")),
        extranetSupport: yes(params.raw("EXTRANET_SUPPORT")),
        lang: decodeStructure(params.raw("LANG"))
      });
    }
  },
  {
    name: "imbot.command.unregister",
    scope: "imbot",
    params: ["COMMAND_ID", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      await app.commands.unregister(await botApp({ app, auth, params }), params.int("COMMAND_ID") ?? 0);
      return true;
    }
  },
  {
    name: "imbot.command.update",
    scope: "imbot",
    params: ["COMMAND_ID", "FIELDS", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const f = fieldsOf(params);
      const given = (key) => f[key] !== void 0 && f[key] !== "" && f[key] !== null;
      await app.commands.update(owner, params.int("COMMAND_ID") ?? 0, {
        command: given("COMMAND") ? str(f.COMMAND) : void 0,
        handler: given("EVENT_COMMAND_ADD") ? str(f.EVENT_COMMAND_ADD) : void 0,
        hidden: given("HIDDEN") ? yes(f.HIDDEN) : void 0,
        extranetSupport: given("EXTRANET_SUPPORT") ? yes(f.EXTRANET_SUPPORT) : void 0,
        lang: given("LANG") ? decodeStructure(f.LANG) : void 0
      });
      return true;
    }
  },
  {
    name: "imbot.command.answer",
    scope: "imbot",
    params: ["COMMAND_ID", "COMMAND", "MESSAGE_ID", "MESSAGE", "ATTACH", "KEYBOARD", "MENU", "SYSTEM", "URL_PREVIEW", "CLIENT_ID"],
    async handler({ app, auth, params }) {
      const owner = await botApp({ app, auth, params });
      const command = await app.commands.forAnswer(owner, params.has("COMMAND_ID") ? params.int("COMMAND_ID") ?? 0 : void 0, params.string("COMMAND"));
      return app.commands.answer(command, {
        messageId: params.int("MESSAGE_ID") ?? 0,
        text: params.string("MESSAGE") ?? "",
        attach: attachParam(params, app.clock()) ?? void 0,
        // The command's bot owns the buttons, so COMMAND buttons are kept.
        keyboard: keyboardParam(params, command.bot_id) ?? void 0,
        menu: menuParam(params, command.bot_id) ?? void 0,
        system: params.flag("SYSTEM"),
        urlPreview: params.flag("URL_PREVIEW", true)
      });
    }
  },
  {
    name: "im.message.command",
    scope: "im",
    params: ["MESSAGE_ID", "ID", "BOT_ID", "COMMAND", "COMMAND_PARAMS"],
    async handler({ app, auth, params }) {
      const id = optionalPositiveId(params, "MESSAGE_ID") ?? optionalPositiveId(params, "ID");
      if (!id) throw Errors.method("MESSAGE_ID_ERROR", "Message ID can't be empty");
      const botId = params.int("BOT_ID") ?? 0;
      if (botId <= 0) throw Errors.method("BOT_ID_ERROR", "Bot ID can't be empty");
      const command = params.string("COMMAND") ?? "";
      if (command === "") throw Errors.method("COMMAND_ERROR", "Command can't be empty");
      const ok = await app.commands.press(auth.user, id, botId, command, params.string("COMMAND_PARAMS") ?? "");
      if (!ok) throw Errors.method("PARAMS_ERROR", "Incorrect params");
      return true;
    }
  }
];

// src/app/avatars.ts
var MAX_AVATAR_BYTES = 64 * 1024;
var SIGNATURES = [
  ["image/png", (b) => b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))],
  ["image/jpeg", (b) => b[0] === 255 && b[1] === 216 && b[2] === 255],
  ["image/gif", (b) => b.subarray(0, 4).toString("latin1") === "GIF8"],
  ["image/webp", (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP"]
];
function avatarDataUrl(base64) {
  const body = base64.replace(/^data:[^;,]*;base64,/, "").replace(/\s+/g, "");
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, "base64") : Buffer.alloc(0);
  const type = SIGNATURES.find(([, test]) => bytes.length > 12 && test(bytes))?.[0];
  if (!type) throw Errors.method("AVATAR_ERROR", "Avatar incorrect type");
  if (bytes.length > MAX_AVATAR_BYTES) throw Errors.method("AVATAR_ERROR", `Avatar incorrect size (b24im keeps at most ${MAX_AVATAR_BYTES} bytes)`);
  return `data:${type};base64,${bytes.toString("base64")}`;
}

// src/methods/imbot.chat.ts
function chatIdOf(params) {
  if (params.has("DIALOG_ID")) {
    const m = /^chat(\d+)$/.exec(params.string("DIALOG_ID") ?? "");
    if (!m) throw Errors.method("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
    return Number(m[1]);
  }
  return requireChatId(params);
}
var BOT = ["BOT_ID", "CLIENT_ID"];
var imbotChatMoreMethods = [
  {
    name: "imbot.chat.get",
    scope: "imbot",
    params: ["ENTITY_TYPE", "ENTITY_ID", "DIALOG_ID", ...BOT],
    handler: (ctx) => asBot(ctx, "im.chat.get")
  },
  {
    name: "imbot.chat.setOwner",
    scope: "imbot",
    params: ["CHAT_ID", "DIALOG_ID", "USER_ID", ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      await ctx.app.chats.setOwner(bot, chatIdOf(ctx.params), requireUserId(ctx.params));
      return true;
    }
  },
  {
    name: "imbot.chat.setManager",
    scope: "imbot",
    params: ["CHAT_ID", "DIALOG_ID", "USER_ID", "IS_MANAGER", ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      const chatId2 = chatIdOf(ctx.params);
      const userId = requireUserId(ctx.params);
      await ctx.app.chats.setManager(bot, chatId2, userId, ctx.params.string("IS_MANAGER") !== "N");
      return true;
    }
  },
  {
    name: "imbot.chat.updateTitle",
    scope: "imbot",
    params: ["CHAT_ID", "TITLE", ...BOT],
    handler: (ctx) => asBot(ctx, "im.chat.updateTitle")
  },
  {
    name: "imbot.chat.updateColor",
    scope: "imbot",
    params: ["CHAT_ID", "COLOR", ...BOT],
    handler: (ctx) => asBot(ctx, "im.chat.updateColor")
  },
  {
    name: "imbot.chat.updateAvatar",
    scope: "imbot",
    params: ["CHAT_ID", "DIALOG_ID", "AVATAR", ...BOT],
    async handler(ctx) {
      const bot = await actingBot(ctx);
      const chatId2 = chatIdOf(ctx.params);
      await ctx.app.chats.setAvatar(bot, chatId2, avatarDataUrl(ctx.params.string("AVATAR") ?? ""));
      return true;
    }
  },
  {
    name: "imbot.chat.user.delete",
    scope: "imbot",
    params: ["CHAT_ID", "USER_ID", ...BOT],
    handler: (ctx) => asBot(ctx, "im.chat.user.delete")
  },
  {
    name: "imbot.chat.user.list",
    scope: "imbot",
    params: ["CHAT_ID", ...BOT],
    handler: (ctx) => asBot(ctx, "im.chat.user.list")
  }
];

// src/app/likes.ts
async function likeMessage(store, chats, user, messageId, action) {
  return store.transaction(async (tx) => {
    const found = await tx.messages.get(messageId);
    if (!found || found.deleted) return false;
    const chat = await tx.chats.getForUpdate(found.chat_id);
    const member = await tx.members.get(chat.id, user.id);
    if (!chats.canRead(user, { chat, member }) || member && found.seq < member.start_seq) {
      throw Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog", 403);
    }
    const message = await tx.messages.get(messageId);
    const params = JSON.parse(message.params);
    const likes = Array.isArray(params.LIKE) ? params.LIKE.map(Number) : [];
    const has2 = likes.includes(user.id);
    const like2 = action === "auto" ? !has2 : action === "plus";
    if (like2 === has2) return false;
    params.LIKE = like2 ? [...likes, user.id] : likes.filter((id) => id !== user.id);
    if (params.LIKE.length === 0) delete params.LIKE;
    await tx.messages.update(message.id, { params: JSON.stringify(params) });
    return true;
  });
}

// src/methods/im.message.like.ts
async function like(ctx, user) {
  const id = ctx.params.int("MESSAGE_ID") ?? ctx.params.int("ID") ?? 0;
  if (id <= 0) throw Errors.method("MESSAGE_ID_ERROR", "Message ID can't be empty");
  const raw = (ctx.params.string("ACTION") ?? "").toLowerCase();
  const action = raw === "plus" || raw === "minus" ? raw : "auto";
  if (!await likeMessage(ctx.app.store, ctx.app.chats, user, id, action)) {
    throw Errors.method("WITHOUT_CHANGES", "Action completed without changes");
  }
  return true;
}
var likeMethods = [
  {
    name: "im.message.like",
    scope: "im",
    params: ["MESSAGE_ID", "ID", "ACTION"],
    handler: (ctx) => like(ctx, ctx.auth.user)
  },
  {
    name: "imbot.message.like",
    scope: "imbot",
    params: ["BOT_ID", "MESSAGE_ID", "ACTION", "CLIENT_ID"],
    async handler(ctx) {
      return like(ctx, await actingBot(ctx));
    }
  },
  {
    name: "im.dialog.writing",
    scope: "im",
    params: ["DIALOG_ID"],
    async handler({ params }) {
      if (!parseDialogId(params.string("DIALOG_ID"))) throw Errors.method("DIALOG_ID_EMPTY", "Dialog ID can't be empty");
      return true;
    }
  }
];

// src/methods/imopenlines.bot.ts
var CLIENT = ["CLIENT_ID"];
async function act(ctx, action) {
  const owner = await botApp(ctx);
  const chatId2 = ctx.params.int("CHAT_ID") ?? 0;
  if (chatId2 <= 0) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
  const bots = (await ctx.app.bots.list()).filter((b) => b.app_id === owner.id).map((b) => b.id);
  if (bots.length === 0) throw Errors.method("BOT_ID_ERROR", "Bot not found");
  await ctx.app.lineBots.act(bots, chatId2, action);
  return true;
}
function transferTarget(ctx) {
  const p = ctx.params;
  let userRaw = p.has("USER_ID") ? p.string("USER_ID") : void 0;
  let queueRaw = p.has("QUEUE_ID") ? p.string("QUEUE_ID") : void 0;
  const transfer = p.string("TRANSFER_ID");
  if (transfer !== void 0) {
    if (transfer.startsWith("queue")) queueRaw = transfer.slice(5);
    else userRaw = transfer;
  }
  if (userRaw !== void 0) {
    const id = Number.parseInt(userRaw, 10);
    if (!(id > 0)) throw Errors.method("USER_ID_EMPTY", "User ID can't be empty");
    return { kind: "user", userId: id };
  }
  if (queueRaw !== void 0) {
    const id = Number.parseInt(queueRaw, 10);
    if (!(id > 0)) throw Errors.method("QUEUE_ID_EMPTY", "QUEUE ID can't be empty");
    return { kind: "line", lineId: id };
  }
  throw Errors.method("TRANSFER_ID_EMPTY", "Queue ID or User ID can't be empty");
}
var imopenlinesBotMethods = [
  {
    name: "imopenlines.bot.session.operator",
    scope: "imopenlines",
    params: ["CHAT_ID", ...CLIENT],
    handler: (ctx) => act(ctx, { kind: "operator" })
  },
  {
    name: "imopenlines.bot.session.transfer",
    scope: "imopenlines",
    params: ["CHAT_ID", "USER_ID", "QUEUE_ID", "TRANSFER_ID", "LEAVE", ...CLIENT],
    async handler(ctx) {
      if ((ctx.params.int("CHAT_ID") ?? 0) <= 0) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
      return act(ctx, { kind: "transfer", target: transferTarget(ctx), leave: ctx.params.string("LEAVE") === "Y" });
    }
  },
  {
    name: "imopenlines.bot.session.finish",
    scope: "imopenlines",
    params: ["CHAT_ID", ...CLIENT],
    handler: (ctx) => act(ctx, { kind: "finish" })
  },
  {
    name: "imopenlines.bot.session.message.send",
    scope: "imopenlines",
    params: ["CHAT_ID", "NAME", "MESSAGE", ...CLIENT],
    handler: (ctx) => act(ctx, { kind: "message", name: ctx.params.string("NAME") === "WELCOME" ? "WELCOME" : "DEFAULT", message: ctx.params.string("MESSAGE") ?? "" })
  }
];

// src/methods/server.ts
function serverMethods(registry) {
  const available = (granted) => registry.all().filter((d) => scopeAllows(granted, d.scope));
  return [
    {
      name: "server.time",
      scope: "basic",
      params: [],
      async handler({ app }) {
        return atom(app.clock(), app.config.timezone);
      }
    },
    {
      name: "methods",
      scope: "basic",
      params: ["full", "scope"],
      async handler({ params, auth }) {
        const scope = params.string("scope");
        let defs = phpTruthy(params.raw("full")) ? registry.all() : available(auth.scopes);
        if (scope !== void 0) defs = registry.all().filter((d) => d.scope === (scope === "" ? "basic" : scope));
        return defs.map((d) => d.name).sort();
      }
    },
    {
      name: "method.get",
      scope: "basic",
      params: ["name"],
      async handler({ params, auth }) {
        const def = registry.get(params.string("name") ?? "");
        return { isExisting: def !== void 0, isAvailable: def !== void 0 && scopeAllows(auth.scopes, def.scope) };
      }
    },
    {
      name: "scope",
      scope: "basic",
      params: ["full"],
      async handler({ params, auth }) {
        if (!phpTruthy(params.raw("full"))) return [...auth.scopes].sort();
        return [.../* @__PURE__ */ new Set([...KNOWN_SCOPES, ...registry.scopes()])].filter((s) => s !== BASE_SCOPE).sort();
      }
    }
  ];
}

// src/methods/user.ts
var PAGE = 50;
var USER_FIELDS = [
  "NAME",
  "LAST_NAME",
  "EMAIL",
  "WORK_POSITION",
  "PERSONAL_GENDER",
  "PERSONAL_BIRTHDAY",
  "PERSONAL_PHOTO",
  "PERSONAL_MOBILE",
  "PERSONAL_WWW",
  "ACTIVE",
  "EXTRANET",
  "ABSENT_TO"
];
var TOP_LEVEL_FILTER_KEYS = ["NAME", "LAST_NAME", "EMAIL", "WORK_POSITION", "ACTIVE", "USER_TYPE", "FIND", "NAME_SEARCH"];
var USER_LIST_PARAMS = ["ID", "FILTER", "filter", "sort", "order", "SORT", "ORDER", "ADMIN_MODE", "select", "SELECT", "IMAGE_RESIZE", ...TOP_LEVEL_FILTER_KEYS];
function userPatch(params) {
  const patch = {};
  const text2 = (name) => params.has(name) ? (params.string(name) ?? "").trim() : void 0;
  const set = (key, value) => {
    if (value !== void 0) patch[key] = value;
  };
  set("name", text2("NAME"));
  set("last_name", text2("LAST_NAME"));
  set("email", text2("EMAIL"));
  set("work_position", text2("WORK_POSITION"));
  set("avatar", text2("PERSONAL_PHOTO"));
  set("phone", text2("PERSONAL_MOBILE"));
  set("website", text2("PERSONAL_WWW"));
  const gender = text2("PERSONAL_GENDER");
  if (gender !== void 0) {
    if (!["M", "F", ""].includes(gender)) params.fallback("PERSONAL_GENDER", "PERSONAL_GENDER must be M, F or empty");
    else patch.gender = gender;
  }
  const birthday = text2("PERSONAL_BIRTHDAY");
  if (birthday !== void 0) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthday) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(birthday);
    if (birthday === "") patch.birthday = "";
    else if (!m) params.fallback("PERSONAL_BIRTHDAY", "PERSONAL_BIRTHDAY must be a date");
    else patch.birthday = m[1].length === 4 ? `${m[3]}-${m[2]}` : `${m[1]}-${m[2]}`;
  }
  if (params.has("ACTIVE")) patch.active = ["Y", "true", "1", true, 1].includes(params.raw("ACTIVE")) ? 1 : 0;
  if (params.has("EXTRANET")) patch.extranet = params.flag("EXTRANET") ? 1 : 0;
  if (params.has("ABSENT_TO")) {
    const raw = params.string("ABSENT_TO") ?? "";
    const ts = raw === "" ? null : parseAtom(raw);
    if (ts === void 0) params.fallback("ABSENT_TO", "ABSENT_TO must be an ATOM date");
    else patch.absent = ts;
  }
  return patch;
}
function requireAdmin(isAdmin) {
  if (!isAdmin) throw Errors.accessDenied();
}
var userMethods = [
  {
    name: "user.add",
    scope: "user",
    params: USER_FIELDS,
    async handler({ app, auth, params }) {
      requireAdmin(auth.user.is_admin);
      const patch = userPatch(params);
      if (!patch.name && !patch.last_name && !patch.email) {
        throw Errors.method("ERROR_CORE", "Fill in at least one of NAME, LAST_NAME, EMAIL");
      }
      const user = await app.users.create({ name: patch.name || patch.email || patch.last_name || "", extranet: patch.extranet === 1 });
      const { name: _n, ...rest } = patch;
      await app.users.update(user.id, patch.name ? patch : rest);
      return user.id;
    }
  },
  {
    name: "user.update",
    scope: "user",
    params: ["ID", ...USER_FIELDS],
    async handler({ app, auth, params }) {
      const id = params.int("ID") ?? 0;
      if (id !== auth.user.id || params.has("ACTIVE") || params.has("EXTRANET")) requireAdmin(auth.user.is_admin);
      if (!await app.store.users.get(id)) throw Errors.method("ERROR_CORE", "User not found");
      await app.users.update(id, userPatch(params));
      return true;
    }
  },
  {
    name: "user.admin",
    scope: "basic",
    params: [],
    async handler({ auth }) {
      return auth.user.is_admin === 1;
    }
  },
  {
    name: "user.access",
    scope: "basic",
    params: ["ACCESS"],
    async handler({ auth, params }) {
      const raw = params.raw("ACCESS");
      const codes = (Array.isArray(raw) ? raw : raw !== null && typeof raw === "object" ? Object.values(raw) : [raw]).filter(
        (c) => typeof c === "string"
      );
      return auth.user.is_admin === 1 || codes.some((code) => holdsAccessCode(auth.user, code));
    }
  },
  {
    name: "user.current",
    scope: "basic",
    params: [],
    async handler({ app, auth }) {
      return restUser(auth.user, presentOptions(app));
    }
  },
  {
    name: "profile",
    scope: "basic",
    params: [],
    async handler({ app, auth }) {
      const u = restUser(auth.user, presentOptions(app));
      return {
        ID: u.ID,
        ADMIN: auth.user.is_admin === 1,
        NAME: u.NAME,
        LAST_NAME: u.LAST_NAME,
        PERSONAL_GENDER: u.PERSONAL_GENDER,
        ...u.PERSONAL_PHOTO ? { PERSONAL_PHOTO: u.PERSONAL_PHOTO } : {},
        TIME_ZONE: u.TIME_ZONE,
        TIME_ZONE_OFFSET: 0
      };
    }
  },
  {
    name: "user.get",
    scope: "user_basic",
    params: USER_LIST_PARAMS,
    handler: (ctx) => listUsers(ctx, "get")
  },
  {
    // A portal answers user.search with user.get's code; NAME, LAST_NAME, WORK_POSITION and FIND match words.
    name: "user.search",
    scope: "user_basic",
    params: USER_LIST_PARAMS,
    handler: (ctx) => listUsers(ctx, "search")
  },
  {
    name: "user.fields",
    scope: "user_basic",
    params: [],
    async handler({ app }) {
      return USER_FIELD_TITLES[app.config.language];
    }
  }
];
var USER_FIELD_TITLES = {
  en: {
    ID: "ID",
    XML_ID: "External ID",
    ACTIVE: "Active",
    NAME: "First name",
    LAST_NAME: "Last name",
    SECOND_NAME: "Second name",
    EMAIL: "E-mail",
    LAST_LOGIN: "Last login",
    DATE_REGISTER: "Registration date",
    IS_ONLINE: "Online",
    TIME_ZONE: "Time zone",
    TIME_ZONE_OFFSET: "Time zone offset",
    TIMESTAMP_X: "Modified",
    LAST_ACTIVITY_DATE: "Last activity",
    PERSONAL_GENDER: "Gender",
    PERSONAL_BIRTHDAY: "Date of birth",
    PERSONAL_PHOTO: "Photo",
    PERSONAL_MOBILE: "Mobile phone",
    PERSONAL_WWW: "Website",
    WORK_POSITION: "Position",
    UF_DEPARTMENT: "Departments",
    USER_TYPE: "User type"
  },
  ru: {
    ID: "ID",
    XML_ID: "\u0412\u043D\u0435\u0448\u043D\u0438\u0439 \u043A\u043E\u0434",
    ACTIVE: "\u0410\u043A\u0442\u0438\u0432\u043D\u043E\u0441\u0442\u044C",
    NAME: "\u0418\u043C\u044F",
    LAST_NAME: "\u0424\u0430\u043C\u0438\u043B\u0438\u044F",
    SECOND_NAME: "\u041E\u0442\u0447\u0435\u0441\u0442\u0432\u043E",
    EMAIL: "E-Mail",
    LAST_LOGIN: "\u041F\u043E\u0441\u043B\u0435\u0434\u043D\u044F\u044F \u0430\u0432\u0442\u043E\u0440\u0438\u0437\u0430\u0446\u0438\u044F",
    DATE_REGISTER: "\u0414\u0430\u0442\u0430 \u0440\u0435\u0433\u0438\u0441\u0442\u0440\u0430\u0446\u0438\u0438",
    IS_ONLINE: "\u0412 \u0441\u0435\u0442\u0438",
    TIME_ZONE: "\u0427\u0430\u0441\u043E\u0432\u043E\u0439 \u043F\u043E\u044F\u0441",
    TIME_ZONE_OFFSET: "\u0421\u043C\u0435\u0449\u0435\u043D\u0438\u0435 \u0447\u0430\u0441\u043E\u0432\u043E\u0433\u043E \u043F\u043E\u044F\u0441\u0430",
    TIMESTAMP_X: "\u0414\u0430\u0442\u0430 \u0438\u0437\u043C\u0435\u043D\u0435\u043D\u0438\u044F",
    LAST_ACTIVITY_DATE: "\u041F\u043E\u0441\u043B\u0435\u0434\u043D\u044F\u044F \u0430\u043A\u0442\u0438\u0432\u043D\u043E\u0441\u0442\u044C",
    PERSONAL_GENDER: "\u041F\u043E\u043B",
    PERSONAL_BIRTHDAY: "\u0414\u0430\u0442\u0430 \u0440\u043E\u0436\u0434\u0435\u043D\u0438\u044F",
    PERSONAL_PHOTO: "\u0424\u043E\u0442\u043E\u0433\u0440\u0430\u0444\u0438\u044F",
    PERSONAL_MOBILE: "\u041C\u043E\u0431\u0438\u043B\u044C\u043D\u044B\u0439 \u0442\u0435\u043B\u0435\u0444\u043E\u043D",
    PERSONAL_WWW: "\u041B\u0438\u0447\u043D\u044B\u0439 \u0441\u0430\u0439\u0442",
    WORK_POSITION: "\u0414\u043E\u043B\u0436\u043D\u043E\u0441\u0442\u044C",
    UF_DEPARTMENT: "\u041F\u043E\u0434\u0440\u0430\u0437\u0434\u0435\u043B\u0435\u043D\u0438\u044F",
    USER_TYPE: "\u0422\u0438\u043F \u043F\u043E\u043B\u044C\u0437\u043E\u0432\u0430\u0442\u0435\u043B\u044F"
  }
};
async function listUsers({ app, params, start, noCount }, mode) {
  const query = { activeOnly: true };
  const filter = params.structure("FILTER") ?? params.structure("filter");
  if (filter && !Array.isArray(filter)) applyFilter(query, filter, params, mode);
  else if (!filter) {
    const topLevel = Object.fromEntries(TOP_LEVEL_FILTER_KEYS.filter((k) => params.has(k)).map((k) => [k, params.raw(k)]));
    applyFilter(query, topLevel, params, mode);
  }
  if (params.has("ID")) narrowIds(query, idList(params.raw("ID")));
  const { sort, desc } = readOrder(params);
  const rows = await app.store.users.list({ ...query, sort, desc, offset: start, limit: PAGE });
  const items2 = rows.map((r) => restUser(r, presentOptions(app)));
  if (noCount) return items2;
  const total = await app.store.users.count(query);
  const next = start + rows.length < total ? start + rows.length : void 0;
  return new ListResult(items2, total, next);
}
function holdsAccessCode(user, code) {
  const departments = JSON.parse(user.departments);
  const m = /^(U|G|DR|D)(\d+)$/.exec(code);
  if (code === "AU") return true;
  if (!m) return false;
  const id = Number(m[2]);
  if (m[1] === "U") return id === user.id;
  if (m[1] === "G") return id === 2 || id === 1 && user.is_admin === 1;
  return departments.includes(id);
}
function idList(raw) {
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === "object" ? Object.values(raw) : [raw];
  return list.map(scalarNumber).filter((n) => Number.isSafeInteger(n) && n > 0);
}
function scalarNumber(v) {
  return typeof v === "number" || typeof v === "string" ? Number(v) : NaN;
}
function narrowIds(query, ids) {
  query.ids = query.ids ? query.ids.filter((id) => ids.includes(id)) : ids;
}
var TEXT_FILTERS = {
  NAME: "name",
  LAST_NAME: "last_name",
  EMAIL: "email",
  WORK_POSITION: "work_position"
};
function searchWords(value) {
  return typeof value === "string" || typeof value === "number" ? String(value).split(/\s+/).filter(Boolean).slice(0, 10) : [];
}
function applyFilter(query, filter, params, mode) {
  for (const [key, value] of Object.entries(filter)) {
    const m = /^(>=|<=|!=|!|>|<|=|@)?(.+)$/.exec(key);
    const op = m?.[1] ?? "";
    const field = (m?.[2] ?? key).toUpperCase();
    if (field === "FIND" || field === "NAME_SEARCH") {
      const words = searchWords(value);
      if (words.length) (query.words ??= []).push({ fields: USER_TEXT_FIELDS, words });
      continue;
    }
    if (field in TEXT_FILTERS && op === "") {
      if (typeof value !== "string" && typeof value !== "number") {
        params.fallback("FILTER", `FILTER[${key}] must be text`);
      } else if (mode === "search") {
        const words = searchWords(value);
        if (words.length) (query.words ??= []).push({ fields: [TEXT_FILTERS[field]], words });
      } else {
        (query.equals ??= {})[TEXT_FILTERS[field]] = String(value);
      }
      continue;
    }
    if (field === "ACTIVE" && op === "") {
      query.active = Boolean(value) && value !== "N" && value !== "0" && value !== 0;
      continue;
    }
    if (field === "USER_TYPE" && op === "") {
      if (value === "employee") query.extranet = false;
      else if (value === "extranet") query.extranet = true;
      else narrowIds(query, []);
      continue;
    }
    if (field !== "ID") {
      params.fallback("FILTER", `Filtering users by ${key} is not supported`);
      continue;
    }
    const ids = idList(value);
    const bound = ids.length ? Math.max(...ids) : scalarNumber(value) || 0;
    if (op === "" || op === "=" || op === "@") narrowIds(query, ids);
    else if (op === "!" || op === "!=") query.notIds = [...query.notIds ?? [], ...ids];
    else if (op === ">") query.idGt = Math.max(query.idGt ?? -Infinity, bound);
    else if (op === ">=") query.idGte = Math.max(query.idGte ?? -Infinity, bound);
    else if (op === "<") query.idLt = Math.min(query.idLt ?? Infinity, Math.min(...ids, bound));
    else if (op === "<=") query.idLte = Math.min(query.idLte ?? Infinity, Math.min(...ids, bound));
  }
}
function readOrder(params) {
  let field = "ID";
  let dir = "ASC";
  for (const name of ["order", "ORDER", "sort", "SORT"]) {
    const v = params.raw(name);
    if (typeof v === "string" && v !== "") {
      if (/^(asc|desc)$/i.test(v)) dir = v;
      else field = v;
    } else if (v && typeof v === "object") {
      const [f, d] = Object.entries(v)[0] ?? [];
      if (f) field = f;
      if (typeof d === "string" && d !== "") dir = d;
    }
  }
  const sort = field.toLowerCase();
  if (!USER_SORT_FIELDS.includes(sort)) {
    params.fallback("sort", `Sorting users by ${field} is not supported`);
    return { sort: "id", desc: /^desc$/i.test(dir) };
  }
  return { sort, desc: /^desc$/i.test(dir) };
}

// src/methods/index.ts
function buildRegistry() {
  const registry = new Registry();
  const families = [
    batchMethods,
    appMethods,
    userMethods,
    imRevisionMethods,
    imUserMethods,
    imMessageMethods,
    imChatMethods,
    imDialogMethods,
    imCountersMethods,
    imRecentMethods,
    imopenlinesMethods,
    imconnectorMethods,
    imbotBotMethods,
    imbotChatMethods,
    imbotCommandMethods,
    imbotChatMoreMethods,
    likeMethods,
    imopenlinesBotMethods,
    eventMethods,
    eventOfflineMethods
  ];
  for (const family of families) for (const def of family) registry.add(def);
  for (const def of serverMethods(registry)) registry.add(def);
  return registry;
}

// src/boot.ts
async function boot(config) {
  const store = await openStore({ dbPath: config.dbPath, databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
  try {
    const clock = config.clockOffset ? () => systemClock() + config.clockOffset : systemClock;
    const app = await createApp(store, config, { clock });
    return { app, registry: buildRegistry(), close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}
export {
  boot
};
//# sourceMappingURL=boot-LZVSLLDF.js.map
