// Table shapes, shared by every SQL backend. Dates are unix seconds (integers); flags are 0/1 integers,
// so the same rows mean the same thing in SQLite and PostgreSQL.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  active: number;
  is_admin: number;
  name: string;
  last_name: string;
  second_name: string;
  email: string;
  work_position: string;
  color: string;
  /** Avatar URL, '' when none. */
  avatar: string;
  gender: string;
  /** 'DD-MM' or ''. */
  birthday: string;
  extranet: number;
  network: number;
  bot: number;
  connector: number;
  external_auth_id: string;
  status: string;
  idle: number | null;
  last_activity_date: number | null;
  mobile_last_date: number | null;
  desktop_last_date: number | null;
  absent: number | null;
  /** JSON array of department ids. */
  departments: string;
  website: string;
  phone: string;
  time_zone: string;
  date_register: number;
}

export interface WebhooksTable {
  id: Generated<number>;
  user_id: number;
  /** sha256 hex of the secret code. */
  code_hash: string;
  /** Comma-separated scopes. */
  scopes: string;
  title: string;
  date_create: number;
}

export interface AppsTable {
  id: Generated<number>;
  code: string;
  client_id: string;
  /** sha256 hex of the client secret. */
  client_secret_hash: string;
  scopes: string;
  handler_url: string;
  application_token: string;
  installed: number;
  date_create: number;
  /** Set for the application of a webhook's CLIENT_ID (webhook bots); null for real applications. */
  webhook_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The installed version (b24im app update raises it). */
  version: ColumnType<number, number | undefined, number>;
}

/** A dialog a user picked from search results (im.search.last.*). */
export interface SearchLastTable {
  user_id: number;
  /** chatN or a user id, as DIALOG_ID names it. */
  dialog_id: string;
  date: number;
}

/** A department of the company structure; 1 is the company itself (parent 0). */
export interface DepartmentsTable {
  id: number;
  name: string;
  parent_id: number;
  /** The department's head (manager), 0 when none. */
  head_id: number;
}

/** One notification (im.notify.*): type 1 confirm (buttons), 2 from a user, 4 system. */
export interface NotificationsTable {
  id: Generated<number>;
  /** The recipient. */
  user_id: number;
  /** The recipient's notification chat (type S). */
  chat_id: number;
  /** 0 for system notifications. */
  author_id: number;
  type: number;
  module: string;
  event: string;
  /** '' when none; an application's tags carry its MP|key| prefix. */
  tag: string;
  sub_tag: string;
  title: string;
  text: string;
  text_out: string;
  /** JSON of the normalised attachment, '' when none. */
  attach: string;
  /** JSON of the confirm buttons [{TITLE, VALUE, TYPE}], '' when none. */
  buttons: string;
  /** 1 when the notification takes a quick answer (im.notify.answer). */
  answer: number;
  is_read: number;
  date: number;
}

export interface AppOptionsTable {
  app_id: number;
  name: string;
  /** JSON of the value as the application set it. */
  value: string;
}

export interface UserOptionsTable {
  app_id: number;
  user_id: number;
  name: string;
  value: string;
}

export interface TokensTable {
  id: Generated<number>;
  /** sha256 hex of the access token. */
  access_hash: string;
  /** sha256 hex of the refresh token. */
  refresh_hash: string;
  user_id: number;
  app_id: number | null;
  scopes: string;
  expires_at: number;
  refresh_expires_at: number;
  revoked: number;
  date_create: number;
}

export interface PortalTable {
  key: string;
  value: string;
}

