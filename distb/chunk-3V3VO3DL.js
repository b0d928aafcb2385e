import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  BitrixError,
  CHAT_TITLE_MAX_LENGTH,
  Errors,
  MAX_MESSAGE_LENGTH,
  require_lib
} from "./chunk-ZXJPHV6V.js";
import {
  SERVED_SCOPES,
  parseScopes
} from "./chunk-37R5R6S4.js";
import {
  rowActivity
} from "./chunk-OLGWREFJ.js";
import {
  __toESM
} from "./chunk-AGWMCOCW.js";

// src/app/clock.ts
var systemClock = () => Math.floor(Date.now() / 1e3);

// src/app/apps.ts
var BINDABLE_EVENTS = {
  ONAPPINSTALL: "basic",
  ONAPPUPDATE: "basic",
  ONAPPUNINSTALL: "basic",
  ONAPPPAYMENT: "basic",
  ONAPPMETHODCONFIRM: "basic",
  ONIMBOTMESSAGEADD: "imbot",
  ONIMBOTMESSAGEUPDATE: "imbot",
  ONIMBOTMESSAGEDELETE: "imbot",
  ONIMBOTJOINCHAT: "imbot",
  ONIMBOTDELETE: "imbot",
  ONIMCONNECTORMESSAGEADD: "imconnector"
};
function isHandlerUrl(value) {
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}
function onApplicationHost(app, url) {
  if (!app.handler_url) return true;
  try {
    return new URL(url).hostname.toLowerCase() === new URL(app.handler_url).hostname.toLowerCase();
  } catch {
    return false;
  }
}
function requireApp(app) {
  if (!app) throw new BitrixError("WRONG_AUTH_TYPE", "Current authorization type is denied for this method", 401);
  return app;
}
var AppsService = class {
  constructor(store, clock, outbox, language) {
    this.store = store;
    this.clock = clock;
    this.outbox = outbox;
    this.language = language;
  }
  store;
  clock;
  outbox;
  language;
  async byCode(code) {
    const app = await this.store.auth.appByCode(code);
    if (!app) throw Errors.method("APP_NOT_FOUND", `No application with code ${code}`);
    return app;
  }
  /**
   * Installs an application on behalf of a user: marks it installed and queues ONAPPINSTALL for its handler URL
   * (and any ONAPPINSTALL handler it bound before). Returns the outbox ids.
   */
  async install(code, userId, handlerUrl, claim) {
    const user = await this.store.users.get(userId);
    if (!user || !user.active) throw Errors.method("USER_NOT_FOUND", `User ${userId} not found`);
    return this.store.transaction(async (tx) => {
      const found = await tx.auth.appByCode(code);
      if (!found) throw Errors.method("APP_NOT_FOUND", `No application with code ${code}`);
      const url = handlerUrl ?? found.handler_url;
      if (!url) throw Errors.method("HANDLER_EMPTY", `Application ${code} has no handler URL (app add --handler URL)`);
      if (!isHandlerUrl(url)) throw Errors.method("HANDLER_ERROR", "Wrong handler URL");
      await tx.auth.updateApp(found.id, { installed: 1, handler_url: url });
      const app = { ...found, installed: 1, handler_url: url };
      const bound = await tx.events.handlers({ appId: app.id, event: "ONAPPINSTALL", offline: false });
      const urls = [.../* @__PURE__ */ new Set([url, ...bound.map((h) => h.handler)])];
      const data = { VERSION: "1", ACTIVE: "Y", INSTALLED: "Y", LANGUAGE_ID: this.language };
      return this.outbox.enqueue(
        tx,
        urls.map((u) => ({ app, event: "ONAPPINSTALL", url: u, handlerId: bound.find((h) => h.handler === u)?.id, data, authUserId: userId })),
        claim
      );
    });
  }
  async bind(app, userId, isAdmin, input) {
    const event = input.event.trim().toUpperCase();
    if (!event) throw Errors.argument("EVENT", "Required argument EVENT is empty");
    if (!(event in BINDABLE_EVENTS)) throw Errors.method("ERROR_EVENT_NOT_FOUND", "Event not found");
    if (input.offline) return this.bindOffline(app, userId, isAdmin, event);
    if (!input.handler) throw Errors.argument("HANDLER", "Required argument HANDLER is empty");
    if (!isHandlerUrl(input.handler)) throw Errors.method("ERROR_HANDLER_URL", "Wrong handler URL");
    if (!onApplicationHost(app, input.handler)) throw Errors.method("ERROR_HANDLER_URL_MATCH", "Handler URL host doesn't match application url");
    if (!isAdmin && input.authType !== void 0 && input.authType !== 0 && input.authType !== userId) {
      throw Errors.accessDenied("Access denied! Only an administrator may bind handlers for another user");
    }
    const authType = isAdmin ? input.authType ?? 0 : userId;
    if (authType > 0 && !await this.store.users.get(authType)) throw Errors.method("ERROR_USER_NOT_FOUND", "User not found");
    const existing = await this.store.events.handlers({ appId: app.id, event, handler: input.handler, authType });
    if (existing.length > 0) throw Errors.method("ERROR_CORE", "Unable to set event handler: Handler already binded");
    await this.store.events.addHandler({ app_id: app.id, event, handler: input.handler, auth_type: authType, user_id: userId, date_create: this.clock() });
  }
  /**
   * An offline binding (event_type=offline): the application fetches the events with event.offline.get. Offline
   * events carry no tokens and are read with the application's own token, so, as on a portal, only an administrator
   * sets them up.
   */
  async bindOffline(app, userId, isAdmin, event) {
    if (!isAdmin) throw Errors.accessDenied("Access denied! Only an administrator may bind offline events");
    const existing = await this.store.events.handlers({ appId: app.id, event, offline: true });
    if (existing.length > 0) throw Errors.method("ERROR_CORE", "Unable to set event handler: Handler already binded");
    await this.store.events.addHandler({ app_id: app.id, event, handler: "", auth_type: 0, user_id: userId, date_create: this.clock(), offline: 1 });
  }
  async unbind(app, viewer, input) {
    const event = input.event.trim().toUpperCase();
    if (!event) throw Errors.argument("EVENT", "Required argument EVENT is empty");
    if (input.offline) {
      if (!viewer.isAdmin) throw Errors.accessDenied("Access denied! Only an administrator may unbind offline events");
      return this.store.events.deleteHandlers({ appId: app.id, event, offline: true });
    }
    const filter = { appId: app.id, event, handler: input.handler || void 0, authType: input.authType, offline: false };
    return this.store.events.deleteHandlers(viewer.isAdmin ? filter : { ...filter, userId: viewer.userId });
  }
  /** The application's handlers a viewer may see: all for an administrator, else their own and the application's. */
  async handlers(app, viewer) {
    const all = await this.store.events.handlers({ appId: app.id });
    return viewer.isAdmin ? all : all.filter((h) => h.user_id === viewer.userId || h.user_id === 0);
  }
};

// src/app/secrets.ts
import crypto from "node:crypto";
var ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
function randomCode(length) {
  const bytes = crypto.randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}
function randomHex(bytes) {
  return crypto.randomBytes(bytes).toString("hex");
}
function hashSecret(secret) {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}
function sameHash(a, b) {
  const ba = Buffer.from(a, "hex");
  const bb = Buffer.from(b, "hex");
  return ba.length === bb.length && ba.length > 0 && crypto.timingSafeEqual(ba, bb);
}

// src/app/auth.ts
var ACCESS_TOKEN_TTL = 3600;
var REFRESH_TOKEN_TTL = 28 * 24 * 3600;
var AuthService = class {
  constructor(store, clock, memberId) {
    this.store = store;
    this.clock = clock;
    this.memberId = memberId;
  }
  store;
  clock;
  memberId;
  async createWebhook(userId, scopes, title = "") {
    const user = await this.store.users.get(userId);
    if (!user) throw Errors.method("USER_NOT_FOUND", `User ${userId} not found`);
    const code = randomCode(16);
    const row = await this.store.auth.createWebhook({
      user_id: userId,
      code_hash: hashSecret(code),
      scopes: scopes.join(","),
      title,
      date_create: this.clock()
    });
    return { id: row.id, userId, code, scopes };
  }
  async createApp(opts) {
    if (!/^[a-z0-9_.-]{1,64}$/i.test(opts.code)) throw Errors.method("ERROR_ARGUMENT", "App code must be 1-64 letters, digits, . _ -");
    if (await this.store.auth.appByCode(opts.code)) throw Errors.method("APP_EXISTS", `App ${opts.code} already exists`);
    const clientSecret = randomCode(50);
    const app = await this.store.auth.createApp({
      code: opts.code,
      client_id: `local.${randomHex(7)}.${randomCode(8)}`,
      client_secret_hash: hashSecret(clientSecret),
      scopes: opts.scopes.join(","),
      handler_url: opts.handlerUrl ?? "",
      application_token: randomHex(16),
      installed: 0,
      date_create: this.clock()
    });
    return { app, clientSecret };
  }
  /** Issues an access/refresh token pair for a user, in an application's context when appId is given. */
  async issueToken(userId, app, ttl = ACCESS_TOKEN_TTL) {
    const user = await this.store.users.get(userId);
    if (!user) throw Errors.method("USER_NOT_FOUND", `User ${userId} not found`);
    const now = this.clock();
    const access = randomHex(32);
    const refresh = randomHex(32);
    const scopes = app ? app.scopes : SERVED_SCOPES.join(",");
    await this.store.auth.createToken({
      access_hash: hashSecret(access),
      refresh_hash: hashSecret(refresh),
      user_id: userId,
      app_id: app?.id ?? null,
      scopes,
      expires_at: now + ttl,
      refresh_expires_at: now + REFRESH_TOKEN_TTL,
      revoked: 0,
      date_create: now
    });
    return {
      access_token: access,
      refresh_token: refresh,
      expires: now + ttl,
      expires_in: ttl,
      scope: scopes,
      user_id: userId,
      client_id: app?.client_id ?? null,
      member_id: this.memberId()
    };
  }
  /** Exchanges a refresh token for a new pair; the old pair stops working. */
  async refresh(refreshToken) {
    const row = await this.store.auth.tokenByRefreshHash(hashSecret(refreshToken));
    if (!row || row.revoked || row.refresh_expires_at < this.clock()) throw Errors.method("invalid_grant", "Invalid refresh token", 400);
    await this.store.auth.revokeToken(row.id);
    const app = row.app_id ? await this.store.auth.app(row.app_id) : void 0;
    return this.issueToken(row.user_id, app);
  }
  /**
   * The OAuth server's refresh grant: the application's client id and secret must match the token's application.
   * Errors are OAuth ones (invalid_client, invalid_grant), not REST ones.
   */
  async refreshForClient(clientId, clientSecret, refreshToken) {
    const app = clientId ? await this.store.auth.appByClientId(clientId) : void 0;
    if (!app || !clientSecret || !sameHash(app.client_secret_hash, hashSecret(clientSecret))) {
      throw Errors.method("invalid_client", "Invalid client credentials", 401);
    }
    const row = refreshToken ? await this.store.auth.tokenByRefreshHash(hashSecret(refreshToken)) : void 0;
    if (!row || row.app_id !== app.id) throw Errors.method("invalid_grant", "Invalid grant", 400);
    return this.refresh(refreshToken);
  }
  async resolveWebhook(userIdText, code) {
    const userId = Number(userIdText);
    if (!/^\d{1,10}$/.test(userIdText) || !code) throw Errors.invalidCredentials();
    const digest = hashSecret(code);
    const hooks = await this.store.auth.webhooksOfUser(userId);
    const hook = hooks.find((h) => sameHash(h.code_hash, digest));
    if (!hook) throw Errors.invalidCredentials();
    return this.contextOf({ userId, scopes: new Set(parseScopes(hook.scopes)), kind: "webhook", credentialKey: `webhook:${hook.id}` });
  }
  async resolveToken(token) {
    if (!/^[0-9a-f]{16,128}$/i.test(token)) throw Errors.invalidToken();
    const digest = hashSecret(token.toLowerCase());
    const row = await this.store.auth.tokenByAccessHash(digest);
    if (!row || row.revoked || !sameHash(row.access_hash, digest)) throw Errors.invalidToken();
    if (row.expires_at <= this.clock()) throw Errors.expiredToken();
    return this.contextOf({
      userId: row.user_id,
      scopes: new Set(parseScopes(row.scopes)),
      kind: "token",
      credentialKey: `token:${row.id}`,
      appId: row.app_id ?? void 0,
      tokenId: row.id
    });
  }
  webhooks() {
    return this.store.auth.webhooks();
  }
  async deleteWebhook(id) {
    if (!await this.store.auth.deleteWebhook(id)) throw Errors.method("WEBHOOK_NOT_FOUND", `No webhook with id ${id}`);
  }
  /** Tokens that still work or can still be refreshed, optionally of one user or application. */
  liveTokens(f = {}) {
    return this.store.auth.liveTokens(this.clock(), f);
  }
  /** Revokes one token (access and refresh); the next request with it is refused on every node. */
  async revokeToken(id) {
    if (await this.store.auth.revokeTokens({ id }) === 0) throw Errors.method("TOKEN_NOT_FOUND", `No live token with id ${id}`);
  }
  /** Revokes every token of an application (app uninstall); returns how many were live. */
  revokeAppTokens(appId) {
    return this.store.auth.revokeTokens({ appId });
  }
  /** Revokes every token of a user; returns how many were live. */
  revokeUserTokens(userId) {
    return this.store.auth.revokeTokens({ userId });
  }
  /** Revokes the token an access token belongs to (sign-out); false when it is unknown or already revoked. */
  async revokeByAccessToken(token) {
    if (!/^[0-9a-f]{16,128}$/i.test(token)) return false;
    const row = await this.store.auth.tokenByAccessHash(hashSecret(token.toLowerCase()));
    if (!row || row.revoked) return false;
    return await this.store.auth.revokeTokens({ id: row.id }) > 0;
  }
  async contextOf(entry) {
    const user = await this.store.users.get(entry.userId);
    if (!user) throw entry.kind === "webhook" ? Errors.invalidCredentials() : Errors.invalidToken();
    if (!user.active) throw Errors.accessDenied("User is not active");
    const app = entry.appId ? await this.store.auth.app(entry.appId) : void 0;
    return { user, scopes: entry.scopes, kind: entry.kind, credentialKey: entry.credentialKey, app, tokenId: entry.tokenId };
  }
};

// src/app/chat-rows.ts
function newChatRow(fields, now) {
  return {
    dialog_key: null,
    title: "",
    description: "",
    color: "",
    avatar: "",
    owner_id: 0,
    entity_type: "",
    entity_id: "",
    entity_data_1: "",
    entity_data_2: "",
    entity_data_3: "",
    date_create: now,
    date_update: now,
    last_message_id: 0,
    last_message_date: null,
    last_seq: 0,
    deleted_seq_max: 0,
    member_count: 0,
    large: 0,
    extranet: 0,
    ...fields
  };
}

// src/app/colors.ts
var NAMED_COLORS = {
  RED: "#df532d",
  GREEN: "#29a74c",
  MINT: "#4ba984",
  LIGHT_BLUE: "#4ba5c3",
  DARK_BLUE: "#3e5fc1",
  PURPLE: "#9a47d6",
  AQUA: "#1eb4aa",
  PINK: "#ea4b96",
  LIME: "#85cb38",
  BROWN: "#a86845",
  AZURE: "#2fa8e0",
  KHAKI: "#a8ad61",
  SAND: "#d4a25b",
  MARENGO: "#6b7c94",
  GRAY: "#8d9299",
  GRAPHITE: "#54595f"
};
var PALETTE = Object.values(NAMED_COLORS);
function colorFor(id) {
  return PALETTE[Math.abs(id) % PALETTE.length];
}
function parseColor(value) {
  const named = NAMED_COLORS[value.trim().toUpperCase()];
  if (named) return named;
  return /^#[0-9a-f]{6}$/i.test(value.trim()) ? value.trim().toLowerCase() : void 0;
}

