// Open-line sessions: who answers a customer, and the life of one conversation from first message to closing.
import { Errors } from '../errors.ts';
import type { ChatRow, LineRow, MessageRow, NewSession, SessionRow, Store, UserRow } from '../store/store.ts';
import type { ChatsService } from './chats.ts';
import type { Clock } from './clock.ts';
import type { MessengerEvents } from './events.ts';
import type { LinesService } from './lines.ts';
import { postInTx } from './posting.ts';

/** The portal's session status codes (the recent item's lines.status). */
export const SESSION_STATUS = {
  new: 0,
  skip: 5,
  answer: 10,
  client: 20,
  clientAfterOperator: 25,
  operator: 40,
  close: 60,
  spam: 65,
} as const;

export const isClosed = (s: SessionRow): boolean => s.status >= SESSION_STATUS.close;

/** What a customer's message or an operator's action is about. */
export interface Dialog {
  chat: ChatRow;
  session: SessionRow;
  line: LineRow | undefined;
}

export type TransferTarget = { kind: 'user'; userId: number } | { kind: 'line'; lineId: number };

export interface BotActResult {
  botId: number;
  chat: ChatRow;
  joined: number[];
  posted?: MessageRow;
}

export type BotSessionAction =
  | { kind: 'operator' }
  | { kind: 'transfer'; target: TransferTarget; leave: boolean }
  | { kind: 'finish' }
  | { kind: 'message'; name: 'WELCOME' | 'DEFAULT'; message: string };

/** The message params a portal gives an operator's message in silent mode (shown as an internal note). */
export const HIDDEN_MESSAGE = { CLASS: 'bx-messenger-content-item-system', COMPONENT_ID: 'HiddenMessage' } as const;

/** A session that changes hands or closes leaves pin and silent mode (a portal resets both then). */
const MODES_OFF = { pinned: 0, silent: 0 } as const;

const chatIdError = () => Errors.method('CHAT_ID', 'Chat ID is not correct');
const chatTypeError = () => Errors.method('CHAT_TYPE', 'The chat is not an open-line chat');
const accessDenied = () => Errors.method('ACCESS_DENIED', 'You do not have access to this dialog');
const operatorWrong = () => Errors.method('OPERATOR_WRONG', 'You can not redirect to this operator');