/** One chat of any kind. A one-to-one dialog is a chat of type P with dialog_key "minId:maxId". */
export interface ChatsTable {
  id: Generated<number>;
  /** P private, C closed group, O open group, L open line. */
  type: string;
  dialog_key: string | null;
  title: string;
  description: string;
  color: string;
  avatar: string;
  owner_id: number;
  author_id: number;
  entity_type: string;
  entity_id: string;
  entity_data_1: string;
  entity_data_2: string;
  entity_data_3: string;
  date_create: number;
  /** Activity that changes every member's recent item (new last message, rename...). */
  date_update: number;
  last_message_id: number;
  /** Date of the latest post (kept when that message is deleted): the chat's last activity. */
  last_message_date: number | null;
  /** Per-chat message sequence: the n-th message of a chat has seq n (deleted ones keep theirs). */
  last_seq: number;
  /** Highest seq of a deleted message, so counters skip the deletion lookup when nothing was deleted. */
  deleted_seq_max: number;
  member_count: number;
  /** 1 when member_count exceeds the fan-out limit: members' recent rows are then not touched per message. */
  large: number;
  extranet: number;
  /** 0 when a bot switched the chat's text field off (imbot.v2.Chat.TextField.enabled). */
  text_field: Generated<number>;
}

/** A reaction other than "like" (kept in the message's LIKE list) set by a user on a message. */
export interface MessageReactionsTable {
  message_id: number;
  user_id: number;
  reaction: string;
  date_create: number;
}

/** A user's membership of a chat, which is also the user's recent-list row for that chat. */
export interface MembersTable {
  chat_id: number;
  user_id: number;
  /** P, C, O or L: the chat type, copied for the recent index. */
  item_type: string;
  /** Recent item id: the peer's user id for P, the chat id otherwise. */
  item_id: number;
  /** Copy of chats.large. */
  large: number;
  role: string;
  date_join: number;
  /** Everything up to this chat seq is read. */
  read_seq: number;
  /** Id of the last read message (the recent item's last_id). */
  read_message_id: number;
  /** Seq of the user's own newest message in this chat. */
  last_own_seq: number;
  muted: number;
  pinned: number;
  pin_sort: number;
  /** Manual unread mark (im.recent.unread). */
  unread: number;
  /** Hidden (im.recent.hide) until the chat's seq passes hidden_seq (a new message), a pin or an unread mark. */
  hidden: number;
  hidden_seq: number;
  /** When this user's item last changed (fanned out for small chats; user actions for all). */
  date_update: number;
  date_last_activity: number;
  /** First chat seq this member may read (HIDE_HISTORY); 0 for the whole history. */
  start_seq: number;
}

export interface MessagesTable {
  id: Generated<number>;
  chat_id: number;
  seq: number;
  author_id: number;
  text: string;
  system: number;
  /** JSON object: ATTACH, KEYBOARD, MENU, URL_PREVIEW, FILE_ID... */
  params: string;
  has_file: number;
  has_attach: number;
  uuid: string | null;
  date: number;
  date_edit: number | null;
  deleted: number;
  /** 1 once a member other than the author has read it (message.status "delivered"). */
  notify_read: number;
}

/** An open line (imopenlines.config.*). */
export interface OlLinesTable {
  id: Generated<number>;
  name: string;
  active: number;
  /** evenly, strictly or all. */
  queue_type: string;
  welcome_message: number;
  welcome_message_text: string;
  /** JSON object: every other PARAMS field as given. */
  settings: string;
  /** JSON array of {ENTITY_TYPE, ENTITY_ID}. */
  config_queue: string;
  author_id: number;
  modify_user_id: number;
  date_create: number;
  date_modify: number;
}

/** One operator of a line, in queue order. */
export interface OlQueueTable {
  id: Generated<number>;
  line_id: number;
  user_id: number;
  sort: number;
  /** The department the user came from, 0 when listed directly. */
  department_id: number;
}

/** A custom connector registered by an application (imconnector.register). */
export interface OlConnectorsTable {
  /** The connector code (lower case). */
  id: string;
  app_id: number;
  name: string;
  icon: string;
  icon_disabled: string;
  placement_handler: string;
  options: string;
  date_create: number;
}

export interface OlConnectorLinesTable {
  connector_id: string;
  line_id: number;
  active: number;
  date_update: number;
  /** JSON object set by imconnector.connector.data.set. */
  data: string;
}

