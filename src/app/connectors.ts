// Custom connectors (imconnector.*): an application brings its external customers' messages into open lines.
import { BitrixError, Errors } from '../errors.ts';
import type { AppRow, ChatRow, ConnectorRow, MessageRow, Store, UserRow } from '../store/store.ts';
import type { Config } from '../config.ts';
import { newChatRow } from './chat-rows.ts';
import type { ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { MessengerEvents } from './events.ts';
import { MAX_MESSAGE_LENGTH } from './limits.ts';
import { isClosed, type SessionsService } from './lines-sessions.ts';
import { postInTx } from './posting.ts';
import type { ReadsService } from './reads.ts';
import type { UsersService } from './users.ts';

export interface ConnectorInput {
  id: string;
  name: string;
  icon: Record<string, unknown>;
  iconDisabled: Record<string, unknown>;
  placementHandler: string;
  options: Record<string, unknown>;
}

/** A registration failure: a portal answers these inside a 200 result. */
export interface SoftError {
  error: string;
  error_description: string;
}

export interface ConnectorStatus {
  LINE: number;
  CONNECTOR: string;
  ERROR: boolean;
  CONFIGURED: boolean;
  STATUS: boolean;
}

/** One element of imconnector.send.messages, already checked for shape. */
export interface IncomingMessage {
  user: { id: string; name?: string; lastName?: string; picture?: string; gender?: 'M' | 'F'; email?: string; phone?: string };
  message: { id?: string; text: string; files: { url: string; name: string }[]; userId?: number };
  chat: { id: string; name?: string; url?: string };
}

export interface Delivered {
  customer: UserRow;
  chat: ChatRow;
  sessionId: number;
  message: MessageRow;
}

export class ConnectorsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly users: UsersService,
    private readonly chats: ChatsService,
    private readonly sessions: SessionsService,
    private readonly reads: ReadsService,
    private readonly events: MessengerEvents,
  ) {}

  /** Registers (or, for the same application, updates) a connector; a soft error otherwise. */
  async register(app: AppRow, input: ConnectorInput): Promise<SoftError | undefined> {
    const existing = await this.store.openlines.connector(input.id);
    if (existing && existing.app_id !== app.id) {
      return { error: 'GENERAL_CONNECTOR_REGISTRATION_ERROR', error_description: `Connector ${input.id} belongs to another application` };
    }
    await this.store.openlines.saveConnector({
      id: input.id,
      app_id: app.id,
      name: input.name,
      icon: JSON.stringify(input.icon),
      icon_disabled: JSON.stringify(input.iconDisabled),
      placement_handler: input.placementHandler,
      options: JSON.stringify(input.options),
      date_create: existing?.date_create ?? this.clock(),
    });
    return undefined;
  }

  /** False when the application has no such connector. */
  async unregister(app: AppRow, id: string): Promise<boolean> {
    const connector = await this.store.openlines.connector(id);
    if (!connector || connector.app_id !== app.id) return false;
    await this.store.openlines.deleteConnector(id);
    return true;
  }

  /** Every connector of the portal (b24im has no built-in ones). */
  async list(): Promise<ConnectorRow[]> {
    return this.store.openlines.connectors();
  }

  async activate(app: AppRow, connectorId: string, lineId: number, active: boolean): Promise<void> {
    await this.requireConnector(app, connectorId);
    if (!(await this.store.openlines.line(lineId))) throw notActiveLine(lineId);
    await this.store.openlines.setConnectorLine({ connector_id: connectorId, line_id: lineId, active: active ? 1 : 0, date_update: this.clock() });
  }

  /** A custom connector is fully set up once activated on a line (no external registration step). */
  async status(app: AppRow, connectorId: string, lineId: number): Promise<ConnectorStatus> {
    const connector = await this.store.openlines.connector(connectorId);
    const link = connector && connector.app_id === app.id && lineId > 0 ? await this.store.openlines.connectorLine(connectorId, lineId) : undefined;
    const line = link ? await this.store.openlines.line(lineId) : undefined;
    const configured = link?.active === 1;
    return { LINE: lineId, CONNECTOR: connectorId, ERROR: false, CONFIGURED: configured, STATUS: configured && line?.active === 1 };
  }

  /** imconnector.connector.data.set: the external channel behind the connector on a line. */
  async setData(app: AppRow, connectorId: string, lineId: number, data: Record<string, unknown>): Promise<void> {
    await this.requireConnector(app, connectorId);
    if (!(await this.store.openlines.line(lineId))) throw notActiveLine(lineId);
    await this.store.openlines.setConnectorData(connectorId, lineId, JSON.stringify(data), this.clock());
  }

  /** imconnector.chat.name.set: renames the open-line chat of a customer in an external chat. */
  async renameChat(connectorId: string, lineId: number, externalChatId: string, externalUserId: string, name: string): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const customerId = await tx.openlines.customer(connectorId, externalUserId);
      const chatId = customerId ? await tx.openlines.chatIdByUserCode(`${connectorId}|${lineId}|${externalChatId}|${customerId}`) : undefined;
      if (!chatId) throw Errors.method('CHAT_RENAMING_FAILED', 'There is no such chat to rename');
      await tx.chats.update(chatId, { title: name, date_update: now });
      const chat = (await tx.chats.get(chatId))!;
      if (!chat.large) await tx.members.touchAll(chatId, now, false);
    });
  }

  /**
   * imconnector.send.status.reading: the customer read operators' messages up to im.message_id. False for a chat
   * that is not this connector's on this line.
   */
  async customerRead(connectorId: string, lineId: number, chatId: number, messageId: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const chat = await tx.chats.get(chatId);
      const session = chat?.type === 'L' ? await tx.openlines.lastSession(chatId) : undefined;
      if (!chat || !session || session.connector_id !== connectorId || !session.user_code.startsWith(`${connectorId}|${lineId}|`)) return false;
      const member = await tx.members.get(chatId, session.customer_id);
      if (!member) return false;
      await this.reads.readInTx(tx, { chat, member }, session.customer_id, messageId);
      return true;
    });
  }

  /** Checks that messages may enter the line through the connector (before any of them is handled). */
  async checkInbound(app: AppRow, connectorId: string, lineId: number): Promise<void> {
    await this.requireConnector(app, connectorId);
    const line = await this.store.openlines.line(lineId);
    const link = await this.store.openlines.connectorLine(connectorId, lineId);
    if (!line || !line.active || link?.active !== 1) throw notActiveLine(lineId);
  }

  /**
   * One customer message: the customer's user, the chat of (connector, line, external chat, customer), a new
   * session when none is open, then the message itself. One transaction per message.
   */
  async receive(connectorId: string, lineId: number, input: IncomingMessage): Promise<Delivered> {
    const text = input.message.text.trim();
    if (!text && input.message.files.length === 0) throw Errors.method('MESSAGE_EMPTY', 'Message text or files are required');
    if (text.length > MAX_MESSAGE_LENGTH) throw Errors.method('MESSAGE_TOO_LONG', `Message is longer than ${MAX_MESSAGE_LENGTH} characters`);
    const now = this.clock();
    const delivered = await this.store.transaction(async (tx) => {
      const line = await tx.openlines.lineForUpdate(lineId);
      if (!line || !line.active) throw notActiveLine(lineId);
      const customer = await this.customerInTx(tx, connectorId, input.user);
      const userCode = `${connectorId}|${lineId}|${input.chat.id}|${customer.id}`;
      const knownChatId = await tx.openlines.chatIdByUserCode(userCode);
      const firstContact = knownChatId === undefined;
      let chat = knownChatId ? (await tx.chats.get(knownChatId))! : await this.createChatInTx(tx, customer, line.name, userCode, now);
      let session = await tx.openlines.lastSession(chat.id);
      const fresh = !session || isClosed(session);
      if (fresh) session = await this.sessions.startInTx(tx, chat, line, { connectorId, userCode, customerId: customer.id }, now);
      else await this.sessions.customerWroteInTx(tx, session!, now);
      // A welcome bot that took the new session gets its ONIMBOTJOINCHAT.
      const welcomeBot = fresh ? await this.sessions.welcomeBotInTx(tx, line) : undefined;
      chat = (await tx.chats.get(chat.id))!;
      let authorId = customer.id;
      if (input.message.userId !== undefined) {
        if (!(await tx.members.get(chat.id, input.message.userId))) throw Errors.method('USER_ID', 'The operator is not a member of this dialog');
        authorId = input.message.userId;
      }
      const params: Record<string, unknown> = { IMOL_SID: session!.id };
      if (input.message.id) params.CONNECTOR_MID = [input.message.id];
      if (input.message.files.length) params.FILES = input.message.files;
      const message = await postInTx(tx, chat, { authorId, text, params, hasFile: input.message.files.length > 0 }, now);
      if (authorId !== customer.id) await this.sessions.onMessageInTx(tx, chat, message, now);
      const settings = JSON.parse(line.settings) as Record<string, unknown>;
      if (fresh && line.welcome_message && line.welcome_message_text.trim() && (firstContact || settings.SEND_WELCOME_EACH_SESSION === 'Y')) {
        await postInTx(tx, (await tx.chats.get(chat.id))!, { authorId: 0, text: line.welcome_message_text.trim(), system: true, params: { IMOL_SID: session!.id } }, now);
      }
      const done = { customer, chat: (await tx.chats.get(chat.id))!, sessionId: session!.id, message };
      // A welcome bot that took the new session gets its ONIMBOTJOINCHAT before the customer's message.
      if (welcomeBot) await this.events.record(tx, 'membersAdded', { chat: done.chat, userIds: [welcomeBot], byUserId: customer.id });
      const author = authorId === customer.id ? customer : await tx.users.get(authorId);
      await this.events.record(tx, 'messageAdded', { message, chat: done.chat, author, memberIds: await tx.members.userIds(chat.id) });
      return done;
    });
    this.events.committed();
    return delivered;
  }

  /**
   * A message a connector sent, by its external ids (imconnector.update.messages / delete.messages): the customer
   * and the chat as send.messages made them, then the message that carried that external id.
   */
  async locate(connectorId: string, lineId: number, ids: { user: string; chat: string; message: string }): Promise<{ message: MessageRow; author: UserRow } | undefined> {
    const customerId = await this.store.openlines.customer(connectorId, ids.user);
    if (!customerId) return undefined;
    const chatId = await this.store.openlines.chatIdByUserCode(`${connectorId}|${lineId}|${ids.chat}|${customerId}`);
    const message = chatId ? await this.store.messages.byConnectorMid(chatId, ids.message) : undefined;
    const author = message ? await this.store.users.get(message.author_id) : undefined;
    return message && author ? { message, author } : undefined;
  }

  private async requireConnector(app: AppRow, connectorId: string): Promise<ConnectorRow> {
    const connector = await this.store.openlines.connector(connectorId);
    if (!connector || connector.app_id !== app.id) {
      throw Errors.method('IMCONNECTOR_NO_CORRECT_PROVIDER', `Connector ${connectorId} is not registered by this application`);
    }
    return connector;
  }

  /** The portal user standing for an external customer, created on first contact and kept up to date. */
  private async customerInTx(tx: Store, connectorId: string, u: IncomingMessage['user']): Promise<UserRow> {
    const known = await tx.openlines.customer(connectorId, u.id);
    const name = u.name?.trim() || (known ? undefined : this.config.language === 'ru' ? 'Гость' : 'Guest');
    if (known) {
      const user = (await tx.users.get(known))!;
      const patch: Partial<UserRow> = {};
      if (name && name !== user.name) patch.name = name;
      if (u.lastName !== undefined && u.lastName.trim() !== user.last_name) patch.last_name = u.lastName.trim();
      if (u.picture !== undefined && u.picture !== user.avatar) patch.avatar = u.picture;
      if (u.email !== undefined && u.email !== user.email) patch.email = u.email;
      if (u.phone !== undefined && u.phone !== user.phone) patch.phone = u.phone;
      if (Object.keys(patch).length) await tx.users.update(user.id, patch);
      return { ...user, ...patch };
    }
    const user = await this.users.createInTx(tx, {
      name: name!,
      lastName: u.lastName,
      email: u.email,
      gender: u.gender,
      avatar: u.picture,
      connector: true,
      externalAuthId: 'imconnector',
    });
    if (u.phone) await tx.users.update(user.id, { phone: u.phone });
    await tx.openlines.addCustomer(connectorId, u.id, user.id);
    return { ...user, phone: u.phone ?? user.phone };
  }

  private async createChatInTx(tx: Store, customer: UserRow, lineName: string, userCode: string, now: number): Promise<ChatRow> {
    const title = `${[customer.name, customer.last_name].filter(Boolean).join(' ')} - ${lineName}`;
    const chat = await tx.chats.create(
      newChatRow({ type: 'L', title, avatar: customer.avatar, author_id: customer.id, entity_type: 'LINES', entity_id: userCode }, now),
    );
    chat.color = customer.color;
    await tx.chats.update(chat.id, { color: chat.color });
    await this.chats.joinInTx(tx, chat, [customer.id], now);
    return chat;
  }
}

export function notActiveLine(lineId: number): BitrixError {
  return Errors.method('NOT_ACTIVE_LINE', `The line ${lineId} is not active or does not exist`);
}
