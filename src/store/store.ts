// The Store: everything the messenger needs from persistence, in domain terms. SQL lives behind it only.
import type {
  AppRow,
  NewOfflineEvent,
  OfflineEventRow,
  BotCommandRow,
  ChangeRow,
  NewChangeRow,
  BotRow,
  ChatPatch,
  ChatRow,
  ConnectorLineRow,
  ConnectorRow,
  EventHandlerRow,
  EventLogRow,
  FilePatch,
  FileRow,
  FolderRow,
  NewFile,
  LinePatch,
  LineRow,
  MemberPatch,
  MemberRow,
  MessagePatch,
  MessageRow,
  NewBot,
  NewBotCommand,
  FetchEventRow,
  FetchStreamRow,
  NewChat,
  NewLine,
  NewMember,
  NewMessage,
  NewNotification,
  NotificationRow,
  DepartmentRow,
  NewOutboxRow,
  NewSession,
  NewUser,
  OutboxRow,
  QueueRow,
  SessionPatch,
  SessionRow,
  QuickAnswerRow,
  TokenRow,
  UserPatch,
  UserRow,
  WebhookRow,
  NewPullMessage,
  PullChannelRow,
  PullMessageRow,
} from './schema.ts';

// Every row type is part of the Store's vocabulary.
export type * from './schema.ts';

/** Which users a list or count selects (user.get's FILTER). */
export interface UserQuery {
  ids?: number[];
  notIds?: number[];
  activeOnly?: boolean;
  idGt?: number;
  idGte?: number;
  idLt?: number;
  idLte?: number;
  /** Only active (true) or only inactive (false) users; overrides activeOnly. */
  active?: boolean;
  /** Only intranet employees (false) or only extranet users (true). */
  extranet?: boolean;
  /** Case-insensitive equality on text columns (user.get's FILTER[NAME] ...). */
  equals?: Partial<Record<UserTextField, string>>;
  /** Members of any of these departments (UF_DEPARTMENT). */
  departments?: number[];
  /** Every word must begin a word of one of the fields, case-insensitively (user.search, FIND). */
  words?: { fields: readonly UserTextField[]; words: readonly string[] }[];
}

export const USER_TEXT_FIELDS = ['name', 'last_name', 'email', 'work_position'] as const;
export type UserTextField = (typeof USER_TEXT_FIELDS)[number];