/** The portal user that stands for an external customer of a connector. */
export interface OlCustomersTable {
  connector_id: string;
  external_id: string;
  user_id: number;
}

/** A session of an open-line chat: one conversation from the customer's first message to its closing. */
export interface OlSessionsTable {
  id: Generated<number>;
  chat_id: number;
  line_id: number;
  connector_id: string;
  /** connector|lineId|connectorChatId|customerUserId, the chat's entity_id. */
  user_code: string;
  customer_id: number;
  /** 0 while nobody took the session. */
  operator_id: number;
  /** Portal session status codes (see app/lines-sessions.ts). */
  status: number;
  date_create: number;
  date_operator: number | null;
  date_modify: number;
  date_close: number | null;
  /** imopenlines.session.mode.pin: kept with its operator (see app/lines-sessions.ts). */
  pinned: Generated<number>;
  /** imopenlines.session.mode.silent: operators' messages stay inside (not passed to the connector). */
  silent: Generated<number>;
  /** imopenlines.session.head.vote: the head's rating (1-5, 0 none) and comment. */
  vote_head: Generated<number>;
  comment_head: string | null;
  /** The session's messages: the chat's with start_seq < seq <= end_seq (end_seq 0 while open). */
  start_seq: Generated<number>;
  end_seq: Generated<number>;
}

/** A line's quick answer saved from a message (imopenlines.message.quick.save). */
export interface OlQuickAnswersTable {
  id: Generated<number>;
  line_id: number;
  message_id: number;
  text: string;
  author_id: number;
  date_create: number;
  date_modify: number;
}

/** A chat bot: a user (users.bot = 1) registered by an application; id is the user id. */
export interface BotsTable {
  id: number;
  app_id: number;
  code: string;
  /** B standard, O open lines, H human-like, S supervisor (sees every message of its chats). */
  type: string;
  openline: number;
  date_create: number;
  /** 1 for bots of imbot.register, 2 for imbot.v2.Bot.register: a bot receives events in its own API's format. */
  api_version: Generated<number>;
  /** The 2.0 type name (bot, supervisor, personal, openline, network); '' for classic bots. */
  v2_type: Generated<string>;
  /** 'fetch' or 'webhook' for 2.0 bots; '' for classic bots. */
  event_mode: Generated<string>;
  webhook_url: Generated<string>;
  hidden: Generated<number>;
  reactions: Generated<number>;
  background_id: string | null;
  /** Messages the bot wrote (counted in the message's transaction). */
  count_message: Generated<number>;
}

/** A fetch queue's bookkeeping: a 2.0 bot in fetch mode ('bot') or a user subscribed to im.v2 events ('user'). */
export interface FetchStreamsTable {
  kind: string;
  owner_id: number;
  /** Rows in the queue now. */
  queued: number;
  /** Events removed unread because the queue was at its cap. */
  dropped: number;
  date_create: number;
}

export interface FetchEventsTable {
  id: Generated<number>;
  kind: string;
  owner_id: number;
  /** Position in the one fetch sequence: the eventId a client sees and acknowledges with offset. */
  event_id: number;
  type: string;
  /** JSON of the event's data. */
  data: string;
  date_create: number;
}

export interface FetchSequenceTable {
  name: string;
  value: number;
}

/** An application's event handler (event.bind, or the handlers imbot.register binds). */
export interface EventHandlersTable {
  id: Generated<number>;
  app_id: number;
  /** Upper-case event name, e.g. ONIMBOTMESSAGEADD. */
  event: string;
  handler: string;
  /** User whose auth the handler gets; 0 = the user who caused the event. */
  auth_type: number;
  user_id: number;
  date_create: number;
  /** 1 for an offline binding (event.bind event_type=offline): events are kept for event.offline.get. */
  offline: ColumnType<number, number | undefined, number>;
}

export interface EventOfflineTable {
  id: Generated<number>;
  app_id: number;
  event: string;
  /** JSON of EVENT_DATA (the event's data as a handler would get it, without tokens). */
  data: string;
  /** JSON of EVENT_ADDITIONAL. */
  additional: string;
  message_id: string;
  process_id: string;
  error: number;
  /** Unix seconds. */
  date_create: number;
}