// src/app/dialog-id.ts
var MAX_ID = 2147483647;
function parseDialogId(value) {
  if (value === void 0) return void 0;
  const v = value.trim();
  let m = /^chat(\d{1,10})$/i.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= MAX_ID) return { kind: "chat", chatId: Number(m[1]) };
  m = /^(\d{1,10})$/.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= MAX_ID) return { kind: "user", userId: Number(m[1]) };
  return void 0;
}
function chatDialogId(chatId) {
  return `chat${chatId}`;
}
function dialogKey(a, b) {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

// src/app/posting.ts
async function postInTx(tx, chat, f, now) {
  if (f.authorId > 0 && f.text.length > MAX_MESSAGE_LENGTH) {
    throw Errors.method("MESSAGE_TOO_LONG", `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  }
  const seq = await tx.chats.nextSeq(chat.id);
  const message = await tx.messages.insert({
    chat_id: chat.id,
    seq,
    author_id: f.authorId,
    text: f.text,
    system: f.system ? 1 : 0,
    params: JSON.stringify(f.params ?? {}),
    has_file: f.hasFile ? 1 : 0,
    has_attach: f.hasAttach ? 1 : 0,
    uuid: f.uuid ?? null,
    date: now,
    date_edit: null,
    deleted: 0,
    notify_read: 0
  });
  await tx.chats.update(chat.id, { last_message_id: message.id, last_message_date: now, date_update: now });
  if (!chat.large) await tx.members.touchAll(chat.id, now, true);
  if (f.authorId > 0) {
    const author = await tx.members.get(chat.id, f.authorId);
    if (author) {
      await tx.members.update(chat.id, f.authorId, {
        read_seq: seq,
        read_message_id: message.id,
        last_own_seq: seq,
        unread: 0,
        date_update: now,
        date_last_activity: now
      });
      if (author.read_seq < seq - 1) await tx.messages.markNotifyRead(chat.id, author.read_seq, seq - 1, f.authorId);
    }
  }
  return message;
}

// src/app/system-text.ts
var mention = (u) => `[USER=${u.id}]${[u.name, u.last_name].filter(Boolean).join(" ")}[/USER]`;
var TEXTS = {
  invited: { en: "#A# invited #B# to the chat", ru: "#A# \u043F\u0440\u0438\u0433\u043B\u0430\u0441\u0438\u043B \u0432 \u0447\u0430\u0442 #B#" },
  left: { en: "#A# left the chat", ru: "#A# \u043F\u043E\u043A\u0438\u043D\u0443\u043B \u0447\u0430\u0442" },
  kicked: { en: "#A# removed #B# from the chat", ru: "#A# \u0438\u0441\u043A\u043B\u044E\u0447\u0438\u043B \u0438\u0437 \u0447\u0430\u0442\u0430 #B#" },
  renamed: { en: '#A# changed the chat name to "#B#"', ru: '#A# \u0438\u0437\u043C\u0435\u043D\u0438\u043B \u043D\u0430\u0437\u0432\u0430\u043D\u0438\u0435 \u0447\u0430\u0442\u0430 \u043D\u0430 "#B#"' },
  owner: { en: "#A# made #B# the chat owner", ru: "#A# \u043D\u0430\u0437\u043D\u0430\u0447\u0438\u043B \u0432\u043B\u0430\u0434\u0435\u043B\u044C\u0446\u0435\u043C \u0447\u0430\u0442\u0430 #B#" }
};
function systemText(lang, kind, actor, others = []) {
  const b = typeof others === "string" ? others : others.map(mention).join(", ");
  return TEXTS[kind][lang].replace("#A#", mention(actor)).replace("#B#", b);
}

// src/app/chats.ts
var ROLE = { owner: "OWNER", manager: "MANAGER", member: "MEMBER" };
function cutTitle(title) {
  return title.length <= CHAT_TITLE_MAX_LENGTH ? title : [...title].slice(0, CHAT_TITLE_MAX_LENGTH).join("");
}
var accessError = (text = "Action unavailable") => Errors.method("ACCESS_ERROR", text);
var ChatsService = class {
  constructor(store, clock, config, events) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.events = events;
  }
  store;
  clock;
  config;
  events;
  /** The one-to-one chat of two users, created (with both memberships) on first use. */
  async ensurePrivate(tx, a, b) {
    const key = dialogKey(a.id, b.id);
    const existing = await tx.chats.byDialogKey(key);
    if (existing) return existing;
    await tx.lock(`dialog:${key}`);
    const created = await tx.chats.byDialogKey(key);
    if (created) return created;
    const now = this.clock();
    const chat = await tx.chats.create(
      newChatRow(
        {
          type: "P",
          dialog_key: key,
          author_id: a.id,
          member_count: a.id === b.id ? 1 : 2,
          extranet: a.extranet || b.extranet ? 1 : 0
        },
        now
      )
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
  async resolve(tx, user, ref, create) {
    if (ref.kind === "user") {
      const peer = await tx.users.get(ref.userId);
      if (!peer) throw Errors.method("USER_NOT_FOUND", "User not found");
      if (create) {
        if (!peer.active) throw accessError();
        const chat3 = await this.ensurePrivate(tx, user, peer);
        return { chat: chat3, member: await tx.members.get(chat3.id, user.id) };
      }
      const chat2 = await tx.chats.byDialogKey(dialogKey(user.id, peer.id));
      if (!chat2) return void 0;
      return { chat: chat2, member: await tx.members.get(chat2.id, user.id) };
    }
    const chat = await tx.chats.get(ref.chatId);
    if (!chat) return void 0;
    return { chat, member: await tx.members.get(chat.id, user.id) };
  }
  /** Whether a user may read a chat: members always; anyone but extranet users for open group chats. */
  canRead(user, access) {
    if (access.member) return true;
    return access.chat.type === "O" && !user.extranet;
  }
  async createGroup(creator, input) {
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
            description: input.description ?? "",
            color: input.color ?? "",
            avatar: input.avatar ?? "",
            owner_id: ownerId,
            author_id: creator.id,
            entity_type: input.entityType ?? "",
            entity_id: input.entityId ?? "",
            entity_data_1: input.entityData?.[0] ?? "",
            entity_data_2: input.entityData?.[1] ?? "",
            entity_data_3: input.entityData?.[2] ?? "",
            member_count: memberCount,
            large: memberCount > this.config.fanoutLimit ? 1 : 0,
            extranet: [creator, ...others].some((u) => u.extranet) ? 1 : 0
          },
          now
        )
      );
      if (!chat.color) {
        chat.color = colorFor(chat.id);
        await tx.chats.update(chat.id, { color: chat.color });
      }
      for (const u of [creator, ...others]) {
        await tx.members.add(this.memberRow(chat, u.id, chat.id, u.id === ownerId ? ROLE.owner : ROLE.member, now, 0, 0));
      }
      if (others.length > 0) {
        await postInTx(tx, chat, { authorId: 0, text: systemText(this.config.language, "invited", creator, others), system: true, params: { CODE: "CHAT_JOIN" } }, now);
        await this.readAllInTx(tx, chat.id, creator.id);
      }
      if (input.message?.trim()) {
        const fresh = await tx.chats.get(chat.id);
        await postInTx(tx, fresh, { authorId: creator.id, text: input.message.trim() }, now);
      }
      await this.events.record(tx, "membersAdded", { chat: await tx.chats.get(chat.id), userIds: await tx.members.userIds(chat.id), byUserId: creator.id });
      return chat.id;
    });
    this.events.committed();
    return chatId;
  }
  async addMembers(actor, chatId, userIds, hideHistory) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw accessError();
      if (chat.type === "L") throw accessError("It is forbidden to add users to this chat");
      const candidates = (await tx.users.getMany(userIds)).filter((u) => u.active);
      const fresh = [];
      for (const u of candidates) if (!await tx.members.get(chat.id, u.id)) fresh.push(u);
      if (fresh.length === 0) return;
      const startSeq = hideHistory ? chat.last_seq + 1 : 0;
      for (const u of fresh) {
        await tx.members.add(this.memberRow(chat, u.id, chat.id, ROLE.member, now, chat.last_seq, startSeq));
      }
      await this.setMemberCount(tx, chat, chat.member_count + fresh.length);
      const current = await tx.chats.get(chat.id);
      await postInTx(tx, current, { authorId: 0, text: systemText(this.config.language, "invited", actor, fresh), system: true, params: { CODE: "CHAT_JOIN" } }, now);
      await this.readAllInTx(tx, chat.id, actor.id);
      await this.events.record(tx, "membersAdded", { chat: await tx.chats.get(chat.id), userIds: fresh.map((u) => u.id), byUserId: actor.id });
    });
    this.events.committed();
  }
  /** Removes a member: the member themselves (leave) or, for owners and managers, anyone (kick). */
  async removeMember(actor, chatId, userId) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw Errors.method("ACCESS_DENIED_KICK", "Access denied to kick user from chat");
      if (chat.type === "L" && userId !== actor.id) throw accessError("It is forbidden to delete users of this chat");
      const target = userId === actor.id ? me : await tx.members.get(chat.id, userId);
      if (!target) throw Errors.method("USER_NOT_FOUND", "The user is not a member of the chat");
      if (userId !== actor.id && me.role === ROLE.member) {
        throw Errors.method("ACCESS_DENIED_KICK", "Access denied to kick user from chat");
      }
      if (userId !== actor.id && target.role === ROLE.owner) {
        throw Errors.method("ACCESS_DENIED_KICK", "Access denied to kick user from chat");
      }
      await tx.members.remove(chat.id, userId);
      await this.setMemberCount(tx, chat, chat.member_count - 1);
      const targetUser = await tx.users.get(userId);
      const current = await tx.chats.get(chat.id);
      if (current.member_count > 0) {
        if (target.role === ROLE.owner) {
          const heir = (await tx.members.list(chat.id, { limit: 1 }))[0];
          if (heir) {
            await tx.members.update(chat.id, heir.user_id, { role: ROLE.owner, date_update: now });
            await tx.chats.update(chat.id, { owner_id: heir.user_id });
          }
        }
        const text = userId === actor.id ? systemText(this.config.language, "left", targetUser) : systemText(this.config.language, "kicked", actor, [targetUser]);
        await postInTx(tx, current, { authorId: 0, text, system: true, params: { CODE: userId === actor.id ? "CHAT_LEAVE" : "CHAT_KICK" } }, now);
        if (userId !== actor.id) await this.readAllInTx(tx, chat.id, actor.id);
      }
      await this.events.record(tx, "memberRemoved", { chat: await tx.chats.get(chat.id), userId, byUserId: actor.id });
    });
    this.events.committed();
  }
  async rename(actor, chatId, title) {
    const clean = cutTitle(title.trim());
    if (!clean) throw Errors.method("TITLE_EMPTY", "Title can't be empty");
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!await tx.members.get(chat.id, actor.id)) throw accessError();
      if (chat.type === "L") throw accessError("This chat cannot be renamed");
      if (chat.title === clean) return;
      await tx.chats.update(chat.id, { title: clean });
      await postInTx(tx, { ...chat, title: clean }, { authorId: 0, text: systemText(this.config.language, "renamed", actor, clean), system: true, params: { CODE: "CHAT_TITLE" } }, now);
      await this.readAllInTx(tx, chat.id, actor.id);
    });
  }
  async recolor(actor, chatId, color) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!await tx.members.get(chat.id, actor.id)) throw accessError();
      if (chat.color === color) throw Errors.method("WRONG_REQUEST", "This color currently set or chat isn't exists");
      await tx.chats.update(chat.id, { color, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }
  async setOwner(actor, chatId, userId) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (chat.type === "L") throw accessError();
      const target = await tx.members.get(chat.id, userId);
      if (chat.owner_id !== actor.id || !target) {
        throw Errors.method("WRONG_REQUEST", "Change owner can only owner and user must be member in chat");
      }
      if (userId === actor.id) return;
      await tx.members.update(chat.id, actor.id, { role: ROLE.member, date_update: now });
      await tx.members.update(chat.id, userId, { role: ROLE.owner, date_update: now });
      await tx.chats.update(chat.id, { owner_id: userId, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }
  /** Makes a member a manager of a group chat, or a manager a plain member again: the owner's right only. */
  async setManager(actor, chatId, userId, manager) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      const target = await tx.members.get(chat.id, userId);
      if (chat.type === "L" || chat.owner_id !== actor.id || !target || target.role === ROLE.owner) {
        throw Errors.method("WRONG_REQUEST", "Change manager can only owner and user must be member in chat");
      }
      const role = manager ? ROLE.manager : ROLE.member;
      if (target.role === role) return;
      await tx.members.update(chat.id, userId, { role, date_update: now });
      await tx.chats.update(chat.id, { date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }
  /** Sets a group chat's avatar (an image URL or data: URL a member gives). */
  async setAvatar(actor, chatId, avatar) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await this.requireGroup(tx, chatId);
      if (!await tx.members.get(chat.id, actor.id) || chat.type === "L") throw accessError();
      await tx.chats.update(chat.id, { avatar, date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    });
  }
  async mute(actor, chatId, mute) {
    await this.store.transaction(async (tx) => {
      const chat = await tx.chats.get(chatId);
      if (!chat) throw Errors.method("CHAT_ID_EMPTY", "Chat ID can't be empty");
      const me = await tx.members.get(chat.id, actor.id);
      if (!me) throw accessError();
      if (me.muted === 1 === mute) return;
      await tx.members.update(chat.id, actor.id, { muted: mute ? 1 : 0, date_update: this.clock() });
    });
  }
  /** Adds members quietly (open lines join operators so); returns the ids that were not members yet. */
  async joinInTx(tx, chat, userIds, now) {
    const fresh = [];
    for (const id of userIds) if (!fresh.includes(id) && !await tx.members.get(chat.id, id)) fresh.push(id);
    for (const id of fresh) await tx.members.add(this.memberRow(chat, id, chat.id, ROLE.member, now, chat.last_seq, 0));
    if (fresh.length) await this.setMemberCount(tx, chat, chat.member_count + fresh.length);
    return fresh;
  }
  /** Removes members quietly (an open-line session moving between operators); returns the ids removed. */
  async leaveInTx(tx, chat, userIds) {
    const gone = [];
    for (const id of userIds) {
      if (gone.includes(id) || !await tx.members.get(chat.id, id)) continue;
      await tx.members.remove(chat.id, id);
      gone.push(id);
    }
    if (gone.length) await this.setMemberCount(tx, chat, chat.member_count - gone.length);
    return gone;
  }
  /** A group chat by id, or the errors the im.chat.* methods give. */
  async requireGroup(tx, chatId) {
    const chat = await (tx.dialect === "postgres" ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
    if (!chat || chat.type === "P") throw accessError();
    return chat;
  }
  /** Marks everything in a chat as read for a member (after actions that post on their behalf). */
  async readAllInTx(tx, chatId, userId) {
    const chat = await tx.chats.get(chatId);
    const me = await tx.members.get(chatId, userId);
    if (!me || me.read_seq >= chat.last_seq) return;
    await tx.members.update(chatId, userId, {
      read_seq: chat.last_seq,
      read_message_id: chat.last_message_id,
      date_update: this.clock()
    });
    await tx.messages.markNotifyRead(chatId, me.read_seq, chat.last_seq, userId);
  }
  async setMemberCount(tx, chat, count) {
    const large = count > this.config.fanoutLimit;
    await tx.chats.update(chat.id, { member_count: count, large: large ? 1 : 0 });
    if (large !== (chat.large === 1)) {
      await tx.members.setLarge(chat.id, large);
      if (!large) {
        await tx.members.touchAll(chat.id, this.clock(), false);
        if (chat.last_message_date) await tx.members.raiseActivity(chat.id, chat.last_message_date);
      }
    }
    chat.member_count = count;
    chat.large = large ? 1 : 0;
  }
  memberRow(chat, userId, itemId, role, now, readSeq, startSeq) {
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
      start_seq: startSeq
    };
  }
  defaultTitle(users) {
    const names = users.map((u) => [u.name, u.last_name].filter(Boolean).join(" ")).join(", ");
    return this.config.language === "ru" ? `\u0427\u0430\u0442 \u0441 ${names}` : `Chat with ${names}`;
  }
};

// src/app/connector-events.ts
var CONNECTOR_MESSAGE_ADD = "ONIMCONNECTORMESSAGEADD";
function parseUserCode(code) {
  const parts = code.split("|");
  if (parts.length < 4) return void 0;
  return { connector: parts[0], lineId: Number(parts[1]), externalChatId: parts.slice(2, -1).join("|") };
}
var ConnectorEvents = class {
  constructor(outbox) {
    this.outbox = outbox;
  }
  outbox;
  listen(events) {
    events.on("messageAdded", (tx, e) => this.onMessageAdded(tx, e));
  }
  async onMessageAdded(tx, { chat, message, author }) {
    if (chat.type !== "L" || message.author_id <= 0 || message.system) return;
    const session = await tx.openlines.lastSession(chat.id);
    if (!session || message.author_id === session.customer_id) return;
    if (JSON.parse(message.params).CONNECTOR_MID !== void 0) return;
    const code = parseUserCode(session.user_code);
    const connector = code ? await tx.openlines.connector(code.connector) : void 0;
    const app = connector ? await tx.auth.app(connector.app_id) : void 0;
    if (!code || !connector || !app) return;
    const options = JSON.parse(connector.options);
    const signed = options.NEED_SIGNATURE !== false && options.NEED_SIGNATURE !== "N" && author;
    await this.outbox.emit(tx, app, CONNECTOR_MESSAGE_ADD, {
      data: {
        CONNECTOR: connector.id,
        LINE: code.lineId,
        MESSAGES: [
          {
            im: { chat_id: chat.id, message_id: message.id },
            message: { user_id: message.author_id, text: signed ? `[b]${[author.name, author.last_name].filter(Boolean).join(" ")}:[/b][br]${message.text}` : message.text },
            chat: { id: code.externalChatId }
          }
        ]
      },
      authUserId: message.author_id
    });
  }
};

// src/app/lines-sessions.ts
var SESSION_STATUS = {
  new: 0,
  skip: 5,
  answer: 10,
  client: 20,
  clientAfterOperator: 25,
  operator: 40,
  close: 60,
  spam: 65
};
var isClosed = (s) => s.status >= SESSION_STATUS.close;
var chatIdError = () => Errors.method("CHAT_ID", "Chat ID is not correct");
var chatTypeError = () => Errors.method("CHAT_TYPE", "The chat is not an open-line chat");
var accessDenied = () => Errors.method("ACCESS_DENIED", "You do not have access to this dialog");
var operatorWrong = () => Errors.method("OPERATOR_WRONG", "You can not redirect to this operator");
var SessionsService = class {
  constructor(store, clock, chats, lines) {
    this.store = store;
    this.clock = clock;
    this.chats = chats;
    this.lines = lines;
  }
  store;
  clock;
  chats;
  lines;
  /**
   * Opens a new session of a chat: the line's queue decides who joins (everyone for "all", one operator for
   * "strictly" and "evenly") and who owns it.
   */
  async startInTx(tx, chat, line, fields, now) {
    const botId = await this.welcomeBotInTx(tx, line);
    const { members, operatorId } = botId ? { members: [botId], operatorId: botId } : await this.pick(tx, line, []);
    await this.chats.joinInTx(tx, chat, members, now);
    const session = await tx.openlines.createSession({
      chat_id: chat.id,
      line_id: line.id,
      connector_id: fields.connectorId,
      user_code: fields.userCode,
      customer_id: fields.customerId,
      operator_id: operatorId,
      status: SESSION_STATUS.new,
      date_create: now,
      date_operator: null,
      date_modify: now,
      date_close: null
    });
    await tx.chats.update(chat.id, { owner_id: operatorId, entity_data_1: entityData1(session) });
    await this.touch(tx, chat.id, now);
    return session;
  }
  /** A customer wrote into an open session. */
  async customerWroteInTx(tx, session, now) {
    const status = session.status >= SESSION_STATUS.operator ? SESSION_STATUS.clientAfterOperator : session.status === SESSION_STATUS.answer ? SESSION_STATUS.client : session.status;
    await tx.openlines.updateSession(session.id, { status, date_modify: now });
  }
  /** im.message.add hook: an operator writing into an open-line chat answers the session (takes it if nobody has). */
  async onMessageInTx(tx, chat, message, now) {
    if (chat.type !== "L" || message.author_id <= 0 || message.system) return;
    const session = await tx.openlines.lastSession(chat.id);
    if (!session || isClosed(session)) return;
    if (message.author_id === session.customer_id) {
      await this.customerWroteInTx(tx, session, now);
      return;
    }
    if (session.operator_id && session.operator_id !== message.author_id) return;
    if (!session.operator_id) await this.takeInTx(tx, chat, session, message.author_id, now);
    await tx.openlines.updateSession(session.id, { status: SESSION_STATUS.operator, date_modify: now });
  }
  /** imopenlines.operator.answer: the caller takes the dialog. */
  async answer(user, chatId) {
    await this.act(user, chatId, "operator", async (tx, d, now) => {
      if (isClosed(d.session)) throw accessDenied();
      if (d.session.operator_id === user.id && d.session.status !== SESSION_STATUS.new) return;
      await this.takeInTx(tx, d.chat, d.session, user.id, now);
      await tx.openlines.updateSession(d.session.id, { status: SESSION_STATUS.answer, date_modify: now });
    });
  }
  /** imopenlines.session.intercept: an operator of the line takes a dialog another operator holds. */
  async intercept(user, chatId) {
    await this.act(user, chatId, "queue", async (tx, d, now) => {
      if (isClosed(d.session) || d.session.operator_id === user.id) throw operatorWrong();
      await this.takeInTx(tx, d.chat, d.session, user.id, now);
      await tx.openlines.updateSession(d.session.id, { status: SESSION_STATUS.answer, date_modify: now });
    });
  }
  /** imopenlines.session.join: the caller joins the dialog beside its operator. */
  async join(user, chatId) {
    await this.act(user, chatId, "queue", async (tx, d, now) => {
      await this.chats.joinInTx(tx, d.chat, [user.id], now);
    });
  }
  /** imopenlines.operator.skip: the caller leaves; the next operator of the queue gets the dialog. */
  async skip(user, chatId) {
    await this.act(user, chatId, "member", async (tx, d, now) => {
      if (isClosed(d.session)) throw Errors.method("ACCESS_DENIED_KICK", "The dialog can not be passed on");
      await this.chats.leaveInTx(tx, d.chat, [user.id]);
      let operatorId = d.session.operator_id;
      if (!operatorId || operatorId === user.id) {
        const next = d.line ? await this.pick(tx, d.line, [user.id]) : { members: [], operatorId: 0 };
        await this.chats.joinInTx(tx, d.chat, next.members, now);
        operatorId = next.operatorId;
      }
      await tx.openlines.updateSession(d.session.id, { operator_id: operatorId, status: SESSION_STATUS.skip, date_modify: now });
      await tx.chats.update(d.chat.id, { owner_id: operatorId });
    });
  }
  /** imopenlines.operator.transfer: to another operator, or to the queue of another line. */
  async transfer(user, chatId, target) {
    await this.act(user, chatId, "member", async (tx, d, now) => {
      if (isClosed(d.session)) throw operatorWrong();
      const leaving = [...new Set([user.id, d.session.operator_id].filter((id) => id > 0))];
      if (target.kind === "user") {
        const to = await tx.users.get(target.userId);
        if (!to || to.id === user.id || !to.active || to.bot || to.connector || to.extranet) throw operatorWrong();
        await this.chats.leaveInTx(tx, d.chat, leaving.filter((id) => id !== to.id));
        await this.chats.joinInTx(tx, d.chat, [to.id], now);
        await tx.openlines.updateSession(d.session.id, { operator_id: to.id, status: SESSION_STATUS.new, date_modify: now });
        await tx.chats.update(d.chat.id, { owner_id: to.id });
        return;
      }
      const line = await tx.openlines.line(target.lineId);
      if (!line || !line.active || line.id === d.session.line_id) throw operatorWrong();
      const next = await this.pick(tx, line, []);
      await this.chats.leaveInTx(tx, d.chat, leaving.filter((id) => !next.members.includes(id)));
      await this.chats.joinInTx(tx, d.chat, next.members, now);
      await tx.openlines.updateSession(d.session.id, { line_id: line.id, operator_id: next.operatorId, status: SESSION_STATUS.new, date_modify: now });
      await tx.chats.update(d.chat.id, { owner_id: next.operatorId });
    });
  }
  /**
   * Closes the current session (operator.finish: the caller's own dialog; another.finish: anyone's; spam).
   * Finishing a closed session is a no-op. The chat stays with its members; the customer's next message opens a
   * new session in it.
   */
  async finish(user, chatId, mode) {
    await this.act(user, chatId, mode === "another" ? "queue" : "member", async (tx, d, now) => {
      if (isClosed(d.session)) return;
      if (mode !== "another" && d.session.operator_id && d.session.operator_id !== user.id && !user.is_admin) throw accessDenied();
      await this.closeInTx(tx, d.session, mode === "spam" ? SESSION_STATUS.spam : SESSION_STATUS.close, now);
    });
  }
  /** imopenlines.session.start: the caller starts a new session of the chat (closing the current one). */
  async restart(user, chatId) {
    await this.act(user, chatId, "member", async (tx, d, now) => {
      if (!isClosed(d.session)) await this.closeInTx(tx, d.session, SESSION_STATUS.close, now);
      const session = await tx.openlines.createSession({
        chat_id: d.chat.id,
        line_id: d.session.line_id,
        connector_id: d.session.connector_id,
        user_code: d.session.user_code,
        customer_id: d.session.customer_id,
        operator_id: user.id,
        status: SESSION_STATUS.answer,
        date_create: now,
        date_operator: now,
        date_modify: now,
        date_close: null
      });
      await tx.chats.update(d.chat.id, { owner_id: user.id, entity_data_1: entityData1(session) });
    });
  }
  /** The line's welcome bot (WELCOME_BOT_ENABLE=Y, WELCOME_BOT_ID an active open-line bot), if it has one. */
  async welcomeBotInTx(tx, line) {
    const settings = JSON.parse(line.settings);
    if (settings.WELCOME_BOT_ENABLE !== "Y") return void 0;
    const bot = await tx.bots.get(Number(settings.WELCOME_BOT_ID));
    const user = bot && await tx.users.get(bot.id);
    return bot && user?.active && (bot.openline === 1 || bot.type === "O") ? bot.id : void 0;
  }
  /**
   * imopenlines.bot.session.*: what an open-line bot in the chat does with its session. Returns the users who
   * joined, for their welcome events.
   */
  async botActInTx(tx, botIds, chatId, action) {
    const now = this.clock();
    const chat = await (tx.dialect === "postgres" ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
    if (!chat) throw chatIdError();
    if (chat.type !== "L") throw chatTypeError();
    const session = await tx.openlines.lastSession(chat.id);
    if (!session) throw chatTypeError();
    const members = await tx.members.userIds(chat.id);
    const botId = botIds.find((id) => members.includes(id));
    if (!botId) throw accessDenied();
    const line = await tx.openlines.line(session.line_id);
    let joined = [];
    let posted;
    if (action.kind === "operator") {
      if (isClosed(session) || session.operator_id !== botId) throw Errors.method("WRONG_CHAT", "Operator is not a bot");
      await this.chats.leaveInTx(tx, chat, [botId]);
      const next = line ? await this.pick(tx, line, []) : { members: [], operatorId: 0 };
      joined = await this.chats.joinInTx(tx, chat, next.members, now);
      await tx.openlines.updateSession(session.id, { operator_id: next.operatorId, status: SESSION_STATUS.new, date_modify: now });
      await tx.chats.update(chat.id, { owner_id: next.operatorId });
    } else if (action.kind === "transfer") {
      if (isClosed(session)) throw operatorWrong();
      let next;
      let lineId = session.line_id;
      if (action.target.kind === "user") {
        const to = await tx.users.get(action.target.userId);
        if (!to || !to.active || to.bot || to.connector || to.extranet) throw operatorWrong();
        next = { members: [to.id], operatorId: to.id };
      } else {
        const target = await tx.openlines.line(action.target.lineId);
        if (!target || !target.active) throw operatorWrong();
        next = await this.pick(tx, target, []);
        lineId = target.id;
      }
      if (action.leave) await this.chats.leaveInTx(tx, chat, [botId]);
      joined = await this.chats.joinInTx(tx, chat, next.members, now);
      await tx.openlines.updateSession(session.id, { line_id: lineId, operator_id: next.operatorId, status: SESSION_STATUS.new, date_modify: now });
      await tx.chats.update(chat.id, { owner_id: next.operatorId });
    } else if (action.kind === "finish") {
      if (!isClosed(session)) await this.closeInTx(tx, session, SESSION_STATUS.close, now);
    } else {
      const text = action.name === "WELCOME" ? (line?.welcome_message_text ?? "").trim() : action.message.trim();
      if (text) posted = await postInTx(tx, chat, { authorId: 0, text, system: true, params: { IMOL_SID: session.id } }, now);
    }
    await this.touch(tx, chat.id, now);
    return { botId, joined, posted, chat: await tx.chats.get(chat.id) };
  }
  /** The open-line chat of a user code, if the caller may see it. */
  async chatByUserCode(user, userCode) {
    const chatId = await this.store.openlines.chatIdByUserCode(userCode);
    if (!chatId) throw accessDenied();
    const chat = await this.store.chats.get(chatId);
    const session = await this.store.openlines.lastSession(chatId);
    if (!await this.mayAct(this.store, user, chat, session, "queue")) throw accessDenied();
    return chatId;
  }
  /** Whether a user may see an open-line chat: members, the line's operators, administrators. */
  async canSee(user, chat) {
    return this.mayAct(this.store, user, chat, await this.store.openlines.lastSession(chat.id), "queue");
  }
  async act(user, chatId, who, fn) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await (tx.dialect === "postgres" ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
      if (!chat) throw chatIdError();
      if (chat.type !== "L") throw chatTypeError();
      const session = await tx.openlines.lastSession(chat.id);
      if (!session) throw chatTypeError();
      if (!await this.mayAct(tx, user, chat, session, who)) throw accessDenied();
      const line = await tx.openlines.line(session.line_id);
      await fn(tx, { chat, session, line }, now);
      await this.touch(tx, chat.id, now);
    });
  }
  /**
   * member: members of the chat; operator: members and the line's operators; queue: the same (taking a dialog
   * from someone else). Administrators always.
   */
  async mayAct(tx, user, chat, session, who) {
    if (user.is_admin) return true;
    if (await tx.members.get(chat.id, user.id)) return user.id !== session?.customer_id;
    if (who === "member" || !session) return false;
    return (await this.lines.operatorIds(tx, session.line_id)).includes(user.id);
  }
  /** The operator takes the session: joins, owns the chat, and the other queue operators leave it. */
  async takeInTx(tx, chat, session, operatorId, now) {
    const queue = await this.lines.operatorIds(tx, session.line_id);
    const others = (await tx.members.userIds(chat.id)).filter((id) => id !== operatorId && id !== session.customer_id && (queue.includes(id) || id === session.operator_id));
    await this.chats.leaveInTx(tx, chat, others);
    await this.chats.joinInTx(tx, chat, [operatorId], now);
    await tx.openlines.updateSession(session.id, { operator_id: operatorId, date_operator: session.date_operator ?? now });
    await tx.chats.update(chat.id, { owner_id: operatorId });
  }
  async closeInTx(tx, session, status, now) {
    await tx.openlines.updateSession(session.id, { status, date_close: now, date_modify: now });
  }
  /** Queue distribution: everyone ("all"), the first free one ("strictly"), the least busy one ("evenly"). */
  async pick(tx, line, exclude) {
    const operators = (await this.lines.operatorIds(tx, line.id)).filter((id) => !exclude.includes(id));
    if (operators.length === 0) return { members: [], operatorId: 0 };
    if (line.queue_type === "all") return { members: operators, operatorId: 0 };
    if (line.queue_type === "strictly") return { members: [operators[0]], operatorId: operators[0] };
    const load = await tx.openlines.openSessionCounts(line.id);
    let best = operators[0];
    for (const id of operators) if ((load.get(id) ?? 0) < (load.get(best) ?? 0)) best = id;
    return { members: [best], operatorId: best };
  }
  /** The session's state is part of every member's recent item: it changed for all of them. */
  async touch(tx, chatId, now) {
    await tx.chats.update(chatId, { date_update: now });
    const chat = await tx.chats.get(chatId);
    if (!chat.large) await tx.members.touchAll(chatId, now, false);
  }
};
function entityData1(session) {
  return ["N", "NONE", "0", "N", "N", String(session.id), String(session.date_create), "0", "0", "0"].join("|");
}

// src/app/connectors.ts
var ConnectorsService = class {
  constructor(store, clock, config, users, chats, sessions, reads, events) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.users = users;
    this.chats = chats;
    this.sessions = sessions;
    this.reads = reads;
    this.events = events;
  }
  store;
  clock;
  config;
  users;
  chats;
  sessions;
  reads;
  events;
  /** Registers (or, for the same application, updates) a connector; a soft error otherwise. */
  async register(app, input) {
    const existing = await this.store.openlines.connector(input.id);
    if (existing && existing.app_id !== app.id) {
      return { error: "GENERAL_CONNECTOR_REGISTRATION_ERROR", error_description: `Connector ${input.id} belongs to another application` };
    }
    await this.store.openlines.saveConnector({
      id: input.id,
      app_id: app.id,
      name: input.name,
      icon: JSON.stringify(input.icon),
      icon_disabled: JSON.stringify(input.iconDisabled),
      placement_handler: input.placementHandler,
      options: JSON.stringify(input.options),
      date_create: existing?.date_create ?? this.clock()
    });
    return void 0;
  }
  /** False when the application has no such connector. */
  async unregister(app, id) {
    const connector = await this.store.openlines.connector(id);
    if (!connector || connector.app_id !== app.id) return false;
    await this.store.openlines.deleteConnector(id);
    return true;
  }
  /** Every connector of the portal (b24im has no built-in ones). */
  async list() {
    return this.store.openlines.connectors();
  }
  async activate(app, connectorId, lineId, active) {
    await this.requireConnector(app, connectorId);
    if (!await this.store.openlines.line(lineId)) throw notActiveLine(lineId);
    await this.store.openlines.setConnectorLine({ connector_id: connectorId, line_id: lineId, active: active ? 1 : 0, date_update: this.clock() });
  }
  /** A custom connector is fully set up once activated on a line (no external registration step). */
  async status(app, connectorId, lineId) {
    const connector = await this.store.openlines.connector(connectorId);
    const link = connector && connector.app_id === app.id && lineId > 0 ? await this.store.openlines.connectorLine(connectorId, lineId) : void 0;
    const line = link ? await this.store.openlines.line(lineId) : void 0;
    const configured = link?.active === 1;
    return { LINE: lineId, CONNECTOR: connectorId, ERROR: false, CONFIGURED: configured, STATUS: configured && line?.active === 1 };
  }
  /** imconnector.connector.data.set: the external channel behind the connector on a line. */
  async setData(app, connectorId, lineId, data) {
    await this.requireConnector(app, connectorId);
    if (!await this.store.openlines.line(lineId)) throw notActiveLine(lineId);
    await this.store.openlines.setConnectorData(connectorId, lineId, JSON.stringify(data), this.clock());
  }
  /** imconnector.chat.name.set: renames the open-line chat of a customer in an external chat. */
  async renameChat(connectorId, lineId, externalChatId, externalUserId, name) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const customerId = await tx.openlines.customer(connectorId, externalUserId);
      const chatId = customerId ? await tx.openlines.chatIdByUserCode(`${connectorId}|${lineId}|${externalChatId}|${customerId}`) : void 0;
      if (!chatId) throw Errors.method("CHAT_RENAMING_FAILED", "There is no such chat to rename");
      await tx.chats.update(chatId, { title: name, date_update: now });
      const chat = await tx.chats.get(chatId);
      if (!chat.large) await tx.members.touchAll(chatId, now, false);
    });
  }
  /**
   * imconnector.send.status.reading: the customer read operators' messages up to im.message_id. False for a chat
   * that is not this connector's on this line.
   */
  async customerRead(connectorId, lineId, chatId, messageId) {
    return this.store.transaction(async (tx) => {
      const chat = await tx.chats.get(chatId);
      const session = chat?.type === "L" ? await tx.openlines.lastSession(chatId) : void 0;
      if (!chat || !session || session.connector_id !== connectorId || !session.user_code.startsWith(`${connectorId}|${lineId}|`)) return false;
      const member = await tx.members.get(chatId, session.customer_id);
      if (!member) return false;
      await this.reads.readInTx(tx, { chat, member }, session.customer_id, messageId);
      return true;
    });
  }
  /** Checks that messages may enter the line through the connector (before any of them is handled). */
  async checkInbound(app, connectorId, lineId) {
    await this.requireConnector(app, connectorId);
    const line = await this.store.openlines.line(lineId);
    const link = await this.store.openlines.connectorLine(connectorId, lineId);
    if (!line || !line.active || link?.active !== 1) throw notActiveLine(lineId);
  }
  /**
   * One customer message: the customer's user, the chat of (connector, line, external chat, customer), a new
   * session when none is open, then the message itself. One transaction per message.
   */
  async receive(connectorId, lineId, input) {
    const text = input.message.text.trim();
    if (!text && input.message.files.length === 0) throw Errors.method("MESSAGE_EMPTY", "Message text or files are required");
    if (text.length > MAX_MESSAGE_LENGTH) throw Errors.method("MESSAGE_TOO_LONG", `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    const now = this.clock();
    const delivered = await this.store.transaction(async (tx) => {
      const line = await tx.openlines.lineForUpdate(lineId);
      if (!line || !line.active) throw notActiveLine(lineId);
      const customer = await this.customerInTx(tx, connectorId, input.user);
      const userCode = `${connectorId}|${lineId}|${input.chat.id}|${customer.id}`;
      const knownChatId = await tx.openlines.chatIdByUserCode(userCode);
      const firstContact = knownChatId === void 0;
      let chat = knownChatId ? await tx.chats.get(knownChatId) : await this.createChatInTx(tx, customer, line.name, userCode, now);
      let session = await tx.openlines.lastSession(chat.id);
      const fresh = !session || isClosed(session);
      if (fresh) session = await this.sessions.startInTx(tx, chat, line, { connectorId, userCode, customerId: customer.id }, now);
      else await this.sessions.customerWroteInTx(tx, session, now);
      const welcomeBot = fresh ? await this.sessions.welcomeBotInTx(tx, line) : void 0;
      chat = await tx.chats.get(chat.id);
      let authorId = customer.id;
      if (input.message.userId !== void 0) {
        if (!await tx.members.get(chat.id, input.message.userId)) throw Errors.method("USER_ID", "The operator is not a member of this dialog");
        authorId = input.message.userId;
      }
      const params = { IMOL_SID: session.id };
      if (input.message.id) params.CONNECTOR_MID = [input.message.id];
      if (input.message.files.length) params.FILES = input.message.files;
      const message = await postInTx(tx, chat, { authorId, text, params, hasFile: input.message.files.length > 0 }, now);
      if (authorId !== customer.id) await this.sessions.onMessageInTx(tx, chat, message, now);
      const settings = JSON.parse(line.settings);
      if (fresh && line.welcome_message && line.welcome_message_text.trim() && (firstContact || settings.SEND_WELCOME_EACH_SESSION === "Y")) {
        await postInTx(tx, await tx.chats.get(chat.id), { authorId: 0, text: line.welcome_message_text.trim(), system: true, params: { IMOL_SID: session.id } }, now);
      }
      const done = { customer, chat: await tx.chats.get(chat.id), sessionId: session.id, message };
      if (welcomeBot) await this.events.record(tx, "membersAdded", { chat: done.chat, userIds: [welcomeBot], byUserId: customer.id });
      const author = authorId === customer.id ? customer : await tx.users.get(authorId);
      await this.events.record(tx, "messageAdded", { message, chat: done.chat, author, memberIds: await tx.members.userIds(chat.id) });
      return done;
    });
    this.events.committed();
    return delivered;
  }
  async requireConnector(app, connectorId) {
    const connector = await this.store.openlines.connector(connectorId);
    if (!connector || connector.app_id !== app.id) {
      throw Errors.method("IMCONNECTOR_NO_CORRECT_PROVIDER", `Connector ${connectorId} is not registered by this application`);
    }
    return connector;
  }
  /** The portal user standing for an external customer, created on first contact and kept up to date. */
  async customerInTx(tx, connectorId, u) {
    const known = await tx.openlines.customer(connectorId, u.id);
    const name = u.name?.trim() || (known ? void 0 : this.config.language === "ru" ? "\u0413\u043E\u0441\u0442\u044C" : "Guest");
    if (known) {
      const user2 = await tx.users.get(known);
      const patch = {};
      if (name && name !== user2.name) patch.name = name;
      if (u.lastName !== void 0 && u.lastName.trim() !== user2.last_name) patch.last_name = u.lastName.trim();
      if (u.picture !== void 0 && u.picture !== user2.avatar) patch.avatar = u.picture;
      if (u.email !== void 0 && u.email !== user2.email) patch.email = u.email;
      if (u.phone !== void 0 && u.phone !== user2.phone) patch.phone = u.phone;
      if (Object.keys(patch).length) await tx.users.update(user2.id, patch);
      return { ...user2, ...patch };
    }
    const user = await this.users.createInTx(tx, {
      name,
      lastName: u.lastName,
      email: u.email,
      gender: u.gender,
      avatar: u.picture,
      connector: true,
      externalAuthId: "imconnector"
    });
    if (u.phone) await tx.users.update(user.id, { phone: u.phone });
    await tx.openlines.addCustomer(connectorId, u.id, user.id);
    return { ...user, phone: u.phone ?? user.phone };
  }
  async createChatInTx(tx, customer, lineName, userCode, now) {
    const title = `${[customer.name, customer.last_name].filter(Boolean).join(" ")} - ${lineName}`;
    const chat = await tx.chats.create(
      newChatRow({ type: "L", title, avatar: customer.avatar, author_id: customer.id, entity_type: "LINES", entity_id: userCode }, now)
    );
    chat.color = customer.color;
    await tx.chats.update(chat.id, { color: chat.color });
    await this.chats.joinInTx(tx, chat, [customer.id], now);
    return chat;
  }
};
function notActiveLine(lineId) {
  return Errors.method("NOT_ACTIVE_LINE", `The line ${lineId} is not active or does not exist`);
}

// src/app/lines.ts
var QUEUE_TYPES = ["evenly", "strictly", "all"];
function canOperate(u) {
  return u.active === 1 && !u.bot && !u.connector;
}
var LinesService = class {
  constructor(store, clock) {
    this.store = store;
    this.clock = clock;
  }
  store;
  clock;
  async add(actor, input) {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.createLine({
        name: input.name?.trim() ?? "",
        active: input.active === false ? 0 : 1,
        queue_type: input.queueType ?? "evenly",
        welcome_message: input.welcomeMessage ? 1 : 0,
        welcome_message_text: input.welcomeMessageText ?? "",
        settings: JSON.stringify(input.settings),
        config_queue: JSON.stringify(toConfigQueue(input.queue ?? [])),
        author_id: actor.id,
        modify_user_id: actor.id,
        date_create: now,
        date_modify: now
      });
      if (!line.name) await tx.openlines.updateLine(line.id, { name: `Open line ${line.id}` });
      await tx.openlines.setQueue(line.id, await this.expandQueue(tx, input.queue ?? []));
      return line.id;
    });
  }
  /** False when there is no such line. */
  async update(actor, id, input) {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.line(id);
      if (!line) return false;
      if (!this.canManage(actor, line)) throw Errors.method("CONFIG_WRONG_USER_PERMISSION", "Permission denied", 403);
      const settings = { ...JSON.parse(line.settings), ...input.settings };
      await tx.openlines.updateLine(id, {
        ...input.name !== void 0 && input.name.trim() ? { name: input.name.trim() } : {},
        ...input.active !== void 0 ? { active: input.active ? 1 : 0 } : {},
        ...input.queueType !== void 0 ? { queue_type: input.queueType } : {},
        ...input.welcomeMessage !== void 0 ? { welcome_message: input.welcomeMessage ? 1 : 0 } : {},
        ...input.welcomeMessageText !== void 0 ? { welcome_message_text: input.welcomeMessageText } : {},
        ...input.queue !== void 0 ? { config_queue: JSON.stringify(toConfigQueue(input.queue)) } : {},
        settings: JSON.stringify(settings),
        modify_user_id: actor.id,
        date_modify: now
      });
      if (input.queue !== void 0) await tx.openlines.setQueue(id, await this.expandQueue(tx, input.queue));
      return true;
    });
  }
  /** False when there is no such line. */
  async delete(actor, id) {
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.line(id);
      if (!line) return false;
      if (!this.canManage(actor, line)) throw Errors.method("CONFIG_WRONG_USER_PERMISSION", "Permission denied", 403);
      await tx.openlines.deleteLine(id);
      return true;
    });
  }
  async view(id) {
    const line = await this.store.openlines.line(id);
    if (!line) return void 0;
    return (await this.views([line]))[0];
  }
  async list() {
    return this.views(await this.store.openlines.lines());
  }
  /** Operators of a line who can take a session now, in queue order. */
  async operatorIds(tx, lineId) {
    const queue = await tx.openlines.queue(lineId);
    const users = new Map((await tx.users.getMany(queue.map((q) => q.user_id))).map((u) => [u.id, u]));
    const ids = [];
    for (const q of queue) {
      const u = users.get(q.user_id);
      if (u && canOperate(u) && !ids.includes(u.id)) ids.push(u.id);
    }
    return ids;
  }
  /** Administrators and the line's creator change a line ("right to modify open lines"). */
  canManage(actor, line) {
    return actor.is_admin === 1 || line.author_id === actor.id;
  }
  async views(lines) {
    const out = [];
    for (const line of lines) {
      const queue = await this.store.openlines.queue(line.id);
      const users = new Map((await this.store.users.getMany(queue.map((q) => q.user_id))).map((u) => [u.id, u]));
      out.push({ line, queue, users });
    }
    return out;
  }
  /** Users listed directly and the members of listed departments, each once, in the order given. */
  async expandQueue(tx, queue) {
    const out = [];
    const seen = /* @__PURE__ */ new Set();
    const direct = new Map((await tx.users.getMany(queue.filter((q) => q.entityType === "user").map((q) => q.entityId))).map((u) => [u.id, u]));
    const everyone = queue.some((q) => q.entityType === "department") ? await tx.users.list({ activeOnly: true }) : [];
    for (const q of queue) {
      if (q.entityType === "user") {
        const u = direct.get(q.entityId);
        if (u && canOperate(u) && !seen.has(u.id)) {
          seen.add(u.id);
          out.push({ userId: u.id, departmentId: 0 });
        }
        continue;
      }
      for (const u of everyone) {
        if (seen.has(u.id) || !canOperate(u) || !JSON.parse(u.departments).includes(q.entityId)) continue;
        seen.add(u.id);
        out.push({ userId: u.id, departmentId: q.entityId });
      }
    }
    return out;
  }
};
function toConfigQueue(queue) {
  return queue.map((q) => ({ ENTITY_TYPE: q.entityType, ENTITY_ID: String(q.entityId) }));
}