export class SessionsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly chats: ChatsService,
    private readonly lines: LinesService,
    private readonly events: MessengerEvents,
  ) {}

  /**
   * Opens a new session of a chat: the line's queue decides who joins (everyone for "all", one operator for
   * "strictly" and "evenly") and who owns it.
   */
  async startInTx(tx: Store, chat: ChatRow, line: LineRow, fields: { connectorId: string; userCode: string; customerId: number }, now: number): Promise<SessionRow> {
    // A line with a welcome bot gives each new session to the bot first; it hands over to the queue later.
    const botId = await this.welcomeBotInTx(tx, line);
    const { members, operatorId } = botId ? { members: [botId], operatorId: botId } : await this.pick(tx, line, []);
    await this.chats.joinInTx(tx, chat, members, now);
    const session = await this.newSessionInTx(tx, chat.id, {
      line_id: line.id,
      connector_id: fields.connectorId,
      user_code: fields.userCode,
      customer_id: fields.customerId,
      operator_id: operatorId,
      status: SESSION_STATUS.new,
      date_operator: null,
    }, now);
    await this.touch(tx, chat.id, now);
    return session;
  }

  /** A customer wrote into an open session. */
  async customerWroteInTx(tx: Store, session: SessionRow, now: number): Promise<void> {
    const status =
      session.status >= SESSION_STATUS.operator ? SESSION_STATUS.clientAfterOperator
        : session.status === SESSION_STATUS.answer ? SESSION_STATUS.client
          : session.status;
    await tx.openlines.updateSession(session.id, { status, date_modify: now });
  }

  /**
   * im.message.add hook: an operator writing into an open-line chat answers the session (takes it if nobody has).
   * In silent mode the message is marked hidden, as a portal marks it, and stays out of the connector.
   */
  async onMessageInTx(tx: Store, chat: ChatRow, message: MessageRow, now: number): Promise<void> {
    if (chat.type !== 'L' || message.author_id <= 0 || message.system) return;
    const session = await tx.openlines.lastSession(chat.id);
    if (!session || isClosed(session)) return;
    if (message.author_id === session.customer_id) {
      await this.customerWroteInTx(tx, session, now);
      return;
    }
    if (session.silent) {
      // The event recorded after this hook carries the same row: it sees the mark too.
      message.params = JSON.stringify({ ...(JSON.parse(message.params) as object), ...HIDDEN_MESSAGE });
      await tx.messages.update(message.id, { params: message.params });
    }
    if (session.operator_id && session.operator_id !== message.author_id) return;
    if (!session.operator_id) await this.takeInTx(tx, chat, session, message.author_id, now);
    await tx.openlines.updateSession(session.id, { status: SESSION_STATUS.operator, date_modify: now });
  }

  /** imopenlines.operator.answer: the caller takes the dialog. */
  async answer(user: UserRow, chatId: number): Promise<void> {
    await this.act(user, chatId, 'operator', async (tx, d, now) => {
      if (isClosed(d.session)) throw accessDenied();
      keepPinned(user, d.session);
      if (d.session.operator_id === user.id && d.session.status !== SESSION_STATUS.new) return;
      await this.takeInTx(tx, d.chat, d.session, user.id, now);
      await tx.openlines.updateSession(d.session.id, { status: SESSION_STATUS.answer, date_modify: now });
    });
  }

  /** imopenlines.session.intercept: an operator of the line takes a dialog another operator holds. */
  async intercept(user: UserRow, chatId: number): Promise<void> {
    await this.act(user, chatId, 'queue', async (tx, d, now) => {
      if (isClosed(d.session) || d.session.operator_id === user.id) throw operatorWrong();
      keepPinned(user, d.session);
      await this.takeInTx(tx, d.chat, d.session, user.id, now);
      await tx.openlines.updateSession(d.session.id, { status: SESSION_STATUS.answer, date_modify: now });
    });
  }

  /** imopenlines.session.join: the caller joins the dialog beside its operator. */
  async join(user: UserRow, chatId: number): Promise<void> {
    await this.act(user, chatId, 'queue', async (tx, d, now) => {
      await this.chats.joinInTx(tx, d.chat, [user.id], now);
    });
  }

  /** imopenlines.operator.skip: the caller leaves; the next operator of the queue gets the dialog. */
  async skip(user: UserRow, chatId: number): Promise<void> {
    await this.act(user, chatId, 'member', async (tx, d, now) => {
      if (isClosed(d.session)) throw Errors.method('ACCESS_DENIED_KICK', 'The dialog can not be passed on');
      await this.chats.leaveInTx(tx, d.chat, [user.id]);
      let operatorId = d.session.operator_id;
      if (!operatorId || operatorId === user.id) {
        const next = d.line ? await this.pick(tx, d.line, [user.id]) : { members: [], operatorId: 0 };
        await this.chats.joinInTx(tx, d.chat, next.members, now);
        operatorId = next.operatorId;
      }
      // Another member skipping leaves the operator and their modes as they are.
      const kept = operatorId === d.session.operator_id;
      await tx.openlines.updateSession(d.session.id, { operator_id: operatorId, status: SESSION_STATUS.skip, date_modify: now, ...(kept ? {} : MODES_OFF) });
      await tx.chats.update(d.chat.id, { owner_id: operatorId, entity_data_1: entityData1({ ...d.session, pinned: kept ? d.session.pinned : 0 }) });
    });
  }

  /** imopenlines.operator.transfer: to another operator, or to the queue of another line. */
  async transfer(user: UserRow, chatId: number, target: TransferTarget): Promise<void> {
    await this.act(user, chatId, 'member', async (tx, d, now) => {
      if (isClosed(d.session)) throw operatorWrong();
      keepPinned(user, d.session);
      const leaving = [...new Set([user.id, d.session.operator_id].filter((id) => id > 0))];
      if (target.kind === 'user') {
        const to = await tx.users.get(target.userId);
        if (!to || to.id === user.id || !to.active || to.bot || to.connector || to.extranet) throw operatorWrong();
        await this.chats.leaveInTx(tx, d.chat, leaving.filter((id) => id !== to.id));
        await this.chats.joinInTx(tx, d.chat, [to.id], now);
        await this.handOverInTx(tx, d.session, { operator_id: to.id }, now);
        return;
      }
      const line = await tx.openlines.line(target.lineId);
      if (!line || !line.active || line.id === d.session.line_id) throw operatorWrong();
      const next = await this.pick(tx, line, []);
      await this.chats.leaveInTx(tx, d.chat, leaving.filter((id) => !next.members.includes(id)));
      await this.chats.joinInTx(tx, d.chat, next.members, now);
      await this.handOverInTx(tx, d.session, { line_id: line.id, operator_id: next.operatorId }, now);
    });
  }

  /**
   * Closes the current session (operator.finish: the caller's own dialog; another.finish: anyone's; spam).
   * Finishing a closed session is a no-op. The chat stays with its members; the customer's next message opens a
   * new session in it.
   */
  async finish(user: UserRow, chatId: number, mode: 'own' | 'another' | 'spam'): Promise<void> {
    await this.act(user, chatId, mode === 'another' ? 'queue' : 'member', async (tx, d, now) => {
      if (isClosed(d.session)) return;
      if (mode !== 'another' && d.session.operator_id && d.session.operator_id !== user.id && !user.is_admin) throw accessDenied();
      keepPinned(user, d.session);
      await this.closeInTx(tx, d.session, mode === 'spam' ? SESSION_STATUS.spam : SESSION_STATUS.close, now);
    });
  }

  /** imopenlines.session.start: the caller starts a new session of the chat (closing the current one). */
  async restart(user: UserRow, chatId: number): Promise<void> {
    await this.act(user, chatId, 'member', async (tx, d, now) => {
      keepPinned(user, d.session);
      await this.restartInTx(tx, user, d, now);
    });
  }

  /**
   * imopenlines.message.session.start: closes the current session and starts one the caller answers, which begins
   * with a copy of the message (by its author, not passed to the connector again).
   */
  async startFromMessage(user: UserRow, chatId: number, messageId: number): Promise<void> {
    await this.act(user, chatId, 'operator', async (tx, d, now) => {
      const message = await tx.messages.get(messageId);
      if (!message || message.chat_id !== d.chat.id || message.deleted) throw Errors.method('MESSAGE_ID', 'Message ID is not correct');
      keepPinned(user, d.session);
      const session = await this.restartInTx(tx, user, d, now);
      // The caller answers the new session: the other operators leave, as when one answers.
      await this.takeInTx(tx, d.chat, session, user.id, now);
      // Files stay linked to the original message; the copy carries its text and the rest of its params.
      const { IMOL_SID: _sid, FILE_ID: _files, ...params } = JSON.parse(message.params) as Record<string, unknown>;
      const copy = await postInTx(tx, (await tx.chats.get(d.chat.id))!, { authorId: message.author_id, text: message.text, params: { ...params, IMOL_SID: session.id } }, now);
      const chat = (await tx.chats.get(d.chat.id))!;
      const memberIds = chat.large ? undefined : await tx.members.userIds(chat.id);
      await this.events.record(tx, 'messageAdded', { message: copy, chat, author: await tx.users.get(message.author_id), memberIds, skipConnector: true });
    });
    this.events.committed();
  }

  private async restartInTx(tx: Store, user: UserRow, d: Dialog, now: number): Promise<SessionRow> {
    if (!isClosed(d.session)) await this.closeInTx(tx, d.session, SESSION_STATUS.close, now);
    return this.newSessionInTx(tx, d.chat.id, {
      line_id: d.session.line_id,
      connector_id: d.session.connector_id,
      user_code: d.session.user_code,
      customer_id: d.session.customer_id,
      operator_id: user.id,
      status: SESSION_STATUS.answer,
      date_operator: now,
    }, now);
  }

  /** A new session of a chat: its messages are the ones posted from now on; the chat owner and entity data follow it. */
  private async newSessionInTx(tx: Store, chatId: number, fields: Omit<NewSession, 'chat_id' | 'date_create' | 'date_modify' | 'date_close' | 'start_seq'>, now: number): Promise<SessionRow> {
    const chat = (await tx.chats.get(chatId))!;
    const session = await tx.openlines.createSession({ ...fields, chat_id: chatId, date_create: now, date_modify: now, date_close: null, start_seq: chat.last_seq });
    await tx.chats.update(chatId, { owner_id: session.operator_id, entity_data_1: entityData1(session) });
    return session;
  }

  /** The line's welcome bot (WELCOME_BOT_ENABLE=Y, WELCOME_BOT_ID an active open-line bot), if it has one. */
  async welcomeBotInTx(tx: Store, line: LineRow): Promise<number | undefined> {
    const settings = JSON.parse(line.settings) as Record<string, unknown>;
    if (settings.WELCOME_BOT_ENABLE !== 'Y') return undefined;
    const bot = await tx.bots.get(Number(settings.WELCOME_BOT_ID));
    const user = bot && (await tx.users.get(bot.id));
    return bot && user?.active && (bot.openline === 1 || bot.type === 'O') ? bot.id : undefined;
  }

  /**
   * imopenlines.bot.session.*: what an open-line bot in the chat does with its session. Returns the users who
   * joined, for their welcome events.
   */
  async botActInTx(tx: Store, botIds: number[], chatId: number, action: BotSessionAction): Promise<BotActResult> {
    const now = this.clock();
    const chat = await (tx.dialect === 'postgres' ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
    if (!chat) throw chatIdError();
    if (chat.type !== 'L') throw chatTypeError();
    const session = await tx.openlines.lastSession(chat.id);
    if (!session) throw chatTypeError();
    // The application acts through its bot in this chat (a portal takes the application's bot, wherever it is).
    const members = await tx.members.userIds(chat.id);
    const botId = botIds.find((id) => members.includes(id));
    if (!botId) throw accessDenied();
    const line = await tx.openlines.line(session.line_id);
    let joined: number[] = [];
    let posted: MessageRow | undefined;
    if (action.kind === 'operator') {
      // The bot hands the dialog to the line's queue.
      if (isClosed(session) || session.operator_id !== botId) throw Errors.method('WRONG_CHAT', 'Operator is not a bot');
      await this.chats.leaveInTx(tx, chat, [botId]);
      const next = line ? await this.pick(tx, line, []) : { members: [], operatorId: 0 };
      joined = await this.chats.joinInTx(tx, chat, next.members, now);
      await this.handOverInTx(tx, session, { operator_id: next.operatorId }, now);
    } else if (action.kind === 'transfer') {
      if (isClosed(session)) throw operatorWrong();
      let next: { members: number[]; operatorId: number };
      let lineId = session.line_id;
      if (action.target.kind === 'user') {
        const to = await tx.users.get(action.target.userId);
        if (!to || !to.active || to.bot || to.connector || to.extranet) throw operatorWrong();
        next = { members: [to.id], operatorId: to.id };
      } else {
        const target = await tx.openlines.line(action.target.lineId);
        if (!target || !target.active) throw operatorWrong();
        next = await this.pick(tx, target, []);
        lineId = target.id;
      }
      // LEAVE=Y: the bot leaves at once; otherwise it stays beside the new operator.
      if (action.leave) await this.chats.leaveInTx(tx, chat, [botId]);
      joined = await this.chats.joinInTx(tx, chat, next.members, now);
      await this.handOverInTx(tx, session, { line_id: lineId, operator_id: next.operatorId }, now);
    } else if (action.kind === 'finish') {
      if (!isClosed(session)) await this.closeInTx(tx, session, SESSION_STATUS.close, now);
    } else {
      const text = action.name === 'WELCOME' ? (line?.welcome_message_text ?? '').trim() : action.message.trim();
      if (text) posted = await postInTx(tx, chat, { authorId: 0, text, system: true, params: { IMOL_SID: session.id } }, now);
    }
    await this.touch(tx, chat.id, now);
    return { botId, joined, posted, chat: (await tx.chats.get(chat.id))! };
  }

  /** The open-line chat of a user code, if the caller may see it. */
  async chatByUserCode(user: UserRow, userCode: string): Promise<number> {
    const chatId = await this.store.openlines.chatIdByUserCode(userCode);
    if (!chatId) throw accessDenied();
    const chat = (await this.store.chats.get(chatId))!;
    const session = await this.store.openlines.lastSession(chatId);
    if (!(await this.mayAct(this.store, user, chat, session, 'queue'))) throw accessDenied();
    return chatId;
  }

  /** Whether a user may see an open-line chat: members, the line's operators, administrators. */
  async canSee(user: UserRow, chat: ChatRow): Promise<boolean> {
    return this.mayAct(this.store, user, chat, await this.store.openlines.lastSession(chat.id), 'queue');
  }

  /** Runs fn on the chat's current session in one transaction, once `who` may act on it (the chat row locked). */
  async act(user: UserRow, chatId: number, who: 'member' | 'operator' | 'queue', fn: (tx: Store, d: Dialog, now: number) => Promise<void>): Promise<void> {
    const now = this.clock();
    await this.store.transaction(async (tx) => {
      const chat = await (tx.dialect === 'postgres' ? tx.chats.getForUpdate(chatId) : tx.chats.get(chatId));
      if (!chat) throw chatIdError();
      if (chat.type !== 'L') throw chatTypeError();
      const session = await tx.openlines.lastSession(chat.id);
      if (!session) throw chatTypeError();
      if (!(await this.mayAct(tx, user, chat, session, who))) throw accessDenied();
      const line = await tx.openlines.line(session.line_id);
      await fn(tx, { chat, session, line }, now);
      await this.touch(tx, chat.id, now);
    });
  }

  /**
   * member: members of the chat; operator: members and the line's operators; queue: the same (taking a dialog
   * from someone else). Administrators always.
   */
  async mayAct(tx: Store, user: UserRow, chat: ChatRow, session: SessionRow | undefined, who: 'member' | 'operator' | 'queue'): Promise<boolean> {
    if (user.is_admin) return true;
    if (await tx.members.get(chat.id, user.id)) return user.id !== session?.customer_id;
    if (who === 'member' || !session) return false;
    return (await this.lines.operatorIds(tx, session.line_id)).includes(user.id);
  }

  /** The operator takes the session: joins, owns the chat, and the other queue operators leave it. */
  private async takeInTx(tx: Store, chat: ChatRow, session: SessionRow, operatorId: number, now: number): Promise<void> {
    const queue = await this.lines.operatorIds(tx, session.line_id);
    const others = (await tx.members.userIds(chat.id)).filter((id) => id !== operatorId && id !== session.customer_id && (queue.includes(id) || id === session.operator_id));
    await this.chats.leaveInTx(tx, chat, others);
    await this.chats.joinInTx(tx, chat, [operatorId], now);
    await tx.openlines.updateSession(session.id, { operator_id: operatorId, date_operator: session.date_operator ?? now });
    await tx.chats.update(chat.id, { owner_id: operatorId });
  }

  /** The session goes to a new operator (and line), as new again; pin and silent mode end, as on a portal. */
  private async handOverInTx(tx: Store, session: SessionRow, to: { operator_id: number; line_id?: number }, now: number): Promise<void> {
    await tx.openlines.updateSession(session.id, { ...to, status: SESSION_STATUS.new, date_modify: now, ...MODES_OFF });
    await tx.chats.update(session.chat_id, { owner_id: to.operator_id, entity_data_1: entityData1({ ...session, pinned: 0 }) });
  }

  /** Closing ends the session's modes and fixes its message range. */
  private async closeInTx(tx: Store, session: SessionRow, status: number, now: number): Promise<void> {
    const chat = (await tx.chats.get(session.chat_id))!;
    await tx.openlines.updateSession(session.id, { status, date_close: now, date_modify: now, end_seq: chat.last_seq, ...MODES_OFF });
    if (session.pinned) await tx.chats.update(chat.id, { entity_data_1: entityData1({ ...session, pinned: 0 }) });
  }

  /** Queue distribution: everyone ("all"), the first free one ("strictly"), the least busy one ("evenly"). */
  private async pick(tx: Store, line: LineRow, exclude: number[]): Promise<{ members: number[]; operatorId: number }> {
    const operators = (await this.lines.operatorIds(tx, line.id)).filter((id) => !exclude.includes(id));
    if (operators.length === 0) return { members: [], operatorId: 0 };
    if (line.queue_type === 'all') return { members: operators, operatorId: 0 };
    if (line.queue_type === 'strictly') return { members: [operators[0]], operatorId: operators[0] };
    const load = await tx.openlines.openSessionCounts(line.id);
    let best = operators[0];
    for (const id of operators) if ((load.get(id) ?? 0) < (load.get(best) ?? 0)) best = id;
    return { members: [best], operatorId: best };
  }

  /** The session's state is part of every member's recent item: it changed for all of them. */
  async touch(tx: Store, chatId: number, now: number): Promise<void> {
    await tx.chats.update(chatId, { date_update: now });
    const chat = (await tx.chats.get(chatId))!;
    if (!chat.large) await tx.members.touchAll(chatId, now, false);
  }
}

/** The chat's entity_data_1 as a portal lays it out: CRM flags, the pin flag, then the session id and its start. */
export function entityData1(session: Pick<SessionRow, 'id' | 'date_create' | 'pinned'>): string {
  return ['N', 'NONE', '0', session.pinned ? 'Y' : 'N', 'N', String(session.id), String(session.date_create), '0', '0', '0'].join('|');
}

/**
 * A pinned session stays with its operator: nobody else takes, transfers or closes it (administrators still may,
 * to free a dialog whose operator is away). The operator's own actions are theirs to take.
 */
function keepPinned(user: UserRow, session: SessionRow): void {
  if (session.pinned && session.operator_id !== user.id && !user.is_admin) {
    throw Errors.method('ACCESS_DENIED', 'The dialog is pinned to its operator');
  }
}