/** An event waiting for (or done with) delivery to one handler URL. */
export interface EventOutboxTable {
  id: Generated<number>;
  app_id: number | null;
  handler_id: number | null;
  event: string;
  handler_url: string;
  /** JSON of the form's `data` object (every leaf a string), without the BOT auth blocks. */
  data: string;
  /** User whose auth block is sent as `auth` (0: none). */
  auth_user_id: number;
  /** JSON [{id, code}] of the bots whose auth blocks go into data[BOT]. */
  bots: string;
  /** pending, done, failed (attempts exhausted). */
  status: string;
  attempts: number;
  /** Unix milliseconds. */
  next_attempt_at: number;
  /** Unix milliseconds: a claim by a worker (node) that lapses if the node dies. */
  locked_until: number | null;
  locked_by: string | null;
  last_error: string;
  date_create: number;
  date_done: number | null;
}

/** A bot's command (imbot.command.register); flags are 0/1. */
export interface BotCommandsTable {
  id: Generated<number>;
  bot_id: number;
  app_id: number;
  /** Without the leading slash. */
  command: string;
  common: number;
  hidden: number;
  extranet_support: number;
  /** JSON [{LANGUAGE_ID, TITLE, PARAMS}]. */
  lang: string;
  date_create: number;
}

/** A bot may answer commands in this dialog until date_expire (the portal's bot token). */
export interface BotGrantsTable {
  bot_id: number;
  dialog_id: string;
  date_expire: number;
}

export interface EventLogTable {
  id: Generated<number>;
  outbox_id: number;
  app_id: number | null;
  event: string;
  handler_url: string;
  attempt: number;
  ok: number;
  http_status: number | null;
  error: string;
  duration_ms: number;
  date: number;
}

export interface ChangeLogTable {
  id: Generated<number>;
  /** What changed: messageAdded, messageUpdated, ... (app/events.ts). */
  kind: string;
  chat_id: number;
  /** JSON of the change as app/ describes it (rows as they were at commit). */
  payload: string;
  /** 1 until the event dispatcher has handled it. */
  pending: number;
  /** Why the dispatcher gave up on it ('' when it did not). */
  error: string;
  date_create: number;
}

export interface FoldersTable {
  id: Generated<number>;
  kind: 'chat' | 'saved';
  chat_id: number;
  user_id: number;
  name: string;
  date_create: number;
}

export interface BlobsTable {
  /** sha256 of the content, hex. */
  key: string;
  size: number;
  /** File records pointing at it; the bytes are freed when it reaches 0. */
  refs: number;
  date_create: number;
}

export interface FilesTable {
  id: Generated<number>;
  folder_id: number;
  chat_id: number;
  /** The user whose "Saved files" folder holds it (0 in a chat's folder). */
  owner_id: number;
  name: string;
  extension: string;
  mime: string;
  size: number;
  blob_key: string;
  width: number;
  height: number;
  author_id: number;
  message_id: number;
  as_file: number;
  date_create: number;
}

export interface BlobChunksTable {
  key: string;
  seq: number;
  data: Buffer;
}

export interface BlobStagingTable {
  key: string;
  date_create: number;
}