// src/app/lines-bots.ts
var LineBotsService = class {
  constructor(store, sessions, events) {
    this.store = store;
    this.sessions = sessions;
    this.events = events;
  }
  store;
  sessions;
  events;
  async act(botIds, chatId, action) {
    await this.store.transaction(async (tx) => {
      const r = await this.sessions.botActInTx(tx, botIds, chatId, action);
      if (r.joined.length) await this.events.record(tx, "membersAdded", { chat: r.chat, userIds: r.joined, byUserId: r.botId });
      if (r.posted) await this.events.record(tx, "messageAdded", { message: r.posted, chat: r.chat, author: void 0, memberIds: await tx.members.userIds(chatId) });
    });
    this.events.committed();
  }
};

// src/app/events.ts
var MessengerEvents = class {
  constructor(clock) {
    this.clock = clock;
  }
  clock;
  listeners = /* @__PURE__ */ new Map();
  waker = () => {
  };
  on(name, listener) {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }
  /** The local dispatcher's wake-up call. */
  setWaker(fn) {
    this.waker = fn;
  }
  /**
   * Inside the change's own transaction: writes the change log row. The payload is the change as it is at this
   * moment (rows, not ids), so listeners see what was committed even if it is edited again before they run.
   */
  async record(tx, name, event) {
    const chatId = event.chat?.id ?? 0;
    await tx.changes.record({ kind: name, chat_id: chatId, payload: JSON.stringify(event), date_create: this.clock() });
  }
  /** After the commit of a transaction that recorded changes: the dispatcher looks at once. */
  committed() {
    this.waker();
  }
  /** Runs every listener of a recorded change inside `tx` (the dispatcher's transaction). */
  async handle(tx, change) {
    const event = JSON.parse(change.payload);
    for (const listener of this.listeners.get(change.kind) ?? []) await listener(tx, event, { id: change.id });
  }
};