export const USER_SORT_FIELDS = ['id', 'name', 'last_name', 'email', 'date_register'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

export interface UserRepo {
  create(user: NewUser): Promise<UserRow>;
  get(id: number): Promise<UserRow | undefined>;
  getMany(ids: readonly number[]): Promise<UserRow[]>;
  /** Users ordered by id (or by `sort`, then id), optionally only these ids / an id range / only active ones. */
  list(opts: UserQuery & { offset?: number; limit?: number; sort?: UserSortField; desc?: boolean }): Promise<UserRow[]>;
  count(opts: UserQuery): Promise<number>;
  update(id: number, patch: UserPatch): Promise<void>;
}

export interface AuthRepo {
  createWebhook(row: { user_id: number; code_hash: string; scopes: string; title: string; date_create: number }): Promise<WebhookRow>;
  webhooksOfUser(userId: number): Promise<WebhookRow[]>;
  createApp(row: Omit<AppRow, 'id' | 'webhook_id' | 'version'> & { webhook_id?: number | null }): Promise<AppRow>;
  appByCode(code: string): Promise<AppRow | undefined>;
  appByClientId(clientId: string): Promise<AppRow | undefined>;
  app(id: number): Promise<AppRow | undefined>;
  updateApp(id: number, patch: Partial<Omit<AppRow, 'id'>>): Promise<void>;
  /** Removes an application that nothing refers to yet (a webhook bot's whose registration failed). */
  deleteApp(id: number): Promise<void>;
  createToken(row: Omit<TokenRow, 'id'>): Promise<TokenRow>;
  tokenByAccessHash(hash: string): Promise<TokenRow | undefined>;
  tokenByRefreshHash(hash: string): Promise<TokenRow | undefined>;
  revokeToken(id: number): Promise<void>;
  /** Every webhook, oldest first. */
  webhooks(): Promise<WebhookRow[]>;
  /** Deletes a webhook; false when there was none with that id. */
  deleteWebhook(id: number): Promise<boolean>;
  /** Tokens not revoked whose refresh token is still valid at nowSec, optionally of one user or application. */
  liveTokens(nowSec: number, f?: { userId?: number; appId?: number }): Promise<TokenRow[]>;
  /** Revokes the tokens matching the filter (one id, a user's or an application's); returns how many were live. */
  revokeTokens(f: { id?: number; userId?: number; appId?: number }): Promise<number>;
  /** Deletes tokens that can no longer be used or refreshed. */
  pruneTokens(nowSec: number): Promise<number>;
}

export interface PortalRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface ChatSearchQuery {
  /** Only chats this user is a member of. */
  userId: number;
  /** Every word must occur in the title, any case. */
  words: readonly string[];
  /** Chat types searched (C, O, L ...). */
  types: readonly string[];
  offset: number;
  limit: number;
}

export interface ChatRepo {
  create(chat: NewChat): Promise<ChatRow>;
  /** A member's chats whose titles hold every word, newest first (im.search.chat.list). */
  searchOfMember(q: ChatSearchQuery): Promise<ChatRow[]>;
  countSearchOfMember(q: ChatSearchQuery): Promise<number>;
  get(id: number): Promise<ChatRow | undefined>;
  /** The row locked for update where the backend supports it (serializes writers of one chat). */
  getForUpdate(id: number): Promise<ChatRow | undefined>;
  getMany(ids: readonly number[]): Promise<ChatRow[]>;
  byDialogKey(key: string): Promise<ChatRow | undefined>;
  /** The first chat (lowest id) bound to an entity (ENTITY_TYPE + ENTITY_ID). */
  byEntity(type: string, id: string): Promise<ChatRow | undefined>;
  update(id: number, patch: ChatPatch): Promise<void>;
  /** Reserves the next message seq of a chat. */
  nextSeq(id: number): Promise<number>;
}

/** A member row joined with its chat: one recent-list candidate. */
export interface RecentRow {
  member: MemberRow;
  chat: ChatRow;
}

export interface RecentQuery {
  userId: number;
  /** Items whose date_update (own or chat-wide) is at or after this. */
  since: number;
  /** Only these item types (P, C, O, L); undefined for all. */
  types?: readonly string[];
}

export interface RecentPageQuery {
  userId: number;
  types?: readonly string[];
  /** Only rows whose last activity is at or before this (im.recent.list's LAST_MESSAGE_DATE). */
  activityAtOrBefore?: number;
  /** Only rows that may have unread messages or carry the unread mark. */
  unreadOnly?: boolean;
  offset: number;
  limit: number;
}

/** The user a recent item shows: the peer of a dialog, or the author of a chat's last message. */
export type RecentUser = Pick<
  UserRow,
  | 'id' | 'active' | 'name' | 'last_name' | 'work_position' | 'color' | 'avatar' | 'gender' | 'birthday' | 'extranet' | 'network'
  | 'bot' | 'connector' | 'external_auth_id' | 'status' | 'last_activity_date' | 'absent' | 'departments' | 'phone' | 'website' | 'email'
>;

/**
 * One listed recent row with only the columns the list shows (read in one statement): the user's member row, its
 * chat, the chat's last message and the user the item shows.
 */
export interface RecentView {
  member: Pick<MemberRow, 'user_id' | 'item_id' | 'read_seq' | 'read_message_id' | 'last_own_seq' | 'muted' | 'pinned' | 'unread' | 'role'>;
  chat: Pick<
    ChatRow,
    | 'id' | 'type' | 'title' | 'color' | 'avatar' | 'owner_id' | 'extranet' | 'entity_type' | 'entity_id' | 'entity_data_1' | 'entity_data_2'
    | 'entity_data_3' | 'date_create' | 'last_seq' | 'deleted_seq_max' | 'member_count'
  >;
  message: Pick<MessageRow, 'id' | 'author_id' | 'text' | 'has_file' | 'has_attach' | 'uuid' | 'date' | 'notify_read'> | undefined;
  user: RecentUser | undefined;
  /** When the item last changed: the member row's date, or the chat's for a large chat if later. */
  dateUpdate: number;
  /** The item's last activity: large chats keep the latest message date on the chat row (read-side fan-out). */
  dateLastActivity: number;
}

export interface RecentRepo {
  /**
   * The user's listed rows changed since `since` (index-served; see docs/performance.md). Listed: not hidden (or a
   * message came since), and with a message (or a pinned dialog).
   */
  changedSince(q: RecentQuery): Promise<RecentView[]>;
  /** One page of the user's listed rows in im.recent.list order (index-served for small chats). */
  page(q: RecentPageQuery): Promise<RecentView[]>;
  /** Users' names (the short mentions of message previews), by id. */
  names(ids: readonly number[]): Promise<Map<number, Pick<UserRow, 'name' | 'last_name'>>>;
}

export interface ActiveMemberQuery {
  chatId: number;
  /** external_auth_id values left out (SKIP_EXTERNAL). */
  skipTypes: readonly string[];
  limit: number;
  offset?: number;
  /** Only members with a larger user id, ordered by user id (LAST_ID paging); otherwise join order. */
  afterUserId?: number;
}

/** A member as a message's Push & Pull event needs them: counter, mute and manager lists. */
export type RosterMember = Pick<MemberRow, 'user_id' | 'role' | 'read_seq' | 'last_own_seq' | 'muted'>;

export interface MemberRepo {
  add(row: NewMember): Promise<void>;
  get(chatId: number, userId: number): Promise<MemberRow | undefined>;
  /** The user's row for a recent item (P + peer id, or a chat type + chat id). */
  byItem(userId: number, itemType: string, itemId: number): Promise<MemberRow | undefined>;
  list(chatId: number, opts?: { offset?: number; limit?: number }): Promise<MemberRow[]>;
  /** Every member in join order with what a chat-wide Push & Pull event reads of them (a few columns of 18). */
  roster(chatId: number): Promise<RosterMember[]>;
  userIds(chatId: number): Promise<number[]>;
  /** Ids of a chat's active members (im.dialog.users.list): in join order from an offset, or by id after one. */
  activeUserIds(q: ActiveMemberQuery): Promise<number[]>;
  countActive(chatId: number, skipTypes: readonly string[]): Promise<number>;
  remove(chatId: number, userId: number): Promise<void>;
  update(chatId: number, userId: number, patch: MemberPatch): Promise<void>;
  /** Fan-out on write: every member's row of a small chat changed at `date`. */
  touchAll(chatId: number, date: number, activity: boolean): Promise<void>;
  setLarge(chatId: number, large: boolean): Promise<void>;
  /** Every member's last activity raised to at least `date` (a chat leaving read-side fan-out). */
  raiseActivity(chatId: number, date: number): Promise<void>;
  /** Every row of a user joined with its chat (counters). */
  allOfUser(userId: number): Promise<RecentRow[]>;
  pinnedCount(userId: number): Promise<number>;
  maxPinSort(userId: number): Promise<number>;
}

export interface MessageListQuery {
  chatId: number;
  /** Only seq >= this (history visible to the member). */
  fromSeq: number;
  /** Messages with id < beforeId (older page) ... */
  beforeId?: number;
  /** ... or with id > afterId (newer page). */
  afterId?: number;
  limit: number;
}

export interface MessageSearchQuery {
  chatId: number;
  /** Only seq >= this (history visible to the member). */
  fromSeq: number;
  /** Every word must begin a word of the text (any case); none: every message. Letters and digits only. */
  words: string[];
  /** Unix seconds: from (inclusive), to (exclusive). */
  from?: number;
  to?: number;
  /** LAST_ID paging: older than beforeId (newest first) or newer than afterId (oldest first). */
  beforeId?: number;
  afterId?: number;
  ascending?: boolean;
  limit: number;
}

export interface MessageRepo {
  insert(msg: NewMessage): Promise<MessageRow>;
  /** Full-text search within a chat (see the index in migration 078). */
  search(q: MessageSearchQuery): Promise<MessageRow[]>;
  get(id: number): Promise<MessageRow | undefined>;
  getMany(ids: readonly number[]): Promise<MessageRow[]>;
  update(id: number, patch: MessagePatch): Promise<void>;
  /** Not-deleted messages, newest first for beforeId / no cursor, oldest first for afterId. */
  list(q: MessageListQuery): Promise<MessageRow[]>;
  /** A connector's message in a chat by its external id (params.CONNECTOR_MID), among the chat's newest 1,000. */
  byConnectorMid(chatId: number, mid: string): Promise<MessageRow | undefined>;
  /** The newest not-deleted message of a chat. */
  latest(chatId: number): Promise<MessageRow | undefined>;
  /** The newest not-deleted message with seq <= seq. */
  latestUpTo(chatId: number, seq: number): Promise<MessageRow | undefined>;
  /** Not-deleted messages with afterSeq < seq <= toSeq (no upper bound when toSeq is 0), newest first. */
  range(chatId: number, afterSeq: number, toSeq: number, limit: number): Promise<MessageRow[]>;
  /** Seq of the newest message (deleted or not) with id <= messageId; 0 when none. */
  seqAtOrBefore(chatId: number, messageId: number): Promise<number>;
  countDeletedAfter(chatId: number, seq: number): Promise<number>;
  countOwnAfter(chatId: number, authorId: number, seq: number): Promise<number>;
  /** Marks messages in (fromSeq, toSeq] by others than readerId as read by someone. */
  markNotifyRead(chatId: number, fromSeq: number, toSeq: number, readerId: number): Promise<void>;
}

/** Complete rows (ids included) written in bulk by the dataset generator (b24im seed) into a fresh database. */
export interface BulkRepo {
  insertChats(rows: readonly ChatRow[]): Promise<void>;
  insertMembers(rows: readonly MemberRow[]): Promise<void>;
  insertMessages(rows: readonly MessageRow[]): Promise<void>;
  /** After the last insert: id sequences continue after the inserted ids. */
  finish(): Promise<void>;
}

/** Open lines: lines, queues, connectors, customers, sessions. */
export interface OpenLinesRepo {
  createLine(row: NewLine): Promise<LineRow>;
  line(id: number): Promise<LineRow | undefined>;
  /** The row locked for update where the backend supports it (serializes customers' first messages). */
  lineForUpdate(id: number): Promise<LineRow | undefined>;
  lines(): Promise<LineRow[]>;
  updateLine(id: number, patch: LinePatch): Promise<void>;
  deleteLine(id: number): Promise<void>;
  /** Replaces a line's queue with these users, in this order. */
  setQueue(lineId: number, entries: { userId: number; departmentId: number }[]): Promise<void>;
  queue(lineId: number): Promise<QueueRow[]>;
  connector(id: string): Promise<ConnectorRow | undefined>;
  /** Every registered connector. */
  connectors(): Promise<ConnectorRow[]>;
  saveConnector(row: ConnectorRow): Promise<void>;
  deleteConnector(id: string): Promise<void>;
  connectorLine(connectorId: string, lineId: number): Promise<ConnectorLineRow | undefined>;
  /** Switches a connector on or off for a line (its data stays). */
  setConnectorLine(row: Omit<ConnectorLineRow, 'data'>): Promise<void>;
  /** Stores the external channel's data of a connector on a line (the link stays off until activated). */
  setConnectorData(connectorId: string, lineId: number, data: string, now: number): Promise<void>;
  customer(connectorId: string, externalId: string): Promise<number | undefined>;
  addCustomer(connectorId: string, externalId: string, userId: number): Promise<void>;
  /** The open-line chat of a user code (entity type LINES). */
  chatIdByUserCode(userCode: string): Promise<number | undefined>;
  createSession(row: NewSession): Promise<SessionRow>;
  session(id: number): Promise<SessionRow | undefined>;
  updateSession(id: number, patch: SessionPatch): Promise<void>;
  /** The newest session of a chat (open or closed). */
  lastSession(chatId: number): Promise<SessionRow | undefined>;
  /** The newest session of each of these chats. */
  lastSessions(chatIds: readonly number[]): Promise<Map<number, SessionRow>>;
  /** Open sessions per operator of a line (queue distribution). */
  openSessionCounts(lineId: number): Promise<Map<number, number>>;
  /** An operator's taken, not yet closed sessions (status 10 to 49) that are pinned or not, newest first. */
  takenSessions(operatorId: number, pinned: boolean): Promise<SessionRow[]>;
  /** A line's quick answer saved from a message, or one with this text. */
  quickAnswer(lineId: number, by: { messageId: number } | { text: string }): Promise<QuickAnswerRow | undefined>;
  addQuickAnswer(row: Omit<QuickAnswerRow, 'id'>): Promise<void>;
  updateQuickAnswer(id: number, text: string, now: number): Promise<void>;
}

export interface BotRepo {
  create(row: NewBot): Promise<BotRow>;
  countMessage(id: number): Promise<void>;
  chatCounts(id: number): Promise<{ chats: number; dialogs: number }>;
  get(id: number): Promise<BotRow | undefined>;
  byCode(code: string): Promise<BotRow | undefined>;
  /** Every bot, or an application's, by id. */
  list(appId?: number): Promise<BotRow[]>;
  /** Which of these user ids are bots. */
  getMany(ids: readonly number[]): Promise<BotRow[]>;
  /** Which of these bots are members of a chat (primary-key lookups, whatever the chat's size). */
  membersOf(chatId: number, botIds: readonly number[]): Promise<number[]>;
  update(id: number, patch: Partial<Omit<BotRow, 'id'>>): Promise<void>;
  delete(id: number): Promise<void>;
}

/** Bot commands and the grants that let a bot answer them. */
export interface CommandRepo {
  create(row: NewBotCommand): Promise<BotCommandRow>;
  get(id: number): Promise<BotCommandRow | undefined>;
  /** Commands with this name (any bot). */
  byName(command: string): Promise<BotCommandRow[]>;
  /** A bot's (or an application's) commands, by id. */
  list(f: { botId?: number; appId?: number }): Promise<BotCommandRow[]>;
  update(id: number, patch: Partial<Omit<BotCommandRow, 'id'>>): Promise<void>;
  delete(id: number): Promise<void>;
  deleteByBot(botId: number): Promise<void>;
  /** Grants (or prolongs) a bot's right to answer in a dialog until `expire`. */
  grant(botId: number, dialogId: string, expire: number): Promise<void>;
  grantedUntil(botId: number, dialogId: string): Promise<number | undefined>;
}

export interface HandlerFilter {
  appId?: number;
  event?: string;
  handler?: string;
  authType?: number;
  /** The user who bound the handler (0: the application's own, from imbot.register). */
  userId?: number;
  /** Only offline (true) or online (false) bindings. */
  offline?: boolean;
}

/** A condition of event.offline.get / list's filter, on a whitelisted column. */
export interface OfflineCondition {
  column: 'id' | 'event' | 'message_id' | 'date_create' | 'process_id' | 'error';
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string | number;
}

export interface OfflineQuery {
  appId: number;
  where: OfflineCondition[];
  order: { column: OfflineCondition['column']; desc: boolean }[];
  limit: number;
  offset?: number;
}

/** Settings applications keep on the portal: app.option.* (per application), user.option.* (per application and user). */
export interface OptionRepo {
  /** Values are JSON text; userId 0 reads the application's own options. */
  get(appId: number, userId: number, name?: string): Promise<{ name: string; value: string }[]>;
  set(appId: number, userId: number, entries: { name: string; value: string }[]): Promise<void>;
  /** Forgets every option of the application and of its users (uninstall with CLEAN). */
  clear(appId: number): Promise<void>;
}

/** Offline events waiting for their application (event.offline.*). */
export interface OfflineRepo {
  add(rows: NewOfflineEvent[]): Promise<void>;
  list(q: OfflineQuery): Promise<OfflineEventRow[]>;
  count(q: Omit<OfflineQuery, 'limit' | 'order'>): Promise<number>;
  /** Marks rows reserved by a process. */
  reserve(appId: number, ids: number[], processId: string): Promise<void>;
  /** Deletes rows of the application: these ids, or those reserved by processId (optionally only these message ids). */
  delete(appId: number, f: { ids?: number[]; processId?: string; messageIds?: string[] }): Promise<number>;
  /** Marks reserved rows failed and frees them. */
  markError(appId: number, processId: string, messageIds?: string[]): Promise<number>;
}

/** Event handlers, the outbox of events to deliver, and the log of delivery attempts. */
export interface EventRepo {
  handlers(f: HandlerFilter): Promise<EventHandlerRow[]>;
  addHandler(row: Omit<EventHandlerRow, 'id' | 'offline'> & { offline?: number }): Promise<EventHandlerRow>;
  deleteHandlers(f: HandlerFilter & { appId: number }): Promise<number>;
  enqueue(rows: NewOutboxRow[]): Promise<number[]>;
  get(ids: number[]): Promise<OutboxRow[]>;
  /** Atomically takes up to `limit` due rows (of `ids` when given) for `node` until nowMs + leaseMs (attempts + 1). */
  claim(node: string, nowMs: number, leaseMs: number, limit: number, ids?: number[]): Promise<OutboxRow[]>;
  /** Records the outcome of a claimed row and drops the claim. */
  finish(id: number, node: string, patch: Pick<OutboxRow, 'status' | 'next_attempt_at' | 'last_error' | 'date_done'>): Promise<void>;
  /** Drops every claim of a node (clean shutdown), so another node or a restart takes the rows at once. */
  release(node: string): Promise<void>;
  /** Nodes holding an unexpired claim on a pending row. */
  claimants(nowMs: number): Promise<string[]>;
  /** Earliest next_attempt_at of a pending row (unix ms). */
  nextDue(): Promise<number | undefined>;
  outbox(f: { status?: string; appId?: number; limit: number }): Promise<OutboxRow[]>;
  /** How many outbox rows are in each status (pending, done, failed), and how many delivery attempts failed. */
  outboxStats(): Promise<{ byStatus: Record<string, number>; failedAttempts: number }>;
  /** Puts a failed row back in the queue. */
  retry(id: number, nowMs: number): Promise<boolean>;
  /** Forgets finished events and log rows older than beforeSec (unix seconds). */
  prune(beforeSec: number): Promise<number>;
  log(row: Omit<EventLogRow, 'id'>): Promise<void>;
  logs(f: { appId?: number; outboxId?: number; limit: number }): Promise<EventLogRow[]>;
}

/** The change log (see app/changes.ts): written in the change's transaction, handled once by a dispatcher. */
export interface ChangeRepo {
  record(row: Omit<NewChangeRow, 'pending' | 'error'>): Promise<number>;
  /** Oldest pending rows; inside a transaction on PostgreSQL they stay locked (skipped by other nodes) until it ends. */
  takePending(limit: number): Promise<ChangeRow[]>;
  /** Marks a row handled ('' error) or given up on. */
  finish(id: number, error?: string): Promise<void>;
  get(id: number): Promise<ChangeRow | undefined>;
  countPending(): Promise<number>;
  /** Forgets handled rows older than beforeSec (unix seconds). */
  prune(beforeSec: number): Promise<number>;
}

export interface ReactionRepo {
  /** False when the user had already set this reaction. */
  add(messageId: number, userId: number, reaction: string, date: number): Promise<boolean>;
  /** False when there was nothing to remove. */
  remove(messageId: number, userId: number, reaction: string): Promise<boolean>;
}

/** A fetch queue: a 2.0 bot's ('bot') or a subscribed user's ('user'). */
export interface FetchStream {
  kind: 'bot' | 'user';
  ownerId: number;
}

export interface FetchRepo {
  /** Creates the stream (idempotent), counting the events it kept from before (see stop). */
  open(stream: FetchStream, date: number): Promise<void>;
  /** Removes the stream and its events. */
  close(stream: FetchStream): Promise<void>;
  /** Removes the stream but not its events: nothing more is appended, what is there stays readable. */
  stop(stream: FetchStream): Promise<void>;
  /** Deletes the events of these streams written before `date` (expired); returns how many. */
  expire(streams: readonly FetchStream[], date: number): Promise<number>;
  streams(kind?: 'bot' | 'user'): Promise<FetchStreamRow[]>;
  stream(stream: FetchStream): Promise<FetchStreamRow | undefined>;
  /** Members of the chat with an open user stream (im.v2.Event.subscribe), but not these. */
  subscribersIn(chatId: number, exclude: readonly number[]): Promise<number[]>;
  /**
   * Inside a transaction: appends one event to each open stream of `to` (a closed one is skipped), each with its
   * own id from the fetch sequence, which stays locked until commit (so ids commit in order). A stream over `cap`
   * loses its oldest events (counted in dropped). Returns the ids given.
   */
  append(to: readonly FetchStream[], type: string, data: string, date: number, cap: number): Promise<number[]>;
  /** Deletes the events of these streams below `offset` (acknowledged); returns how many. */
  acknowledge(streams: readonly FetchStream[], offset: number): Promise<number>;
  /** Events of these streams at or after `offset`, in id order, at most `limit`. */
  read(streams: readonly FetchStream[], offset: number, limit: number): Promise<FetchEventRow[]>;
}

/** Push & Pull channels and the durable message log (app/pull/). */
export interface PullRepo {
  /** The user's channel of a type that is still valid after `validAfter` (unix seconds), newest first. */
  currentChannel(userId: number, type: string, validAfter: number): Promise<PullChannelRow | undefined>;
  channelById(channelId: string): Promise<PullChannelRow | undefined>;
  createChannel(row: Omit<PullChannelRow, 'id'>): Promise<PullChannelRow>;
  /** Appends messages (ids in order); on PostgreSQL also notifies the other nodes on commit. */
  append(rows: NewPullMessage[]): Promise<number[]>;
  /** Messages with id > `id`, in id order. */
  after(id: number, limit: number, opts?: { channelType?: string; notExpiredAt?: number }): Promise<PullMessageRow[]>;
  maxId(): Promise<number>;
  /** Forgets expired messages (and channels expired for a day). */
  prune(now: number): Promise<number>;
}

/** Usage of the file store (b24im files quota). */
export interface FileUsage {
  /** File records and the bytes they stand for (a copy counts again). */
  files: number;
  fileBytes: number;
  /** Distinct contents kept and their bytes (what the disk or database holds). */
  blobs: number;
  blobBytes: number;
}

/** Folders, file records and blob reference counts (im.disk.*); and on PostgreSQL the blob bytes themselves. */
export interface FileRepo {
  folder(id: number): Promise<FolderRow | undefined>;
  folderOf(kind: 'chat' | 'saved', chatId: number, userId: number): Promise<FolderRow | undefined>;
  /** The folder, created if missing (concurrent callers get the same row). */
  ensureFolder(kind: 'chat' | 'saved', chatId: number, userId: number, name: string, now: number): Promise<FolderRow>;
  insert(file: NewFile): Promise<FileRow>;
  get(id: number): Promise<FileRow | undefined>;
  getMany(ids: readonly number[]): Promise<FileRow[]>;
  ofMessages(messageIds: readonly number[]): Promise<FileRow[]>;
  namesIn(folderId: number): Promise<string[]>;
  update(id: number, patch: FilePatch): Promise<void>;
  delete(id: number): Promise<void>;
  /** One more file record points at this content. */
  addBlobRef(key: string, size: number, now: number): Promise<void>;
  /** One fewer; returns the references left. A row at zero waits for the collector (FilesService.collect). */
  releaseBlob(key: string): Promise<number>;
  unreferencedBlobs(limit: number): Promise<string[]>;
  deleteBlob(key: string): Promise<void>;
  blob(key: string): Promise<{ key: string; size: number; refs: number } | undefined>;
  usage(): Promise<FileUsage>;
  /** Every blob key (orphan checks of the local store). */
  blobKeys(): Promise<string[]>;
  // The shared store's bytes (PostgreSQL only).
  chunkWrite(key: string, seq: number, data: Buffer): Promise<void>;
  chunkRead(key: string, fromSeq: number, toSeq: number): Promise<{ seq: number; data: Buffer }[]>;
  chunkCount(key: string): Promise<number>;
  chunkRename(from: string, to: string): Promise<void>;
  chunkDelete(key: string): Promise<void>;
  stagingAdd(key: string, now: number): Promise<void>;
  stagingRemove(key: string): Promise<void>;
  stagingOlderThan(date: number): Promise<string[]>;
}

/** Versions of a user's recent list, kept by triggers (migration 081): what a cached answer is checked against. */
export interface RecentVersionRepo {
  /** One statement: a token that differs whenever anything the user's im.recent.get shows may have changed. */
  token(userId: number): Promise<string>;
}

/** Recent searches (im.search.last.*). */
export interface SearchLastRepo {
  /** The user's dialog ids, newest first. */
  list(userId: number, limit: number): Promise<string[]>;
  /** Adds or refreshes one, keeping at most `keep` per user. */
  add(userId: number, dialogId: string, date: number, keep: number): Promise<void>;
  /** Returns whether it was there. */
  remove(userId: number, dialogId: string): Promise<boolean>;
}

/** The company structure (im.department.*, b24im department). */
export interface DepartmentRepo {
  all(): Promise<DepartmentRow[]>;
  get(id: number): Promise<DepartmentRow | undefined>;
  /** Adds a department with the next free id (inside a transaction holding the 'departments' lock). */
  add(row: Omit<DepartmentRow, 'id'>): Promise<DepartmentRow>;
  update(id: number, patch: Partial<Omit<DepartmentRow, 'id'>>): Promise<void>;
}

export interface NotificationPageQuery {
  userId: number;
  /** Confirm notifications (type 1) or all the others. */
  confirms: boolean;
  /** Only ids below this (the previous page's last id). */
  beforeId?: number;
  limit: number;
}

export interface NotificationSearch {
  userId: number;
  /** Substring of the text, any case. */
  text?: string;
  /** [module, event] pairs; an empty event matches the whole module. */
  types?: [string, string][];
  /** Unix seconds: from (inclusive) and to (exclusive). */
  from?: number;
  to?: number;
  authors?: number[];
  /** Exact tag (GROUP_TAG). */
  tag?: string;
  beforeId?: number;
  limit: number;
}

export interface NotificationRepo {
  add(row: NewNotification): Promise<number>;
  get(id: number): Promise<NotificationRow | undefined>;
  /** Newest first. */
  page(q: NotificationPageQuery): Promise<NotificationRow[]>;
  search(q: NotificationSearch): Promise<NotificationRow[]>;
  /** How many match, whatever the page. */
  countMatching(q: NotificationSearch): Promise<number>;
  counts(userId: number): Promise<{ total: number; unread: number }>;
  /** Marks one notification (or it and every newer one of the user) read or unread; returns how many changed. */
  setRead(userId: number, fromId: number, orNewer: boolean, read: boolean): Promise<number>;
  delete(id: number): Promise<void>;
  /** Deletes by tag or sub-tag (of one recipient when given); returns how many. */
  deleteByTag(field: 'tag' | 'sub_tag', value: string, userId?: number): Promise<number>;
}

/** Connections of a PostgreSQL pool (metrics). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** The connection pool's use, on PostgreSQL (SQLite has one connection and no pool). */
  poolStats?(): PoolStats;
  readonly users: UserRepo;
  readonly auth: AuthRepo;
  readonly portal: PortalRepo;
  readonly chats: ChatRepo;
  readonly members: MemberRepo;
  readonly recent: RecentRepo;
  readonly messages: MessageRepo;
  readonly bulk: BulkRepo;
  readonly openlines: OpenLinesRepo;
  readonly bots: BotRepo;
  readonly events: EventRepo;
  readonly commands: CommandRepo;
  readonly changes: ChangeRepo;
  readonly offline: OfflineRepo;
  readonly options: OptionRepo;
  readonly reactions: ReactionRepo;
  /** Bots 2.0 fetch queues (imbot.v2.Event.get, im.v2.Event.get). */
  readonly fetch: FetchRepo;
  readonly pull: PullRepo;
  readonly files: FileRepo;
  readonly notifications: NotificationRepo;
  readonly departments: DepartmentRepo;
  readonly searchLast: SearchLastRepo;
  readonly recentVersions: RecentVersionRepo;
  /**
   * Runs fn atomically; nested calls join the outer transaction. SQLite runs transactions one at a time;
   * PostgreSQL runs them concurrently at READ COMMITTED, so a transaction that writes what it computed from
   * rows it read must lock them first: chats.getForUpdate(id) for a chat and its members, lock(key) for
   * anything else (see docs/deploy.md). fn may run again after a deadlock: keep side effects until it returns.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: waits until no other transaction holds `key`, then holds it until commit or
   * rollback (PostgreSQL advisory lock; SQLite transactions are serial already).
   */
  lock(key: string): Promise<void>;
  close(): Promise<void>;
}
