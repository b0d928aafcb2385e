// What operators and heads do with an open-line session besides moving it: pin it to its operator, switch silent
// mode, rate it as a head, read its history, keep a message as a quick answer.
import { Errors } from '../errors.ts';
import type { ChatRow, LineRow, MemberRow, MessageRow, SessionRow, Store, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { fullName } from '../present/users.ts';
import type { LinesService } from './lines.ts';
import { NotifyType, type NotificationsService } from './notifications.ts';
import { entityData1, isClosed, type SessionsService } from './lines-sessions.ts';

/** The most messages a history answer carries (the newest ones of the session). */
export const HISTORY_LIMIT = 1000;
/** A portal cuts a head's comment at this length. */
const COMMENT_MAX = 10_000;

const accessDenied = () => Errors.method('ACCESS_DENIED', 'You do not have access to this dialog');

export interface SessionHistory {
  session: SessionRow;
  chat: ChatRow;
  /** Newest first. */
  messages: MessageRow[];
  authors: UserRow[];
  members: MemberRow[];
  canJoin: boolean;
  canVoteHead: boolean;
}

export class SessionModesService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly lines: LinesService,
    private readonly sessions: SessionsService,
    private readonly notifications: NotificationsService,
    private readonly language: 'en' | 'ru',
  ) {}

  /** imopenlines.session.mode.pin: only the session's operator pins or unpins it, while it is open. */
  async pin(user: UserRow, chatId: number, on: boolean): Promise<void> {
    await this.sessions.act(user, chatId, 'operator', async (tx, d) => {
      if (isClosed(d.session) || d.session.operator_id !== user.id) throw Errors.method('ACCESS_DENIED', 'Only the operator of an open dialog pins it');
      await this.setPinnedInTx(tx, d.session, on);
    });
  }

  /** imopenlines.session.mode.pinAll / unpinAll: the caller's taken sessions; the ids that changed. */
  async pinAll(user: UserRow, on: boolean): Promise<number[]> {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const changed: number[] = [];
      for (const listed of await tx.openlines.takenSessions(user.id, !on)) {
        // Each chat locked, then its session read again: a transfer or closing in between wins.
        if (tx.dialect === 'postgres') await tx.chats.getForUpdate(listed.chat_id);
        const s = await tx.openlines.session(listed.id);
        if (!s || isClosed(s) || s.operator_id !== user.id || (s.pinned === 1) === on) continue;
        await this.setPinnedInTx(tx, s, on);
        await this.sessions.touch(tx, s.chat_id, now);
        changed.push(s.id);
      }
      return changed;
    });
  }

  /** imopenlines.session.mode.silent: operators' messages of the current session stay out of the connector. */
  async silent(user: UserRow, chatId: number, on: boolean): Promise<void> {
    await this.sessions.act(user, chatId, 'operator', async (tx, d, now) => {
      // A closed session takes no more messages: the next one starts loud, as on a portal.
      if (isClosed(d.session) || (d.session.silent === 1) === on) return;
      await tx.openlines.updateSession(d.session.id, { silent: on ? 1 : 0, date_modify: now });
    });
  }

  /** imopenlines.session.head.vote: a rating (1-5; another number clears it) and/or a comment. */
  async headVote(user: UserRow, sessionId: number, rating: number | undefined, comment: string | undefined): Promise<void> {
    const vote = rating === undefined ? undefined : Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : 0;
    const note = comment === undefined ? undefined : comment.length > COMMENT_MAX ? `${comment.slice(0, COMMENT_MAX)}...` : comment;
    const session = await this.store.transaction(async (tx) => {
      const found = await tx.openlines.session(sessionId);
      if (!found || !(await this.canVoteHead(tx, user, found.line_id))) throw accessDenied();
      await tx.openlines.updateSession(found.id, { ...(vote !== undefined ? { vote_head: vote } : {}), ...(note !== undefined ? { comment_head: note } : {}) });
      return found;
    });
    await this.tellOperator(user, session, vote, note);
  }

  /** The rated session's operator hears of it in the bell, as on a portal (in b24im's own words). */
  private async tellOperator(head: UserRow, session: SessionRow, vote: number | undefined, comment: string | undefined): Promise<void> {
    if (!session.operator_id || session.operator_id === head.id || (!vote && !comment)) return;
    const ru = this.language === 'ru';
    const score = vote ? (ru ? `: ${vote} из 5` : `: ${vote} of 5`) : '';
    const what = ru ? `${fullName(head)} оценивает ваш диалог (сессия ${session.id})${score}` : `${fullName(head)} rated your dialog (session ${session.id})${score}`;
    await this.notifications.add({
      to: session.operator_id,
      from: head.id,
      type: NotifyType.FROM_USER,
      module: 'imopenlines',
      event: 'rating_head',
      // One notice per session: a new rating replaces the last one.
      tag: `IMOL|VOTE_HEAD|${session.id}`,
      text: comment ? `${what}[br]${comment}` : what,
    });
  }

  /** imopenlines.session.history.get: a session's messages, for those who may see its chat or rate its line. */
  async history(user: UserRow, sessionId: number): Promise<SessionHistory> {
    const session = await this.store.openlines.session(sessionId);
    const chat = session && (await this.store.chats.get(session.chat_id));
    if (!session || !chat) throw accessDenied();
    const canVoteHead = await this.canVoteHead(this.store, user, session.line_id);
    const canJoin = await this.sessions.mayAct(this.store, user, chat, session, 'queue');
    if (!canJoin && !canVoteHead) throw accessDenied();
    const messages = await this.store.messages.range(chat.id, session.start_seq, session.end_seq, HISTORY_LIMIT);
    const authors = await this.store.users.getMany([...new Set(messages.map((m) => m.author_id).filter((id) => id > 0))]);
    return { session, chat, messages, authors, members: await this.store.members.list(chat.id), canJoin, canVoteHead };
  }

  /**
   * imopenlines.message.quick.save: the text of a message of this chat becomes a quick answer of the chat's line;
   * saved again, the answer takes the message's current text; a text the line already has is not added twice.
   */
  async quickSave(user: UserRow, chatId: number, messageId: number): Promise<void> {
    const cantSave = () => Errors.method('CANT_SAVE_QUICK_ANSWER', 'The message can not be saved as a quick answer');
    await this.sessions.act(user, chatId, 'operator', async (tx, d, now) => {
      const message = await tx.messages.get(messageId);
      const text = message?.text.trim() ?? '';
      if (!message || message.chat_id !== d.chat.id || message.deleted || !text || !d.line) throw cantSave();
      const saved = await tx.openlines.quickAnswer(d.line.id, { messageId });
      if (saved) await tx.openlines.updateQuickAnswer(saved.id, text, now);
      else if (!(await tx.openlines.quickAnswer(d.line.id, { text }))) {
        await tx.openlines.addQuickAnswer({ line_id: d.line.id, message_id: messageId, text, author_id: user.id, date_create: now, date_modify: now });
      }
    });
  }

  /**
   * Who rates a line's sessions as a head: administrators, the line's creator, and the head of a department (or of
   * one above it) that an operator of the line belongs to.
   */
  async canVoteHead(tx: Store, user: UserRow, lineId: number): Promise<boolean> {
    const line: LineRow | undefined = await tx.openlines.line(lineId);
    if (!line) return user.is_admin === 1;
    if (this.lines.canManage(user, line)) return true;
    const departments = new Map((await tx.departments.all()).map((d) => [d.id, d]));
    const headed = new Set([...departments.values()].filter((d) => d.head_id === user.id).map((d) => d.id));
    if (headed.size === 0) return false;
    const operators = await tx.users.getMany((await tx.openlines.queue(lineId)).map((q) => q.user_id));
    for (const op of operators) {
      for (let id of JSON.parse(op.departments) as number[]) {
        // Up the tree to the company (a visited set guards against a cycle).
        for (const seen = new Set<number>(); id && !seen.has(id); id = departments.get(id)?.parent_id ?? 0) {
          if (headed.has(id)) return true;
          seen.add(id);
        }
      }
    }
    return false;
  }

  private async setPinnedInTx(tx: Store, session: SessionRow, on: boolean): Promise<void> {
    if ((session.pinned === 1) === on) return;
    await tx.openlines.updateSession(session.id, { pinned: on ? 1 : 0 });
    await tx.chats.update(session.chat_id, { entity_data_1: entityData1({ ...session, pinned: on ? 1 : 0 }) });
  }
}