// src/app/messages.ts
var accessError2 = () => Errors.method("ACCESS_ERROR", "Action unavailable");
var cantEdit = () => Errors.method("CANT_EDIT_MESSAGE", "Time has expired for modification or you don't have access");
var MessagesService = class {
  constructor(store, clock, chats, events) {
    this.store = store;
    this.clock = clock;
    this.chats = chats;
    this.events = events;
  }
  store;
  clock;
  chats;
  events;
  postHooks = [];
  /** Sends a message to a dialog or chat the author may write to; returns the new message id. */
  async add(author, ref, input) {
    const text = input.text.trim();
    const hasAttach = input.attach !== void 0 && input.attach !== null;
    if (!text && !hasAttach) throw Errors.method("MESSAGE_EMPTY", "Message can't be empty");
    if (text.length > MAX_MESSAGE_LENGTH) throw Errors.method("MESSAGE_TOO_LONG", `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    const now = this.clock();
    const message = await this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, author, ref, true);
      if (!access) throw Errors.method("CHAT_ID", "Chat not found");
      if (!access.member && !input.skipUserCheck) throw accessError2();
      const chat = await (tx.dialect === "postgres" ? tx.chats.getForUpdate(access.chat.id) : tx.chats.get(access.chat.id));
      if (input.replyId !== void 0) {
        const reply = await tx.messages.get(input.replyId);
        if (!reply || reply.deleted) throw Errors.method("REPLY_ACCESS_ERROR", "Action unavailable");
        if (reply.chat_id !== chat.id) throw Errors.method("REPLY_FROM_OTHER_CHAT_ERROR", "You can only reply to a message within the same chat");
        if (reply.seq < (access.member?.start_seq ?? 0)) throw Errors.method("REPLY_ACCESS_ERROR", "Action unavailable");
      }
      const params = {};
      if (hasAttach) params.ATTACH = input.attach;
      if (input.keyboard !== void 0) params.KEYBOARD = input.keyboard;
      if (input.menu !== void 0) params.MENU = input.menu;
      if (input.urlPreview === false) params.URL_PREVIEW = "N";
      if (input.replyId !== void 0) params.REPLY_ID = input.replyId;
      const message2 = await postInTx(
        tx,
        chat,
        { authorId: input.authorless ? 0 : author.id, text, system: input.system || input.authorless, params, hasAttach, uuid: input.uuid },
        now
      );
      for (const hook of this.postHooks) await hook(tx, chat, message2, now);
      const memberIds = chat.large ? void 0 : await tx.members.userIds(chat.id);
      await this.events.record(tx, "messageAdded", { message: message2, chat, author, memberIds });
      return message2;
    });
    this.events.committed();
    return message.id;
  }
  /** Edits a message; an empty text with nothing else left deletes it, as on a portal. */
  async update(user, messageId, edit) {
    if (edit.text !== void 0 && edit.text.length > MAX_MESSAGE_LENGTH) {
      throw Errors.method("MESSAGE_TOO_LONG", `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    }
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const message = await tx.messages.get(messageId);
      if (!message || message.deleted || message.author_id !== user.id || message.system) throw cantEdit();
      const chat = await tx.chats.getForUpdate(message.chat_id);
      if (!await tx.members.get(chat.id, user.id)) throw cantEdit();
      const params = JSON.parse(message.params);
      for (const [key, value] of [["ATTACH", edit.attach], ["KEYBOARD", edit.keyboard], ["MENU", edit.menu]]) {
        if (value === null) delete params[key];
        else if (value !== void 0) params[key] = value;
      }
      if (edit.urlPreview !== void 0) {
        if (edit.urlPreview) delete params.URL_PREVIEW;
        else params.URL_PREVIEW = "N";
      }
      const text = edit.text !== void 0 ? edit.text.trim() : message.text;
      if (!text && params.ATTACH === void 0) {
        const deleted = await this.deleteInTx(tx, chat, message, now);
        await this.events.record(tx, "messageDeleted", { message: deleted, chat, byUserId: user.id });
        return;
      }
      if (edit.isEdited !== false) params.IS_EDITED = "Y";
      await tx.messages.update(message.id, {
        text,
        params: JSON.stringify(params),
        has_attach: params.ATTACH !== void 0 ? 1 : 0,
        date_edit: now
      });
      if (chat.last_message_id === message.id) await this.touchChat(tx, chat, now);
      await this.events.record(tx, "messageUpdated", { message: await tx.messages.get(message.id), chat, byUserId: user.id });
    });
    this.events.committed();
  }
  /** Deletes a message: its author, or an owner or manager of a group chat. */
  async delete(user, messageId) {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const message = await tx.messages.get(messageId);
      if (!message || message.deleted) throw cantEdit();
      const chat = await (tx.dialect === "postgres" ? tx.chats.getForUpdate(message.chat_id) : tx.chats.get(message.chat_id));
      const me = await tx.members.get(chat.id, user.id);
      if (!me) throw cantEdit();
      const moderator = chat.type !== "P" && (me.role === ROLE.owner || me.role === ROLE.manager);
      if (message.author_id !== user.id && !moderator) throw cantEdit();
      const deleted = await this.deleteInTx(tx, chat, message, now);
      await this.events.record(tx, "messageDeleted", { message: deleted, chat, byUserId: user.id });
    });
    this.events.committed();
  }
  /** A page of a chat's history as the user may see it (members see from their join on; HIDE_HISTORY). */
  async history(user, ref, opts) {
    const access = await this.chats.resolve(this.store, user, ref, false);
    if (!access) return void 0;
    if (!this.chats.canRead(user, access)) throw Errors.method("ACCESS_ERROR", "You do not have access to the specified dialog", 403);
    const messages = await this.store.messages.list({
      chatId: access.chat.id,
      fromSeq: access.member?.start_seq ?? 0,
      beforeId: opts.beforeId,
      afterId: opts.afterId,
      limit: opts.limit
    });
    return { chat: access.chat, messages };
  }
  async deleteInTx(tx, chat, message, now) {
    await tx.messages.update(message.id, { deleted: 1, date_edit: now });
    const patch = { deleted_seq_max: Math.max(chat.deleted_seq_max, message.seq) };
    if (chat.last_message_id === message.id) {
      const previous = await tx.messages.latest(chat.id);
      patch.last_message_id = previous?.id ?? 0;
    }
    await tx.chats.update(chat.id, patch);
    await this.touchChat(tx, chat, now);
    return { ...message, deleted: 1 };
  }
  async touchChat(tx, chat, now) {
    await tx.chats.update(chat.id, { date_update: now });
    if (!chat.large) await tx.members.touchAll(chat.id, now, false);
  }
};