export interface Database {
  users: UsersTable;
  webhooks: WebhooksTable;
  apps: AppsTable;
  tokens: TokensTable;
  portal: PortalTable;
  chats: ChatsTable;
  members: MembersTable;
  messages: MessagesTable;
  ol_lines: OlLinesTable;
  ol_queue: OlQueueTable;
  ol_connectors: OlConnectorsTable;
  ol_connector_lines: OlConnectorLinesTable;
  ol_customers: OlCustomersTable;
  ol_sessions: OlSessionsTable;
  ol_quick_answers: OlQuickAnswersTable;
  bots: BotsTable;
  event_handlers: EventHandlersTable;
  event_outbox: EventOutboxTable;
  event_log: EventLogTable;
  bot_commands: BotCommandsTable;
  bot_grants: BotGrantsTable;
  change_log: ChangeLogTable;
  event_offline: EventOfflineTable;
  app_options: AppOptionsTable;
  user_options: UserOptionsTable;
  fetch_streams: FetchStreamsTable;
  fetch_events: FetchEventsTable;
  fetch_sequence: FetchSequenceTable;
  pull_channels: PullChannelsTable;
  pull_messages: PullMessagesTable;
  folders: FoldersTable;
  blobs: BlobsTable;
  files: FilesTable;
  blob_chunks: BlobChunksTable;
  blob_staging: BlobStagingTable;
  notifications: NotificationsTable;
  message_reactions: MessageReactionsTable;
  departments: DepartmentsTable;
  search_last: SearchLastTable;
}

export type UserRow = Selectable<UsersTable>;
export type FetchEventRow = Selectable<FetchEventsTable>;
export type FetchStreamRow = Selectable<FetchStreamsTable>;
export type ChangeRow = Selectable<ChangeLogTable>;
export type NewChangeRow = Insertable<ChangeLogTable>;
export type NewUser = Insertable<UsersTable>;
export type UserPatch = Updateable<UsersTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type AppRow = Selectable<AppsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;
export type NewNotification = Insertable<NotificationsTable>;
export type TokenRow = Selectable<TokensTable>;
export type ChatRow = Selectable<ChatsTable>;
export type MemberRow = Selectable<MembersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewChat = Insertable<ChatsTable>;
export type ChatPatch = Updateable<ChatsTable>;
export type NewMember = Insertable<MembersTable>;
export type MemberPatch = Updateable<MembersTable>;
export type NewMessage = Insertable<MessagesTable>;
export type MessagePatch = Updateable<MessagesTable>;
export type LineRow = Selectable<OlLinesTable>;
export type NewLine = Insertable<OlLinesTable>;
export type LinePatch = Updateable<OlLinesTable>;
export type QueueRow = Selectable<OlQueueTable>;
export type ConnectorRow = Selectable<OlConnectorsTable>;
export type ConnectorLineRow = Selectable<OlConnectorLinesTable>;
export type SessionRow = Selectable<OlSessionsTable>;
export type NewSession = Insertable<OlSessionsTable>;
export type SessionPatch = Updateable<OlSessionsTable>;
export type QuickAnswerRow = Selectable<OlQuickAnswersTable>;
export type BotRow = Selectable<BotsTable>;
export type NewBot = Insertable<BotsTable>;
export type EventHandlerRow = Selectable<EventHandlersTable>;
export type OfflineEventRow = Selectable<EventOfflineTable>;
export type NewOfflineEvent = Insertable<EventOfflineTable>;
export type OutboxRow = Selectable<EventOutboxTable>;
export type NewOutboxRow = Insertable<EventOutboxTable>;
export type EventLogRow = Selectable<EventLogTable>;
export type BotCommandRow = Selectable<BotCommandsTable>;
export type NewBotCommand = Insertable<BotCommandsTable>;

/** Push & Pull channels (migration 075). */
export interface PullChannelsTable {
  id: Generated<number>;
  user_id: number;
  type: string;
  channel_id: string;
  public_id: string;
  date_create: number;
  date_expire: number;
}

/** Push & Pull's durable message log (migration 075). */
export interface PullMessagesTable {
  id: Generated<number>;
  channel_type: string;
  user_ids: string;
  body: string;
  user_params: string;
  date_create: number;
  date_expire: number;
}

export type PullChannelRow = Selectable<PullChannelsTable>;
export type PullMessageRow = Selectable<PullMessagesTable>;
export type NewPullMessage = Insertable<PullMessagesTable>;
export type FolderRow = Selectable<FoldersTable>;
export type FileRow = Selectable<FilesTable>;
export type NewFile = Insertable<FilesTable>;
export type FilePatch = Updateable<FilesTable>;