// src/app/reads.ts
async function unreadCounter(store, member, chat) {
  let n = chat.last_seq - member.read_seq;
  if (n <= 0) return 0;
  if (chat.deleted_seq_max > member.read_seq) n -= await store.messages.countDeletedAfter(chat.id, member.read_seq);
  if (member.last_own_seq > member.read_seq) n -= await store.messages.countOwnAfter(chat.id, member.user_id, member.read_seq);
  return Math.max(0, n);
}
var ReadsService = class {
  constructor(store, clock, chats) {
    this.store = store;
    this.clock = clock;
    this.chats = chats;
  }
  store;
  clock;
  chats;
  /** Marks a dialog read up to a message (or all of it); never moves the read position back. */
  async read(user, ref, messageId) {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false);
      if (!access?.member) return void 0;
      return this.readInTx(tx, access, user.id, messageId);
    });
  }
  async readInTx(tx, access, userId, messageId) {
    const chat = await tx.chats.getForUpdate(access.chat.id);
    const me = await tx.members.get(chat.id, userId);
    const target = messageId !== void 0 && messageId > 0 ? await tx.messages.seqAtOrBefore(chat.id, messageId) : chat.last_seq;
    const readSeq = Math.max(me.read_seq, target);
    const now = this.clock();
    if (readSeq !== me.read_seq || me.unread) {
      const lastRead = readSeq === me.read_seq ? void 0 : await tx.messages.latestUpTo(chat.id, readSeq);
      await tx.members.update(chat.id, userId, {
        read_seq: readSeq,
        ...lastRead ? { read_message_id: lastRead.id } : {},
        unread: 0,
        date_update: now
      });
      if (readSeq > me.read_seq) await this.noteDelivered(tx, chat, me.read_seq, readSeq, userId, now);
    }
    const member = await tx.members.get(chat.id, userId);
    return { chat, lastId: member.read_message_id, counter: await unreadCounter(tx, member, chat) };
  }
  /** im.dialog.unread: everything from this message on is unread again. */
  async markUnreadFrom(user, ref, messageId) {
    return this.store.transaction(async (tx) => {
      const resolved = await this.chats.resolve(tx, user, ref, false);
      if (!resolved?.member) return false;
      await tx.chats.getForUpdate(resolved.chat.id);
      const member = await tx.members.get(resolved.chat.id, user.id);
      if (!member) return false;
      const access = { ...resolved, member };
      const message = await tx.messages.get(messageId);
      if (!message || message.chat_id !== access.chat.id) return false;
      const readSeq = Math.max(access.member.start_seq - 1, message.seq - 1, 0);
      if (readSeq >= access.member.read_seq) return true;
      const lastRead = await tx.messages.latestUpTo(access.chat.id, readSeq);
      await tx.members.update(access.chat.id, user.id, { read_seq: readSeq, read_message_id: lastRead?.id ?? 0, date_update: this.clock() });
      return true;
    });
  }
  /** im.dialog.read.all: every chat of the user read. */
  async readAll(user) {
    const rows = await this.store.members.allOfUser(user.id);
    for (const { chat, member } of rows) {
      if (member.read_seq >= chat.last_seq && !member.unread) continue;
      await this.store.transaction((tx) => this.readInTx(tx, { chat, member }, user.id));
    }
  }
  /**
   * Marks messages read by someone. When that turns the chat's last message "delivered", every member's recent
   * item shows the new status, so the item changed for all of them (chat-wide, like a new message).
   */
  async noteDelivered(tx, chat, fromSeq, toSeq, readerId, now) {
    const last = chat.last_message_id ? await tx.messages.get(chat.last_message_id) : void 0;
    const flips = last && !last.notify_read && last.author_id !== readerId && last.seq > fromSeq && last.seq <= toSeq;
    await tx.messages.markNotifyRead(chat.id, fromSeq, toSeq, readerId);
    if (flips) {
      await tx.chats.update(chat.id, { date_update: now });
      if (!chat.large) await tx.members.touchAll(chat.id, now, false);
    }
  }
};

// src/present/text.ts
var MARKERS = {
  en: { file: "[File]", attach: "[Attachment]", quote: "[Quote]", rating: "[Rating]", icon: "Icon" },
  ru: { file: "[\u0424\u0430\u0439\u043B]", attach: "[\u0412\u043B\u043E\u0436\u0435\u043D\u0438\u0435]", quote: "[\u0426\u0438\u0442\u0430\u0442\u0430]", rating: "[\u041E\u0446\u0435\u043D\u043A\u0430]", icon: "\u0418\u043A\u043E\u043D\u043A\u0430" }
};
var CONTENT_TAGS = [
  /\[([bui])\]([\s\S]*?)\[\/\1\]/gi,
  /\[url\]([\s\S]*?)\[\/url\]/gi,
  /\[url\s*=\s*[^\]]*\]([\s\S]*?)\[\/url\]/gi,
  /\[user=\d+(?: replace)?\]([\s\S]*?)\[\/user\]/gi,
  /\[dialog=(?:chat\d+|\d+)(?: message=\d+)?\]([\s\S]*?)\[\/dialog\]/gi,
  /\[context=(?:chat\d+|\d+:\d+)\/\d+\]([\s\S]*?)\[\/context\]/gi,
  /\[chat=\d+\]([\s\S]*?)\[\/chat\]/gi,
  /\[send(?:=[^\]]+?)?\]([\s\S]*?)\[\/send\]/gi,
  /\[put(?:=[^\]]+?)?\]([\s\S]*?)\[\/put\]/gi,
  /\[call(?:=[^\]]+?)?\]([\s\S]*?)\[\/call\]/gi,
  /\[pch=\d+\]([\s\S]*?)\[\/pch\]/gi,
  /\[size=\d+\]([\s\S]*?)\[\/size\]/gi,
  /\[color=#(?:[0-9a-f]{3}|[0-9a-f]{6})\]([\s\S]*?)\[\/color\]/gi
];
function mentionedUserIds(text) {
  return [...text.matchAll(/\[user=(\d+)\]\[\/user\]/gi)].map((m) => Number(m[1]));
}
var NEEDS_WORK = /[[\r\n#]|-{54}/;
function previewText(text, opts) {
  const m = MARKERS[opts.lang];
  if (!NEEDS_WORK.test(text)) {
    const t2 = (opts.hasAttach ? `${text} ${m.attach}` : text).trim();
    return (opts.hasFile ? `${t2} ${m.file}` : t2).trim();
  }
  let t = text.replace(/\r\n|\r|\n/g, " ").replace(/#BR#|\[br\]/gi, " ");
  if (opts.hasAttach) t += ` ${m.attach}`;
  t = t.replace(/\[s\][\s\S]*?\[\/s\]/gi, "");
  t = t.replace(/\[rating=[1-5]\]/gi, ` ${m.rating} `);
  t = t.replace(/\[attach=\d+\]/gi, ` ${m.attach} `);
  t = t.replace(/\[user=(\d+)\]\[\/user\]/gi, (all, id) => opts.userName?.(Number(id)) ?? "");
  for (const re of CONTENT_TAGS) {
    for (let i = 0; i < 5; i++) {
      const next = t.replace(re, (...g) => g[g.length === 5 ? 2 : 1] ?? "");
      if (next === t) break;
      t = next;
    }
  }
  t = t.replace(/\[icon=([^\]]*)\]/gi, (_all, inner) => `(${iconTitle(inner) ?? m.icon})`);
  t = t.replace(/-{54}[\s\S]+?-{54}/g, ` ${m.quote} `);
  t = t.replace(/\[quote\][\s\S]*?\[\/quote\]/gi, ` ${m.quote} `);
  t = t.trim();
  if (opts.hasFile) t = `${t} ${m.file}`;
  return t.trim();
}
function iconTitle(inner) {
  const match = /title=(.*[^\s\]])/i.exec(inner);
  if (!match) return void 0;
  let title = match[1];
  for (const cut of ["width=", "height=", "size="]) {
    const at = title.indexOf(cut);
    if (at >= 0) title = title.slice(0, at);
  }
  return title.trim();
}

// src/app/recent.ts
var PINNED_LIMIT = 45;
var SYNC_CLAMP_SECONDS = 7 * 24 * 3600;
var GROUP_TYPES = ["C", "O"];
function itemTypes(f) {
  if (f.onlyOpenlines) return ["L"];
  if (!f.skipOpenlines && !f.skipChat && !f.skipDialog) return void 0;
  const types = ["P", ...GROUP_TYPES, "L"];
  return types.filter(
    (t) => !(f.skipOpenlines && t === "L") && !(f.skipChat && GROUP_TYPES.includes(t)) && !(f.skipDialog && t === "P")
  );
}
function itemDate(i) {
  return i.message?.date ?? i.dateUpdate;
}
function compareItems(a, b) {
  return b.member.pinned - a.member.pinned || itemDate(b) - itemDate(a) || b.member.item_id - a.member.item_id || b.chat.id - a.chat.id;
}
var RecentService = class {
  constructor(store, clock, config, chats, reads) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.chats = chats;
    this.reads = reads;
  }
  store;
  clock;
  config;
  chats;
  reads;
  /** The date a call without an explicit date starts from (decision 6). */
  since(f) {
    const now = this.clock();
    if (f.lastUpdate !== void 0) return f.lastUpdate;
    if (f.lastSyncDate !== void 0) return Math.max(f.lastSyncDate, now - SYNC_CLAMP_SECONDS);
    if (f.onlyOpenlines) return 0;
    return now - this.config.recentWindowDays * 24 * 3600;
  }
  async get(user, f) {
    const rows = await this.store.members.recent({ userId: user.id, since: this.since(f), types: itemTypes(f) });
    const items = await this.build(rows, f.withCounters !== false);
    return items.sort(compareItems);
  }
  /**
   * im.recent.list: the paged form, ordered by pin and last activity, without the date window. Pages are cut from
   * the listed rows in the store (index-served); rows dropped afterwards (an inactive user with nothing unread, an
   * unread-only row whose exact counter is 0) make a page shorter than LIMIT, as on a portal.
   */
  async list(user, o) {
    const rows = await this.store.members.recentPage({
      userId: user.id,
      types: itemTypes(o),
      activityAtOrBefore: o.lastMessageDate,
      unreadOnly: o.unreadOnly,
      offset: o.lastMessageDate !== void 0 ? 0 : o.offset,
      limit: o.limit + 1
    });
    const hasMore = rows.length > o.limit;
    let items = await this.build(rows.slice(0, o.limit), true);
    if (o.unreadOnly) items = items.filter((i) => (i.counter ?? 0) > 0 || i.member.unread === 1);
    return { items, hasMore };
  }
  /** Pins or unpins; false when the limit of pinned items is reached. */
  async pin(user, ref, pin) {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, ref.kind === "user").catch(noSuchUser);
      if (!access?.member) throw Errors.method("ACCESS_ERROR", "You don't have access to this chat");
      const m = access.member;
      if (m.pinned === 1 === pin && (!pin || !this.isHidden(m, access.chat))) return true;
      const now = this.clock();
      if (pin) {
        if (!m.pinned && await tx.members.pinnedCount(user.id) >= PINNED_LIMIT) return false;
        const sort = m.pinned ? m.pin_sort : await tx.members.maxPinSort(user.id) + 1;
        await tx.members.update(m.chat_id, user.id, { pinned: 1, pin_sort: sort, hidden: 0, hidden_seq: 0, date_update: now });
      } else {
        await tx.members.update(m.chat_id, user.id, { pinned: 0, pin_sort: 0, date_update: now });
      }
      return true;
    });
  }
  /**
   * Removes the item until the chat's next message (or a pin or unread mark) brings it back. Like a portal, which
   * deletes its recent row, a LAST_SYNC_DATE answer does not mention the removal (decision 9).
   */
  async hide(user, ref) {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false).catch(noSuchUser);
      if (!access?.member) return true;
      await tx.members.update(access.chat.id, user.id, {
        hidden: 1,
        hidden_seq: access.chat.last_seq,
        pinned: 0,
        pin_sort: 0,
        unread: 0,
        date_update: this.clock()
      });
      return true;
    });
  }
  /** The manual unread mark; removing it also reads the dialog. False when there is no such dialog. */
  async markUnread(user, ref, unread) {
    return this.store.transaction(async (tx) => {
      const access = await this.chats.resolve(tx, user, ref, false).catch(noSuchUser);
      if (!access?.member) return false;
      if (unread) {
        await tx.members.update(access.chat.id, user.id, { unread: 1, hidden: 0, hidden_seq: 0, date_update: this.clock() });
      } else {
        await this.reads.readInTx(tx, access, user.id);
      }
      return true;
    });
  }
  isHidden(member, chat) {
    return member.hidden === 1 && chat.last_seq <= member.hidden_seq;
  }
  /** Rows (already narrowed to listed ones by the store) to items with their message, users and counter. */
  async build(rows, withCounters) {
    const messages = new Map(
      (await this.store.messages.getMany(rows.map((r) => r.chat.last_message_id).filter((id) => id > 0))).map((m) => [m.id, m])
    );
    const userIds = /* @__PURE__ */ new Set();
    for (const { member, chat } of rows) {
      if (chat.type === "P") userIds.add(member.item_id);
      const message = messages.get(chat.last_message_id);
      if (message?.author_id) userIds.add(message.author_id);
      if (message) for (const id of mentionedUserIds(message.text)) userIds.add(id);
    }
    const users = new Map((await this.store.users.getMany([...userIds])).map((u) => [u.id, u]));
    const sessions = await this.store.openlines.lastSessions(rows.filter((r) => r.chat.type === "L").map((r) => r.chat.id));
    const items = [];
    for (const { member, chat } of rows) {
      const message = messages.get(chat.last_message_id);
      const peer = chat.type === "P" ? users.get(member.item_id) : void 0;
      const counter = await unreadCounter(this.store, member, chat);
      if (peer && !peer.active && counter <= 0 && !peer.bot && !peer.connector && !peer.network) continue;
      items.push({
        member,
        chat,
        message,
        counter: withCounters ? counter : void 0,
        peer,
        author: message?.author_id ? users.get(message.author_id) : void 0,
        users,
        dateUpdate: Math.max(member.date_update, member.large ? chat.date_update : 0),
        dateLastActivity: rowActivity({ member, chat }),
        session: sessions.get(chat.id)
      });
    }
    return items;
  }
};
function noSuchUser(err3) {
  if (err3 instanceof BitrixError && err3.code === "USER_NOT_FOUND") return void 0;
  throw err3;
}

// src/app/users.ts
var UsersService = class {
  constructor(store, clock) {
    this.store = store;
    this.clock = clock;
  }
  store;
  clock;
  async create(input) {
    return this.store.transaction((tx) => this.createInTx(tx, input));
  }
  /** Creates a user inside the caller's transaction (open lines create customers while posting). */
  async createInTx(tx, input) {
    const name = input.name.trim();
    if (!name) throw Errors.method("NAME_EMPTY", "User name can't be empty");
    const now = this.clock();
    const user = await tx.users.create({
      active: 1,
      is_admin: input.isAdmin ? 1 : 0,
      name,
      last_name: (input.lastName ?? "").trim(),
      second_name: "",
      email: (input.email ?? "").trim(),
      work_position: (input.workPosition ?? "").trim(),
      color: "",
      avatar: input.avatar ?? "",
      gender: input.gender ?? "",
      birthday: input.birthday ?? "",
      extranet: input.extranet ? 1 : 0,
      network: 0,
      bot: input.bot ? 1 : 0,
      connector: input.connector ? 1 : 0,
      external_auth_id: input.externalAuthId ?? (input.bot ? "bot" : input.connector ? "imconnector" : "default"),
      status: "online",
      idle: null,
      last_activity_date: null,
      mobile_last_date: null,
      desktop_last_date: null,
      absent: null,
      departments: input.extranet || input.bot || input.connector ? "[]" : "[1]",
      website: "",
      phone: "",
      time_zone: "",
      date_register: now
    });
    const color = colorFor(user.id);
    await tx.users.update(user.id, { color });
    return { ...user, color };
  }
  async get(id) {
    return this.store.users.get(id);
  }
  async require(id) {
    const user = await this.store.users.get(id);
    if (!user) throw Errors.method("USER_NOT_EXISTS", "User not found");
    return user;
  }
  async update(id, patch) {
    await this.store.users.update(id, patch);
  }
  /** A new portal starts with user 1, the administrator. */
  async ensureAdmin() {
    if (await this.store.users.count({}) > 0) return;
    await this.create({ name: "Admin", lastName: "", isAdmin: true, workPosition: "Administrator" });
  }
};

// src/app/bots.ts
var MAX_BOTS_PER_APP = 5;
var BOT_TYPES = ["B", "O", "H", "S"];
var BOT_HANDLERS = {
  EVENT_MESSAGE_ADD: "ONIMBOTMESSAGEADD",
  EVENT_MESSAGE_UPDATE: "ONIMBOTMESSAGEUPDATE",
  EVENT_MESSAGE_DELETE: "ONIMBOTMESSAGEDELETE",
  EVENT_WELCOME_MESSAGE: "ONIMBOTJOINCHAT",
  EVENT_BOT_DELETE: "ONIMBOTDELETE"
};
var REQUIRED_HANDLERS = {
  EVENT_MESSAGE_ADD: "Message add",
  EVENT_WELCOME_MESSAGE: "Welcome message",
  EVENT_BOT_DELETE: "Bot delete"
};
var err = (code, text) => new BitrixError(code, text, 400);
function mentionedIds(text) {
  return [...new Set([...text.matchAll(/\[USER=(\d+)(?:\s[^\]]*)?\]/gi)].map((m) => Number(m[1])))];
}
function withoutMention(text, botId) {
  return text.replace(new RegExp(`\\[USER=${botId}(?:\\s[^\\]]*)?\\][\\s\\S]*?\\[/USER\\]`, "gi"), "").trim();
}
function yn(v) {
  return v ? "Y" : "N";
}
function colorName(hex) {
  return Object.entries(NAMED_COLORS).find(([, h]) => h === hex)?.[0] ?? hex;
}
function userBlock(u, full) {
  const block = {
    ID: String(u.id),
    NAME: [u.name, u.last_name].filter(Boolean).join(" "),
    FIRST_NAME: u.name,
    LAST_NAME: u.last_name,
    WORK_POSITION: u.work_position,
    GENDER: u.gender
  };
  if (full) {
    block.IS_BOT = yn(u.bot === 1);
    block.IS_CONNECTOR = yn(u.connector === 1);
    block.IS_NETWORK = yn(u.network === 1);
    block.IS_EXTRANET = yn(u.extranet === 1);
  }
  return block;
}
function peerOf(chat, userId) {
  const [a, b] = (chat.dialog_key ?? "").split(":").map(Number);
  return a === userId ? b : a;
}
function chatParams(chat) {
  return {
    CHAT_ID: String(chat.id),
    CHAT_TITLE: chat.title,
    CHAT_AUTHOR_ID: String(chat.author_id || chat.owner_id),
    CHAT_TYPE: chat.type,
    CHAT_AVATAR: chat.avatar || "0",
    CHAT_COLOR: colorName(chat.color),
    CHAT_ENTITY_TYPE: chat.entity_type,
    CHAT_ENTITY_ID: chat.entity_id,
    CHAT_ENTITY_DATA_1: chat.entity_data_1,
    CHAT_ENTITY_DATA_2: chat.entity_data_2,
    CHAT_ENTITY_DATA_3: chat.entity_data_3,
    CHAT_EXTRANET: yn(chat.extranet === 1)
  };
}
var BotsService = class {
  constructor(store, clock, outbox, language, commands) {
    this.store = store;
    this.clock = clock;
    this.outbox = outbox;
    this.language = language;
    this.commands = commands;
  }
  store;
  clock;
  outbox;
  language;
  commands;
  /**
   * Subscribes the bot events to what happens in the messenger. The messenger tells after its commit; the
   * events are queued in the outbox at once and delivered by the worker, so no handler slows a sender down.
   */
  listen(events) {
    events.on("messageAdded", (tx, e) => this.onMessageAdded(tx, e));
    events.on("messageUpdated", (tx, e) => this.onMessageChanged(tx, "ONIMBOTMESSAGEUPDATE", e));
    events.on("messageDeleted", (tx, e) => this.onMessageChanged(tx, "ONIMBOTMESSAGEDELETE", e));
    events.on("membersAdded", (tx, e) => this.onMembersAdded(tx, e.chat, e.userIds, e.byUserId));
  }
  list() {
    return this.store.bots.list();
  }
  /** The application's bot: the one named, or its first when none is (as imbot.* methods do). */
  async resolve(app, botId) {
    if (botId === void 0 || botId <= 0) {
      const first = (await this.store.bots.list(app.id))[0];
      if (!first) throw err("BOT_ID_ERROR", "Bot not found");
      return first;
    }
    const bot = await this.store.bots.get(botId);
    if (!bot) throw err("BOT_ID_ERROR", "Bot not found");
    if (bot.app_id !== app.id) throw err("APP_ID_ERROR", "Bot was installed by another rest application");
    return bot;
  }
  async register(app, input) {
    const code = input.code.trim();
    if (!code) throw err("CODE_ERROR", "Bot code isn't specified");
    const handlers = this.checkHandlers(app, input.handlers, true);
    const name = (input.properties.NAME ?? "").trim();
    const lastName = (input.properties.LAST_NAME ?? "").trim();
    if (!name && !lastName) throw err("NAME_ERROR", "Bot name isn't specified");
    const type = BOT_TYPES.includes(input.type) ? input.type : "B";
    const openline = type === "O" || input.openline === true;
    return this.store.transaction(async (tx) => {
      const same = await tx.bots.byCode(code);
      if (same && same.app_id !== app.id) throw err("WRONG_REQUEST", "Bot can't be created");
      if (same) {
        await this.bindHandlers(tx, app, handlers, same.type, same.openline === 1);
        return same.id;
      }
      if ((await tx.bots.list(app.id)).length >= MAX_BOTS_PER_APP) {
        throw err("MAX_COUNT_ERROR", `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_APP})`);
      }
      const user = await new UsersService(tx, this.clock).create({ name: name || lastName, lastName: name ? lastName : "", bot: true });
      await tx.users.update(user.id, this.userPatch(input.properties));
      await tx.bots.create({ id: user.id, app_id: app.id, code, type, openline: openline ? 1 : 0, date_create: this.clock() });
      await this.bindHandlers(tx, app, handlers, type, openline);
      return user.id;
    });
  }
  async update(app, botId, input) {
    const bot = await this.resolve(app, botId);
    const handlers = this.checkHandlers(app, input.handlers, false);
    const props = input.properties ?? {};
    const hasProps = Object.values(props).some((v) => v !== void 0);
    if (input.code === void 0 && Object.keys(handlers).length === 0 && !hasProps) {
      throw err("WRONG_REQUEST", "Update fields can't be empty");
    }
    await this.store.transaction(async (tx) => {
      if (input.code !== void 0 && input.code.trim() !== bot.code) {
        const code = input.code.trim();
        if (!code || await tx.bots.byCode(code)) throw err("WRONG_REQUEST", "Bot can't be updated");
        await tx.bots.update(bot.id, { code });
      }
      if (hasProps) {
        const user = await tx.users.get(bot.id);
        const name = props.NAME !== void 0 ? props.NAME.trim() : user?.name ?? "";
        const lastName = props.LAST_NAME !== void 0 ? props.LAST_NAME.trim() : user?.last_name ?? "";
        if (!name && !lastName) throw err("NAME_ERROR", "Bot name isn't specified");
        await tx.users.update(bot.id, { ...this.userPatch(props), name, last_name: lastName });
      }
      await this.bindHandlers(tx, app, handlers, bot.type, bot.openline === 1);
    });
  }
  /** Deletes the bot: ONIMBOTDELETE to the application, the bot user deactivated. */
  async unregister(app, botId, byUserId) {
    const bot = await this.resolve(app, botId);
    await this.store.transaction(async (tx) => {
      await this.outbox.emit(tx, app, "ONIMBOTDELETE", { data: { BOT_ID: String(bot.id), BOT_CODE: bot.code }, authUserId: byUserId });
      await this.commands?.forgetBot(tx, app, bot.id);
      await tx.bots.delete(bot.id);
      await tx.users.update(bot.id, { active: 0 });
      if ((await tx.bots.list(app.id)).length === 0) {
        for (const event of Object.values(BOT_HANDLERS)) await tx.events.deleteHandlers({ appId: app.id, event });
      }
    });
  }
  checkHandlers(app, given, required) {
    const out = {};
    for (const param of Object.keys(BOT_HANDLERS)) {
      const url = (given[param] ?? "").trim();
      if (!url) {
        if (required && REQUIRED_HANDLERS[param]) throw err(`${param}_ERROR`, `Handler for "${REQUIRED_HANDLERS[param]}" event isn't specified`);
        continue;
      }
      if (!isHandlerUrl(url) || !onApplicationHost(app, url)) throw err(`${param}_ERROR`, "Wrong handler URL");
      out[param] = url;
    }
    return out;
  }
  /** One set of bot handlers per application (as on a portal): a new URL replaces the event's previous one. */
  async bindHandlers(tx, app, handlers, type, openline) {
    for (const [param, url] of Object.entries(handlers)) {
      if ((param === "EVENT_MESSAGE_UPDATE" || param === "EVENT_MESSAGE_DELETE") && (type === "B" || type === "H") && !openline) continue;
      const event = BOT_HANDLERS[param];
      const existing = await tx.events.handlers({ appId: app.id, event });
      if (existing.some((h) => h.handler === url)) continue;
      await tx.events.deleteHandlers({ appId: app.id, event });
      await tx.events.addHandler({ app_id: app.id, event, handler: url, auth_type: 0, user_id: 0, date_create: this.clock() });
    }
  }
  userPatch(p) {
    const patch = {};
    if (p.COLOR !== void 0) {
      const color = parseColor(String(p.COLOR));
      if (color) patch.color = color;
    }
    if (p.EMAIL !== void 0) patch.email = String(p.EMAIL).trim();
    if (p.WORK_POSITION !== void 0) patch.work_position = String(p.WORK_POSITION).trim();
    if (p.PERSONAL_WWW !== void 0) patch.website = String(p.PERSONAL_WWW).trim();
    if (p.PERSONAL_GENDER !== void 0) patch.gender = p.PERSONAL_GENDER === "M" || p.PERSONAL_GENDER === "F" ? p.PERSONAL_GENDER : "";
    if (p.PERSONAL_BIRTHDAY !== void 0) {
      const m = /^\d{4}-(\d{2})-(\d{2})/.exec(String(p.PERSONAL_BIRTHDAY));
      patch.birthday = m ? `${m[2]}-${m[1]}` : "";
    }
    return patch;
  }
  /** Which bots a message is for: the peer of a dialog, or the chat's bots that are mentioned (all messages for S). */
  async recipients(store, chat, authorId, text, memberIds) {
    if (chat.type === "P") {
      const peer = peerOf(chat, authorId);
      const bot = peer && peer !== authorId ? await store.bots.get(peer) : void 0;
      return { bots: bot ? [bot] : [], mentioned: [] };
    }
    const mentioned = mentionedIds(text);
    const supervisors = (await store.bots.list()).filter((b) => b.type === "S").map((b) => b.id);
    const lineBots = chat.type === "L" ? (await store.bots.getMany(memberIds ?? await store.members.userIds(chat.id))).filter((b) => b.openline === 1 || b.type === "O").map((b) => b.id) : [];
    const candidates = [.../* @__PURE__ */ new Set([...mentioned, ...supervisors, ...lineBots])].filter((id) => id !== authorId);
    const inChat = memberIds ? candidates.filter((id) => memberIds.includes(id)) : await store.bots.membersOf(chat.id, candidates);
    return { bots: await store.bots.getMany(inChat), mentioned };
  }
  /** Bots grouped by their application (one delivery per application handler carries all its bots). */
  async byApp(store, bots) {
    const groups = /* @__PURE__ */ new Map();
    for (const b of bots) groups.set(b.app_id, [...groups.get(b.app_id) ?? [], b]);
    const out = [];
    for (const [appId, list] of groups) {
      const app = await store.auth.app(appId);
      if (app) out.push([app, list.sort((a, b) => a.id - b.id)]);
    }
    return out;
  }
  async onMessageAdded(tx, e) {
    const { chat, message, author } = e;
    if (!author) return;
    if (chat.type === "P" && message.seq === 1 && author.bot === 1) {
      const peer = peerOf(chat, author.id);
      if (peer) await this.onMembersAdded(tx, chat, [author.id], peer);
    }
    if (message.system === 1) return;
    const { bots, mentioned } = await this.recipients(tx, chat, author.id, message.text, e.memberIds);
    if (chat.type === "P" && message.seq === 1 && bots.length > 0) await this.onMembersAdded(tx, chat, bots.map((b) => b.id), author.id);
    if (author.bot !== 1 && this.commands && await this.commands.onMessage(tx, chat, message, author)) return;
    if (bots.length === 0) return;
    const prev = chat.type === "P" ? void 0 : await tx.messages.latestUpTo(chat.id, message.seq - 1);
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      const first = appBots[0];
      const base = {
        MESSAGE: chat.type === "P" ? message.text : withoutMention(message.text, first.id),
        TEMPLATE_ID: message.uuid ?? "",
        MESSAGE_TYPE: chat.type,
        FROM_USER_ID: String(author.id),
        DIALOG_ID: chat.type === "P" ? String(author.id) : `chat${chat.id}`,
        TO_CHAT_ID: String(chat.id),
        AUTHOR_ID: String(author.id),
        SYSTEM: "N"
      };
      const params = chat.type === "P" ? { ...base, TO_USER_ID: String(first.id), CHAT_USER_COUNT: "2" } : {
        ...base,
        ...chatParams(chat),
        CHAT_PREV_MESSAGE_ID: String(prev?.id ?? 0),
        CHAT_USER_COUNT: String(chat.member_count),
        ...mentioned.length ? { MENTIONED_LIST: Object.fromEntries(mentioned.map((id) => [String(id), String(id)])) } : {},
        MESSAGE_ORIGINAL: message.text,
        TO_USER_ID: mentioned.includes(first.id) ? String(first.id) : "0"
      };
      const extra = JSON.parse(message.params || "{}");
      for (const key of ["ATTACH", "KEYBOARD", "FILES", "COMMAND", "COMMAND_PARAMS"]) if (extra[key] !== void 0) params[key] = extra[key];
      params.MESSAGE_ID = String(message.id);
      if (chat.type === "P") params.CHAT_TYPE = "P";
      params.LANGUAGE = this.language;
      await this.outbox.emit(tx, app, "ONIMBOTMESSAGEADD", {
        data: { PARAMS: params, USER: userBlock(author, true) },
        authUserId: author.id,
        bots: appBots.map((b) => ({ id: b.id, code: b.code }))
      });
    }
  }
  async onMessageChanged(tx, event, e) {
    const { chat, message } = e;
    const by = await tx.users.get(e.byUserId);
    if (!by) return;
    const { bots: all } = await this.recipients(tx, chat, by.id, message.text);
    const bots = all.filter((b) => b.type === "S" || b.type === "O" || b.openline === 1);
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      const params = {
        MESSAGE_ID: String(message.id),
        MESSAGE: message.text,
        MESSAGE_TYPE: chat.type,
        FROM_USER_ID: String(by.id),
        DIALOG_ID: chat.type === "P" ? String(by.id) : `chat${chat.id}`,
        TO_CHAT_ID: String(chat.id),
        AUTHOR_ID: String(message.author_id),
        ...chat.type === "P" ? { TO_USER_ID: String(appBots[0].id) } : chatParams(chat),
        LANGUAGE: this.language
      };
      await this.outbox.emit(tx, app, event, {
        data: { PARAMS: params, USER: userBlock(by, true) },
        authUserId: by.id,
        bots: appBots.map((b) => ({ id: b.id, code: b.code }))
      });
    }
  }
  /** ONIMBOTJOINCHAT for each bot among the new members (not when a bot adds itself). */
  async onMembersAdded(tx, chat, userIds, byUserId) {
    const bots = (await tx.bots.getMany(userIds)).filter((b) => b.id !== byUserId);
    if (bots.length === 0) return;
    const by = await tx.users.get(byUserId);
    if (!by) return;
    for (const [app, appBots] of await this.byApp(tx, bots)) {
      for (const bot of appBots) {
        const member = chat.type === "P" ? void 0 : await tx.members.get(chat.id, bot.id);
        const params = chat.type === "P" ? {
          CHAT_TYPE: "P",
          MESSAGE_TYPE: "P",
          BOT_ID: String(bot.id),
          USER_ID: String(by.id),
          TO_USER_ID: String(by.id),
          FROM_USER_ID: String(bot.id),
          DIALOG_ID: String(by.id),
          LANGUAGE: this.language
        } : {
          CHAT_TYPE: chat.type,
          MESSAGE_TYPE: chat.type,
          BOT_ID: String(bot.id),
          USER_ID: String(by.id),
          CHAT_ID: String(chat.id),
          CHAT_AUTHOR_ID: String(chat.author_id || chat.owner_id),
          CHAT_ENTITY_TYPE: chat.entity_type,
          CHAT_ENTITY_ID: chat.entity_id,
          ACCESS_HISTORY: member && member.start_seq > 0 ? "0" : "1",
          DIALOG_ID: `chat${chat.id}`,
          LANGUAGE: this.language
        };
        await this.outbox.emit(tx, app, "ONIMBOTJOINCHAT", {
          data: { PARAMS: params, USER: userBlock(by, false) },
          authUserId: by.id,
          bots: [{ id: bot.id, code: bot.code }]
        });
      }
    }
  }
};

// src/app/structures.ts
function isDict(v) {
  return !!v && typeof v === "object" && !Array.isArray(v);
}
function asList(v) {
  if (Array.isArray(v)) return v;
  if (!isDict(v)) return void 0;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return void 0;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => v[k]);
}
function isAssoc(v) {
  return isDict(v) && asList(v) === void 0;
}
function str(v) {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (v === true) return "1";
  return "";
}
function int(v) {
  const n = Number.parseInt(str(v).trim(), 10);
  return Number.isFinite(n) ? n : 0;
}
var HEX_COLOR = /^#([a-fA-F0-9]){3}(([a-fA-F0-9]){3})?$/;
var SAFE_LINK = /^(?:\/|https?:\/\/)/;
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function oneLine(text) {
  return text.replace(/\r\n|[\n\r\u2028\u2029\v\f\u0085]/g, " ");
}
function colorToken(v) {
  const t = str(v);
  return ["primary", "secondary", "alert", "base"].includes(t) ? t : "base";
}
function decodeStructure(v) {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return void 0;
  }
}

// src/app/commands.ts
var COMMAND_EVENT = "ONIMCOMMANDADD";
var GRANT_SECONDS = 600;
var MAX_COMMANDS_PER_MESSAGE = 10;
var COMMAND_LINE = /^\/([^ \n]*) ?(.*)$/gm;
var err2 = (code, text) => new BitrixError(code, text, 400);
function stripSlash(command) {
  return command.startsWith("/") ? command.slice(1) : command;
}
function langSet(value) {
  const list = asList(value) ?? (isDict(value) ? [value] : []);
  const out = [];
  for (const item of list) {
    if (!isDict(item)) continue;
    const upper = Object.fromEntries(Object.entries(item).map(([k, v]) => [k.toUpperCase(), v]));
    const language = str(upper.LANGUAGE_ID).trim().toLowerCase();
    if (!language || upper.TITLE === void 0) continue;
    out.push({ LANGUAGE_ID: language, TITLE: str(upper.TITLE), PARAMS: str(upper.PARAMS) });
  }
  return out;
}
var CommandsService = class {
  constructor(store, clock, outbox, messages, language) {
    this.store = store;
    this.clock = clock;
    this.outbox = outbox;
    this.messages = messages;
    this.language = language;
  }
  store;
  clock;
  outbox;
  messages;
  language;
  async register(app, input) {
    const bot = await this.ownBot(app, input.botId);
    const handler = input.handler.trim();
    if (!handler) throw err2("EVENT_COMMAND_ADD_ERROR", `Handler for "Command add" event isn't specified`);
    if (!isHandlerUrl(handler) || !onApplicationHost(app, handler)) throw err2("EVENT_COMMAND_ADD_ERROR", "Wrong handler URL");
    const command = stripSlash(input.command.trim());
    if (!command) throw err2("COMMAND_ERROR", "Command isn't specified");
    const lang = langSet(input.lang);
    if (input.lang === void 0 || input.lang === "" || isDict(input.lang) && Object.keys(input.lang).length === 0 || Array.isArray(input.lang) && input.lang.length === 0) {
      throw err2("LANG_ERROR", "Lang set can't be empty");
    }
    if (lang.length === 0 && !input.hidden) throw err2("WRONG_REQUEST", "Command can't be created");
    return this.store.transaction(async (tx) => {
      const same = (await tx.commands.byName(command)).find((c) => c.bot_id === bot.id);
      const id = same?.id ?? (await tx.commands.create({
        bot_id: bot.id,
        app_id: app.id,
        command,
        common: input.common ? 1 : 0,
        hidden: input.hidden ? 1 : 0,
        extranet_support: input.extranetSupport ? 1 : 0,
        lang: JSON.stringify(lang),
        date_create: this.clock()
      })).id;
      await this.bindHandler(tx, app, handler);
      return id;
    });
  }
  async update(app, commandId, fields) {
    const row = await this.own(app, commandId);
    const handler = fields.handler?.trim();
    if (handler && (!isHandlerUrl(handler) || !onApplicationHost(app, handler))) throw err2("EVENT_COMMAND_ADD_ERROR", "Wrong handler URL");
    const patch = {};
    if (fields.command !== void 0 && stripSlash(fields.command.trim()) !== "") patch.command = stripSlash(fields.command.trim());
    if (fields.common !== void 0) patch.common = fields.common ? 1 : 0;
    if (fields.hidden !== void 0) patch.hidden = fields.hidden ? 1 : 0;
    if (fields.extranetSupport !== void 0) patch.extranet_support = fields.extranetSupport ? 1 : 0;
    if (fields.lang !== void 0) patch.lang = JSON.stringify(langSet(fields.lang));
    if (Object.keys(patch).length === 0 && !handler) throw err2("WRONG_REQUEST", "Update fields can't be empty");
    await this.store.transaction(async (tx) => {
      await tx.commands.update(row.id, patch);
      if (handler) await this.bindHandler(tx, app, handler);
    });
  }
  async unregister(app, commandId) {
    const row = await this.own(app, commandId);
    await this.store.transaction(async (tx) => {
      await tx.commands.delete(row.id);
      if ((await tx.commands.list({ appId: app.id })).length === 0) await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
    });
  }
  /** A bot's commands go with it (imbot.unregister). */
  async forgetBot(tx, app, botId) {
    await tx.commands.deleteByBot(botId);
    if ((await tx.commands.list({ appId: app.id })).length === 0) await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
  }
  /**
   * Runs the commands a new message starts lines with. True when any matched: then the message is a command
   * and no bot gets it as ONIMBOTMESSAGEADD (as on a portal).
   */
  async onMessage(tx, chat, message, author) {
    if (message.system === 1 || !message.text.includes("/")) return false;
    const toUserId = chat.type === "P" ? peerOf(chat, author.id) : 0;
    return this.run(tx, { chat, author, messageId: message.id, text: message.text, uuid: message.uuid ?? "", context: "TEXTAREA", toUserId });
  }
  /** im.message.command: a keyboard button of a bot's message was pressed. False when the user may not. */
  async press(user, messageId, botId, command, params) {
    const message = await this.store.messages.get(messageId);
    if (!message || message.deleted) return false;
    const chat = await this.store.chats.get(message.chat_id);
    if (!chat || !await this.store.members.get(chat.id, user.id)) return false;
    const text = `/${command} ${params}`;
    await this.store.transaction((tx) => this.run(tx, { chat, author: user, messageId, text, uuid: "", context: "KEYBOARD", toUserId: chat.type === "P" ? botId : 0 }));
    return true;
  }
  /** The command imbot.command.answer names (COMMAND_ID, or COMMAND among the application's). */
  async forAnswer(app, commandId, name) {
    if (commandId !== void 0) return this.own(app, commandId);
    const command = name === void 0 ? void 0 : (await this.store.commands.byName(stripSlash(name))).find((c) => c.app_id === app.id);
    if (!command) throw err2("COMMAND_ID_ERROR", "Command not found");
    return command;
  }
  /** imbot.command.answer: the bot's answer in the dialog of the command's message. */
  async answer(command, input) {
    if (input.messageId <= 0) throw err2("MESSAGE_ID_EMPTY", "Message ID can't be empty");
    const text = input.text.trim();
    if (!text) throw err2("MESSAGE_EMPTY", "Message can't be empty");
    const message = await this.store.messages.get(input.messageId);
    const chat = message && await this.store.chats.get(message.chat_id);
    if (!message || !chat) throw err2("WRONG_REQUEST", "Message isn't added");
    const bot = await this.store.users.get(command.bot_id);
    if (!bot || !bot.active) throw err2("WRONG_REQUEST", "Message isn't added");
    const content = { attach: input.attach, keyboard: input.keyboard, menu: input.menu, urlPreview: input.urlPreview };
    const prefixed = `Bot [USER=${bot.id}][/USER] answered:
 ${text}`;
    if (chat.type !== "P") {
      if (!await this.granted(command, `chat${chat.id}`, message)) throw err2("WRONG_REQUEST", "Message isn't added");
      const member = await this.store.members.get(chat.id, bot.id);
      if (member && !input.system) return this.messages.add(bot, { kind: "chat", chatId: chat.id }, { text, ...content });
      return this.messages.add(bot, { kind: "chat", chatId: chat.id }, { text: prefixed, ...content, system: true, skipUserCheck: true });
    }
    const authorIsBot = message.author_id === bot.id;
    const other = peerOf(chat, message.author_id);
    if (!await this.granted(command, String(other), message)) throw err2("WRONG_REQUEST", "Message isn't added");
    const human = authorIsBot ? other : message.author_id;
    if ((authorIsBot || other === bot.id) && !input.system) {
      return this.messages.add(bot, { kind: "user", userId: human }, { text, ...content });
    }
    const author = await this.store.users.get(message.author_id);
    if (!author) throw err2("WRONG_REQUEST", "Message isn't added");
    return this.messages.add(author, { kind: "user", userId: other }, { text: prefixed, attach: input.attach, keyboard: input.keyboard, urlPreview: input.urlPreview, system: true });
  }
  /** Whether the command's bot may answer in this dialog: its own dialog, a fresh grant, or the command typed there. */
  async granted(command, dialogId, message) {
    if (dialogId === String(command.bot_id)) return true;
    const until = await this.store.commands.grantedUntil(command.bot_id, dialogId);
    if (until !== void 0 && until >= this.clock()) return true;
    return [...message.text.matchAll(COMMAND_LINE)].some((m) => m[1] === command.command);
  }
  async ownBot(app, botId) {
    const bot = botId > 0 ? await this.store.bots.get(botId) : void 0;
    if (!bot) throw err2("BOT_ID_ERROR", "Bot not found");
    if (bot.app_id !== app.id) throw err2("APP_ID_ERROR", "Bot was installed by another rest application");
    return bot;
  }
  async own(app, commandId) {
    const row = commandId > 0 ? await this.store.commands.get(commandId) : void 0;
    if (!row) throw err2("COMMAND_ID_ERROR", "Command not found");
    if (row.app_id !== app.id) throw err2("APP_ID_ERROR", "Command was installed by another rest application");
    return row;
  }
  /** One ONIMCOMMANDADD handler per application: a new URL replaces the previous one, as on a portal. */
  async bindHandler(tx, app, url) {
    const existing = await tx.events.handlers({ appId: app.id, event: COMMAND_EVENT });
    if (existing.some((h) => h.handler === url)) return;
    await tx.events.deleteHandlers({ appId: app.id, event: COMMAND_EVENT });
    await tx.events.addHandler({ app_id: app.id, event: COMMAND_EVENT, handler: url, auth_type: 0, user_id: 0, date_create: this.clock() });
  }
  /** The commands a call names that apply where it was made (COMMON, the bot's presence, extranet, open lines). */
  async matching(store, call) {
    const out = [];
    const seen = /* @__PURE__ */ new Set();
    for (const m of call.text.matchAll(COMMAND_LINE)) {
      const name = stripSlash(m[1]);
      if (!name) continue;
      for (const command of await store.commands.byName(name)) {
        const bot = await store.bots.get(command.bot_id);
        if (!bot) continue;
        if (call.chat.entity_type === "LIVECHAT" || call.chat.entity_type === "LINES" && bot.openline !== 1) continue;
        if (!command.extranet_support && call.author.extranet === 1) continue;
        if (!command.common) {
          if (call.chat.type === "P" ? call.toUserId !== bot.id : !await store.members.get(call.chat.id, bot.id)) continue;
        }
        const key = `${command.id}\0${m[2]}`;
        if (seen.has(key) || out.length >= MAX_COMMANDS_PER_MESSAGE) continue;
        seen.add(key);
        out.push({ command, params: m[2] });
      }
    }
    return out;
  }
  async run(store, call) {
    const found = await this.matching(store, call);
    if (found.length === 0) return false;
    const { chat, author } = call;
    const dialogId = chat.type === "P" ? String(author.id) : `chat${chat.id}`;
    const expire = this.clock() + GRANT_SECONDS;
    for (const { command } of found) {
      await store.commands.grant(command.bot_id, dialogId, expire);
      if (chat.type === "P" && call.toUserId > 0) await store.commands.grant(command.bot_id, String(call.toUserId), expire);
    }
    const params = {
      MESSAGE: call.text,
      TEMPLATE_ID: call.uuid,
      MESSAGE_TYPE: chat.type,
      FROM_USER_ID: String(author.id),
      DIALOG_ID: dialogId,
      TO_CHAT_ID: String(chat.id),
      AUTHOR_ID: String(author.id),
      SYSTEM: "N",
      ...chat.type === "P" ? { TO_USER_ID: String(call.toUserId) } : chatParams(chat)
    };
    if (chat.type !== "P") {
      const bots = [...new Set(found.map((f) => f.command.bot_id))];
      const inChat = await store.bots.membersOf(chat.id, bots);
      params.BOT_IN_CHAT = Object.fromEntries(inChat.map((id) => [String(id), String(id)]));
    }
    params.MESSAGE_ID = String(call.messageId);
    params.CHAT_TYPE = chat.type;
    params.LANGUAGE = this.language;
    const byApp = /* @__PURE__ */ new Map();
    for (const { command, params: execParams } of found) {
      const bot = await store.bots.get(command.bot_id);
      const refs = byApp.get(command.app_id) ?? [];
      refs.push({
        id: bot.id,
        code: bot.code,
        group: "COMMAND",
        key: String(command.id),
        extra: {
          COMMAND: command.command,
          COMMAND_ID: String(command.id),
          COMMAND_PARAMS: execParams,
          COMMAND_CONTEXT: call.context,
          MESSAGE_ID: String(call.messageId)
        }
      });
      byApp.set(command.app_id, refs);
    }
    for (const [appId, refs] of byApp) {
      const app = await store.auth.app(appId);
      if (!app) continue;
      await this.outbox.emit(store, app, COMMAND_EVENT, { data: { PARAMS: params, USER: userBlock(author, false) }, authUserId: author.id, bots: refs });
    }
    return true;
  }
};

// src/app/delivery/payload.ts
function formValue(v) {
  if (v === null || v === void 0 || v === false) return "";
  if (v === true) return "1";
  if (typeof v === "object") {
    const out = {};
    for (const [k, item] of Object.entries(v)) out[k] = formValue(item);
    return out;
  }
  return String(v);
}
function formData(v) {
  return formValue(v);
}
function authBlock(token, app, portal, withClientId) {
  const rest = `${portal.publicUrl}/rest/`;
  const block = {
    access_token: token.access_token,
    expires: String(token.expires),
    expires_in: String(token.expires_in),
    scope: token.scope,
    domain: new URL(portal.publicUrl).host,
    server_endpoint: rest,
    status: "L",
    client_endpoint: rest,
    member_id: portal.memberId,
    user_id: String(token.user_id),
    refresh_token: token.refresh_token
  };
  if (withClientId) block.client_id = app.client_id;
  block.application_token = app.application_token;
  return block;
}
function webhookAuthBlock(app, portal) {
  const rest = `${portal.publicUrl}/rest/`;
  return {
    domain: new URL(portal.publicUrl).host,
    client_endpoint: rest,
    server_endpoint: rest,
    member_id: portal.memberId,
    application_token: app.application_token
  };
}
function botBlock(token, app, portal, bot) {
  const auth = token ? authBlock(token, app, portal, true) : webhookAuthBlock(app, portal);
  return { ...auth, AUTH: { ...auth }, BOT_ID: String(bot.id), BOT_CODE: bot.code };
}

// src/app/delivery/outbox.ts
var TOKENLESS_AUTH = -1;
var Outbox = class {
  constructor(clock) {
    this.clock = clock;
  }
  clock;
  waker = () => {
  };
  /** The local worker's wake-up call. */
  setWaker(fn) {
    this.waker = fn;
  }
  /** Queues events; with `claim` the rows start claimed by that worker, which delivers them itself first. */
  async enqueue(store, items, claim) {
    if (items.length === 0) return [];
    const now = this.clock();
    const ids = await store.events.enqueue(
      items.map((it) => ({
        app_id: it.app.id,
        handler_id: it.handlerId ?? null,
        event: it.event,
        handler_url: it.url,
        data: JSON.stringify(it.data),
        auth_user_id: it.authUserId,
        bots: JSON.stringify(it.bots ?? []),
        status: "pending",
        attempts: claim ? 1 : 0,
        next_attempt_at: Date.now(),
        locked_until: claim ? Date.now() + claim.leaseMs : null,
        locked_by: claim?.node ?? null,
        last_error: "",
        date_create: now,
        date_done: null
      }))
    );
    setTimeout(() => this.waker(), 5).unref();
    return ids;
  }
  /** Queues one delivery per handler an installed application bound to `event`. */
  async emit(store, app, event, payload, claim) {
    if (!app.installed) return [];
    const handlers = await store.events.handlers({ appId: app.id, event });
    if (handlers.some((h) => h.offline === 1)) await store.offline.add([offlineRow(app, event, payload, this.clock())]);
    return this.enqueue(
      store,
      handlers.filter((h) => h.offline !== 1).map((h) => ({
        app,
        event,
        url: h.handler,
        handlerId: h.id,
        data: payload.data,
        authUserId: h.auth_type > 0 ? h.auth_type : payload.authUserId,
        bots: payload.bots
      })),
      claim
    );
  }
};
function offlineRow(app, event, payload, now) {
  const data = { ...payload.data };
  if (payload.bots?.length) {
    const group = {};
    for (const b of payload.bots) group[b.key ?? String(b.id)] = { BOT_ID: String(b.id), BOT_CODE: b.code, ...b.extra ?? {} };
    data[payload.bots[0].group ?? "BOT"] = group;
  }
  return {
    app_id: app.id,
    event,
    data: JSON.stringify(formData(data)),
    additional: JSON.stringify({ user_id: String(payload.authUserId) }),
    message_id: randomHex(16),
    process_id: "",
    error: 0,
    date_create: now
  };
}

// src/app/delivery/worker.ts
var import_qs = __toESM(require_lib(), 1);
import crypto2 from "node:crypto";
import os from "node:os";

// src/app/delivery/post.ts
import http from "node:http";
import https from "node:https";
var MAX_ANSWER_BYTES = 1 << 20;
var DeliveryTimeout = class extends Error {
  name = "TimeoutError";
  constructor(ms) {
    super(`no complete answer within ${ms} ms`);
  }
};
function postForm(url, body, headers, timeoutMs, signal) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (err3, status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      req.destroy();
      if (err3) reject(err3);
      else resolve(status);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    const timer = setTimeout(() => finish(new DeliveryTimeout(timeoutMs)), timeoutMs);
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)), connection: "close" },
        agent: false
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk) => {
          read += chunk.length;
          if (read >= MAX_ANSWER_BYTES) finish(void 0, res.statusCode ?? 0);
        });
        res.on("end", () => finish(void 0, res.statusCode ?? 0));
        res.on("error", (err3) => finish(err3));
        res.on("aborted", () => finish(new Error("answer cut off")));
      }
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    req.on("error", (err3) => finish(err3));
    req.end(body);
  });
}

// src/app/delivery/worker.ts
var MAX_DELAY_MS = 36e5;
var KEEP_SECONDS = 7 * 24 * 3600;
var PRUNE_EVERY_MS = 36e5;
var USER_AGENT = "Bitrix24 Webhook Engine";
function retryDelayMs(failedAttempts, baseMs) {
  const raw = Math.min(MAX_DELAY_MS, baseMs * 3 ** Math.max(0, failedAttempts - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}
var silent = { info() {
}, warn() {
}, error() {
} };
var DeliveryWorker = class {
  constructor(store, clock, auth, portal, opts) {
    this.store = store;
    this.clock = clock;
    this.auth = auth;
    this.portal = portal;
    this.opts = opts;
  }
  store;
  clock;
  auth;
  portal;
  opts;
  node = `${os.hostname()}:${process.pid}:${crypto2.randomBytes(3).toString("hex")}`;
  inflight = /* @__PURE__ */ new Map();
  pending = /* @__PURE__ */ new Set();
  timer;
  pumping = false;
  again = false;
  started = false;
  stopped = false;
  log = silent;
  prunedAt = 0;
  get concurrency() {
    return this.opts.concurrency ?? 8;
  }
  get leaseMs() {
    return this.opts.timeoutMs + 3e4;
  }
  start(log = silent) {
    if (this.started) return;
    this.started = true;
    this.log = log;
    void this.releaseDeadClaims().catch((err3) => this.log.error({ err: err3 }, "event worker: cannot release the claims of stopped processes")).finally(() => this.wake());
  }
  /**
   * Rows claimed by a process of this machine that is gone (killed mid-delivery) are taken back at once instead of
   * when their lease runs out: an attempt a crash cut off is made again right after the restart (DECISIONS 17).
   */
  async releaseDeadClaims() {
    const host = os.hostname();
    for (const node of await this.store.events.claimants(Date.now())) {
      const [nodeHost, pidText] = node.split(":");
      const pid = Number(pidText);
      if (node === this.node || nodeHost !== host || !Number.isInteger(pid)) continue;
      if (pid === process.pid || !processAlive(pid)) {
        await this.store.events.release(node);
        this.log.warn({ node }, "event worker: took back the deliveries of a stopped process");
      }
    }
  }
  /** Looks for due rows now (called when this process queued something). */
  wake() {
    if (!this.started || this.stopped) return;
    void this.pump();
  }
  /** Stops claiming, aborts deliveries in flight and hands their rows back to the queue. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const ctl of this.inflight.values()) ctl.abort(new Error("server shutting down"));
    await Promise.allSettled([...this.pending]);
    await this.store.events.release(this.node);
  }
  /** A claim for rows queued by this process that it delivers itself (`claimedBy`, then `deliverClaimed`). */
  claimedBy() {
    return { node: this.node, leaseMs: this.leaseMs };
  }
  /** Delivers rows this process queued already claimed, once, now (the CLI's `app install`). */
  async deliverClaimed(ids) {
    const rows = (await this.store.events.get(ids)).filter((r) => r.locked_by === this.node);
    return Promise.all(rows.map((r) => this.deliver(r)));
  }
  async pump() {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.inflight.size < this.concurrency) {
          const rows = await this.store.events.claim(this.node, Date.now(), this.leaseMs, this.concurrency - this.inflight.size);
          if (rows.length === 0) break;
          for (const row of rows) this.track(this.deliver(row));
        }
      } while (this.again && !this.stopped);
      await this.schedule();
    } catch (err3) {
      this.log.error({ err: err3 }, "event worker: cannot read the outbox");
      this.scheduleIn(this.opts.pollMs);
    } finally {
      this.pumping = false;
    }
  }
  track(p) {
    const done = p.catch((err3) => this.log.error({ err: err3 }, "event worker: cannot record a delivery")).finally(() => {
      this.pending.delete(done);
      this.wake();
    });
    this.pending.add(done);
  }
  /** Next look: when the earliest retry is due, and at least every pollMs (rows other nodes queued). */
  async schedule() {
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await this.store.events.prune(this.clock() - KEEP_SECONDS);
      await this.store.auth.pruneTokens(this.clock());
    }
    const due = await this.store.events.nextDue();
    const wait = due === void 0 ? this.opts.pollMs : Math.max(10, Math.min(this.opts.pollMs, due - Date.now()));
    this.scheduleIn(wait);
  }
  scheduleIn(ms) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }
  async deliver(row) {
    const ctl = new AbortController();
    this.inflight.set(row.id, ctl);
    const started = Date.now();
    let httpStatus = null;
    let error = "";
    let permanent = false;
    try {
      const app = row.app_id === null ? void 0 : await this.store.auth.app(row.app_id);
      if (!app) {
        permanent = true;
        throw new Error("application no longer exists");
      }
      const body = await this.form(row, app);
      httpStatus = await postForm(row.handler_url, body, { "content-type": "application/x-www-form-urlencoded", "user-agent": USER_AGENT }, this.opts.timeoutMs, ctl.signal);
      if (httpStatus < 200 || httpStatus >= 300) error = `HTTP ${httpStatus}`;
    } catch (err3) {
      error = describe(err3);
    } finally {
      this.inflight.delete(row.id);
    }
    if (ctl.signal.aborted) {
      return { id: row.id, ok: false, status: "pending", httpStatus, error: "interrupted by shutdown" };
    }
    const ok = error === "";
    const nowMs = Date.now();
    const status = ok ? "done" : permanent || row.attempts >= this.opts.maxAttempts ? "failed" : "pending";
    await this.store.events.log({
      outbox_id: row.id,
      app_id: row.app_id,
      event: row.event,
      handler_url: row.handler_url,
      attempt: row.attempts,
      ok: ok ? 1 : 0,
      http_status: httpStatus,
      error,
      duration_ms: nowMs - started,
      date: this.clock()
    });
    await this.store.events.finish(row.id, this.node, {
      status,
      next_attempt_at: status === "pending" ? nowMs + retryDelayMs(row.attempts, this.opts.retryBaseMs) : row.next_attempt_at,
      last_error: error,
      date_done: status === "pending" ? null : this.clock()
    });
    const fields = { id: row.id, event: row.event, url: row.handler_url, attempt: row.attempts, status, http: httpStatus, error };
    if (ok) this.log.info(fields, "event delivered");
    else this.log.warn(fields, status === "failed" ? "event delivery failed for good" : "event delivery failed, will retry");
    return { id: row.id, ok, status, httpStatus, error };
  }
  /** The POST body: event, event_handler_id, data (with fresh bot tokens), ts, auth (a fresh user token). */
  async form(row, app) {
    const data = JSON.parse(row.data);
    const bots = JSON.parse(row.bots);
    const body = { event: row.event };
    if (row.handler_id !== null) body.event_handler_id = String(row.handler_id);
    const form = formData(data);
    const viaWebhook = app.webhook_id !== null && app.webhook_id !== void 0 || app.installed !== 1 || row.auth_user_id === TOKENLESS_AUTH;
    if (bots.length > 0) {
      const blocks = {};
      for (const bot of bots) {
        const block = botBlock(viaWebhook ? void 0 : await this.auth.issueToken(bot.id, app), app, this.portal(), bot);
        blocks[bot.key ?? String(bot.id)] = { ...block, ...bot.extra ?? {} };
      }
      body.data = { [bots[0].group ?? "BOT"]: blocks, ...form };
    } else {
      body.data = form;
    }
    body.ts = String(this.clock());
    if (row.auth_user_id > 0 || row.auth_user_id === TOKENLESS_AUTH) {
      body.auth = viaWebhook ? webhookAuthBlock(app, this.portal()) : authBlock(await this.auth.issueToken(row.auth_user_id, app), app, this.portal(), false);
    }
    return import_qs.default.stringify(body);
  }
};
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err3) {
    return err3.code === "EPERM";
  }
}
function describe(err3) {
  const e = err3;
  if (e?.name === "TimeoutError") return "timeout";
  const code = err3?.code;
  if (code) return e?.message?.includes(code) ? e.message : `${e?.message ?? "error"}: ${code}`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e?.message ?? "error"}: ${cause}` : e?.message ?? String(err3);
}

// src/app/delivery/dispatcher.ts
var MAX_TRIES = 3;
var BATCH = 20;
var KEEP_SECONDS2 = 24 * 3600;
var PRUNE_EVERY_MS2 = 36e5;
var silent2 = { info() {
}, warn() {
}, error() {
} };
var ChangeDispatcher = class {
  constructor(store, clock, events, pollMs, afterCommit = () => {
  }) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.pollMs = pollMs;
    this.afterCommit = afterCommit;
  }
  store;
  clock;
  events;
  pollMs;
  afterCommit;
  timer;
  running;
  again = false;
  started = false;
  stopped = false;
  log = silent2;
  failures = /* @__PURE__ */ new Map();
  /** Rows still to take one at a time after a batch failed. */
  singles = 0;
  prunedAt = 0;
  start(log = silent2) {
    if (this.started) return;
    this.started = true;
    this.log = log;
    this.wake();
  }
  wake() {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = void 0;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.scheduleIn(this.pollMs);
    });
  }
  /** Finishes the row in hand and stops. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
  /** Handles pending rows until none is left (rows recorded by other processes too). */
  async drain() {
    try {
      while (!this.stopped && await this.handleOne()) {
      }
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS2) {
        this.prunedAt = Date.now();
        await this.store.changes.prune(this.clock() - KEEP_SECONDS2);
      }
    } catch (err3) {
      this.log.error({ err: err3 }, "change dispatcher: cannot read the change log");
    }
  }
  /**
   * A batch of rows in one transaction (a burst of messages costs one commit, not one each); false when nothing is
   * pending. After a failure the next tries take one row at a time, so a bad row fails alone.
   */
  async handleOne() {
    let taken;
    const batch = this.singles > 0 || this.failures.size > 0 ? 1 : BATCH;
    try {
      const handled = await this.store.transaction(async (tx) => {
        const rows = await tx.changes.takePending(batch);
        if (rows.length === 0) return false;
        for (const row of rows) {
          taken = row.id;
          await this.events.handle(tx, row);
          await tx.changes.finish(row.id);
        }
        if (batch === 1 && taken !== void 0) {
          this.failures.delete(taken);
          this.singles = Math.max(0, this.singles - 1);
        }
        return true;
      });
      if (handled) this.afterCommit();
      return handled;
    } catch (err3) {
      if (taken === void 0) throw err3;
      if (batch > 1) {
        this.singles = BATCH;
        this.log.warn({ err: err3 }, "change dispatcher: a batch failed, handling rows one by one");
        return true;
      }
      const tries = (this.failures.get(taken) ?? 0) + 1;
      this.failures.set(taken, tries);
      this.log.error({ err: err3, change: taken, tries }, "change dispatcher: a listener failed");
      if (tries >= MAX_TRIES) {
        this.failures.delete(taken);
        await this.store.changes.finish(taken, String(err3?.message ?? err3).slice(0, 500));
      }
      return false;
    }
  }
  scheduleIn(ms) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
};

// src/app/webhook-bots.ts
import crypto3 from "node:crypto";
function webhookIdOf(auth) {
  if (auth.kind !== "webhook") return void 0;
  const id = Number(auth.credentialKey.split(":")[1]);
  return Number.isInteger(id) && id > 0 ? id : void 0;
}
function appCode(webhookId, clientId) {
  return `webhook.${webhookId}.${crypto3.createHash("sha256").update(clientId, "utf8").digest("hex").slice(0, 24)}`;
}
var WebhookBots = class {
  constructor(store, clock) {
    this.store = store;
    this.clock = clock;
  }
  store;
  clock;
  /**
   * The application of a webhook call's CLIENT_ID. `register` creates it on first use (imbot.register); any other
   * call with a CLIENT_ID that registered no bot through this webhook finds no bot.
   */
  /**
   * imbot.register through a webhook: `register` runs with the CLIENT_ID's application, created for it when new; if
   * the registration fails, a new application is removed again, so a rejected call leaves nothing behind.
   */
  async registering(auth, clientId, register) {
    const webhookId = webhookIdOf(auth);
    const existed = webhookId !== void 0 && clientId ? await this.store.auth.appByCode(appCode(webhookId, clientId)) : void 0;
    const app = existed ?? await this.appFor(auth, clientId, true);
    try {
      return await register(app);
    } catch (err3) {
      if (!existed) await this.store.transaction(async (tx) => {
        if ((await tx.bots.list(app.id)).length === 0) await tx.auth.deleteApp(app.id);
      });
      throw err3;
    }
  }
  async appFor(auth, clientId, register) {
    const webhookId = webhookIdOf(auth);
    if (webhookId === void 0 || !clientId) throw Errors.accessDenied("Access denied! Client ID not specified");
    const code = appCode(webhookId, clientId);
    const found = await this.store.auth.appByCode(code);
    if (found) return found;
    if (!register) throw Errors.method("BOT_ID_ERROR", "Bot not found");
    return this.store.transaction(async (tx) => {
      await tx.lock(`webhook-bot-app:${code}`);
      const again = await tx.auth.appByCode(code);
      if (again) return again;
      return tx.auth.createApp({
        code,
        client_id: code,
        // Nobody knows this secret: the application cannot be used for OAuth, only through its webhook.
        client_secret_hash: hashSecret(randomCode(50)),
        scopes: [...auth.scopes].join(","),
        handler_url: "",
        application_token: randomHex(16),
        installed: 1,
        date_create: this.clock(),
        webhook_id: webhookId
      });
    });
  }
};

// src/app/offline-events.ts
var OFFLINE_PAGE = 50;
var MAX_FETCH = 1e3;
var OfflineEventsService = class {
  constructor(store) {
    this.store = store;
  }
  store;
  async fetch(app, f) {
    const limit = Math.min(Math.max(f.limit ?? OFFLINE_PAGE, 1), MAX_FETCH);
    return this.store.transaction(async (tx) => {
      await tx.lock(`event-offline:${app.id}`);
      const where = [...f.where, { column: "process_id", op: "=", value: "" }, { column: "error", op: "=", value: f.error ? 1 : 0 }];
      const events = await tx.offline.list({ appId: app.id, where, order: f.order, limit });
      const ids = events.map((e) => e.id);
      if (f.clear) {
        await tx.offline.delete(app.id, { ids });
        return { processId: null, events };
      }
      const processId = randomHex(16);
      await tx.offline.reserve(app.id, ids, processId);
      return { processId, events: events.map((e) => ({ ...e, process_id: processId })) };
    });
  }
  async list(app, where, order, start) {
    const events = await this.store.offline.list({ appId: app.id, where, order, limit: OFFLINE_PAGE, offset: start });
    return { events, total: await this.store.offline.count({ appId: app.id, where }) };
  }
  async clear(app, processId, ids, messageIds) {
    if (!processId) throw Errors.argument("PROCESS_ID", "Required argument PROCESS_ID is empty");
    await this.store.offline.delete(app.id, { processId, ids, messageIds: ids ? void 0 : messageIds });
  }
  async error(app, processId, messageIds) {
    if (!processId) throw Errors.argument("PROCESS_ID", "Required argument PROCESS_ID is empty");
    await this.store.offline.markError(app.id, processId, messageIds);
  }
};

// src/app/app-lifecycle.ts
var AppLifecycle = class {
  constructor(store, outbox, language) {
    this.store = store;
    this.outbox = outbox;
    this.language = language;
  }
  store;
  outbox;
  language;
  async installed(tx, code) {
    const app = await tx.auth.appByCode(code);
    if (!app) throw Errors.method("APP_NOT_FOUND", `No application with code ${code}`);
    if (!app.installed) throw Errors.method("APP_NOT_INSTALLED", `Application ${code} is not installed`);
    return app;
  }
  /** A new version: ONAPPUPDATE {VERSION, PREVIOUS_VERSION, LANGUAGE_ID} to the bound handlers. Returns the outbox ids. */
  async update(code, userId, version, claim) {
    return this.store.transaction(async (tx) => {
      const app = await this.installed(tx, code);
      const next = version ?? app.version + 1;
      if (!Number.isInteger(next) || next < 1) throw Errors.method("ERROR_ARGUMENT", "Version must be a positive integer");
      await tx.auth.updateApp(app.id, { version: next });
      const data = { VERSION: String(next), PREVIOUS_VERSION: String(app.version), LANGUAGE_ID: this.language };
      const events = await this.outbox.emit(tx, { ...app, version: next }, "ONAPPUPDATE", { data, authUserId: userId }, claim);
      return { version: next, events };
    });
  }
  /**
   * Uninstalls: ONAPPUNINSTALL {LANGUAGE_ID, CLEAN} (an auth block without tokens, as a portal sends it), then the
   * application's tokens are revoked at once, its bots deactivated, its handlers removed; `clean` drops its options.
   */
  async uninstall(code, clean, claim) {
    return this.store.transaction(async (tx) => {
      const app = await this.installed(tx, code);
      const events = await this.outbox.emit(tx, app, "ONAPPUNINSTALL", { data: { LANGUAGE_ID: this.language, CLEAN: clean ? "1" : "0" }, authUserId: TOKENLESS_AUTH }, claim);
      const revokedTokens = await tx.auth.revokeTokens({ appId: app.id });
      const bots = await tx.bots.list(app.id);
      for (const bot of bots) {
        await tx.commands.deleteByBot(bot.id);
        await tx.bots.delete(bot.id);
        await tx.users.update(bot.id, { active: 0 });
      }
      await tx.events.deleteHandlers({ appId: app.id });
      if (clean) await tx.options.clear(app.id);
      await tx.auth.updateApp(app.id, { installed: 0 });
      return { events, revokedTokens, removedBots: bots.length };
    });
  }
  async options(app, userId, name) {
    const rows = await this.store.options.get(app.id, userId, name);
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
  }
  async setOptions(app, userId, options) {
    const entries = Object.entries(options).map(([name, value]) => ({ name, value: JSON.stringify(value ?? "") }));
    if (entries.length === 0) throw Errors.method("ArgumentNullException", "options is empty");
    await this.store.transaction((tx) => tx.options.set(app.id, userId, entries));
  }
};

// src/app/index.ts
async function createApp(store, config, opts = {}) {
  const clock = opts.clock ?? systemClock;
  const fixedMemberId = await store.transaction(async (tx) => {
    await tx.lock("portal-bootstrap");
    let memberId = await tx.portal.get("member_id");
    if (!memberId) {
      memberId = randomHex(16);
      await tx.portal.set("member_id", memberId);
    }
    await new UsersService(tx, clock).ensureAdmin();
    return memberId;
  });
  const users = new UsersService(store, clock);
  const events = new MessengerEvents(clock);
  const chats = new ChatsService(store, clock, config, events);
  const reads = new ReadsService(store, clock, chats);
  const messages = new MessagesService(store, clock, chats, events);
  const lines = new LinesService(store, clock);
  const sessions = new SessionsService(store, clock, chats, lines);
  messages.postHooks.push((tx, chat, message, now) => sessions.onMessageInTx(tx, chat, message, now));
  const auth = new AuthService(store, clock, () => fixedMemberId);
  const outbox = new Outbox(clock);
  const worker = new DeliveryWorker(store, clock, auth, () => ({ publicUrl: config.publicUrl, memberId: fixedMemberId }), config.events);
  outbox.setWaker(() => worker.wake());
  const commands = new CommandsService(store, clock, outbox, messages, config.language);
  const bots = new BotsService(store, clock, outbox, config.language, commands);
  bots.listen(events);
  new ConnectorEvents(outbox).listen(events);
  const dispatcher = new ChangeDispatcher(store, clock, events, config.events.pollMs, () => worker.wake());
  events.setWaker(() => dispatcher.wake());
  return {
    config,
    store,
    clock,
    memberId: fixedMemberId,
    events,
    users,
    chats,
    messages,
    reads,
    recent: new RecentService(store, clock, config, chats, reads),
    lines,
    sessions,
    lineBots: new LineBotsService(store, sessions, events),
    connectors: new ConnectorsService(store, clock, config, users, chats, sessions, reads, events),
    auth,
    outbox,
    worker,
    dispatcher,
    apps: new AppsService(store, clock, outbox, config.language),
    bots,
    webhookBots: new WebhookBots(store, clock),
    offlineEvents: new OfflineEventsService(store),
    lifecycle: new AppLifecycle(store, outbox, config.language),
    commands
  };
}

export {
  BINDABLE_EVENTS,
  requireApp,
  newChatRow,
  colorFor,
  parseColor,
  parseDialogId,
  chatDialogId,
  dialogKey,
  systemText,
  QUEUE_TYPES,
  systemClock,
  unreadCounter,
  previewText,
  BOT_HANDLERS,
  isDict,
  asList,
  isAssoc,
  str,
  int,
  HEX_COLOR,
  SAFE_LINK,
  escapeHtml,
  oneLine,
  colorToken,
  decodeStructure,
  createApp
};
//# sourceMappingURL=chunk-3V3VO3DL.js.map
