// ONIMBOTV2* events: what a committed change means for 2.0 bots, derived by the change dispatcher inside its
// transaction (so each change yields its events exactly once, and a crash between a message and its events loses
// nothing: the change-log row waits). A fetch-mode bot's events go to its durable queue (fetch.ts); a webhook-mode
// bot's go through the outbox to its webhookUrl, with the string-typed form encoding a portal uses. Users subscribed
// with im.v2.Event.subscribe get the ONIMV2* events of their chats in their own queue.
import type { AppRow, BotRow, ChatRow, MessageRow, Store } from '../../store/store.ts';
import { v2Bot, v2DialogId, v2EventChat, v2Message, v2User } from '../../present/v2.ts';
import type { PresentOptions } from '../../present/users.ts';
import type { Outbox } from '../delivery/outbox.ts';
import type { MessageAddedEvent, MessengerEventMap, MessengerEvents } from '../events.ts';
import type { CommandsService, V2CommandCall } from '../commands.ts';
import { mentionedIds, peerOf } from '../bots.ts';
import type { BotsV2Service, StreamControl } from './bots.ts';
import type { FetchQueues } from './fetch.ts';

export class BotEventsV2 implements StreamControl {
  constructor(
    private readonly outbox: Outbox,
    private readonly bots: BotsV2Service,
    private readonly queues: FetchQueues,
    private readonly present: PresentOptions,
    private readonly language: string,
    private readonly commands: CommandsService,
  ) {}

  listen(events: MessengerEvents): void {
    this.commands.setV2Handler((tx, call) => this.onCommand(tx, call));
    events.on('messageAdded', (tx, e) => this.onMessageAdded(tx, e));
    events.on('messageUpdated', (tx, e) => this.onMessageChanged(tx, 'ONIMBOTV2MESSAGEUPDATE', e));
    events.on('messageDeleted', (tx, e) => this.onMessageChanged(tx, 'ONIMBOTV2MESSAGEDELETE', e));
    events.on('reactionChanged', (tx, e) => this.onReaction(tx, e));
    events.on('membersAdded', (tx, e) => this.onMembersAdded(tx, e.chat, e.userIds, e.byUserId));
    events.on('botContext', (tx, e) => this.onContext(tx, e));
  }

  open(tx: Store, botId: number): Promise<void> {
    return this.queues.open(tx, { kind: 'bot', ownerId: botId });
  }

  close(tx: Store, botId: number): Promise<void> {
    return this.queues.close(tx, { kind: 'bot', ownerId: botId });
  }

  /** ONIMBOTV2DELETE, the last event of a bot: a webhook-mode bot gets it (a fetch-mode bot's queue goes with it). */
  async botDeleted(tx: Store, app: AppRow, bot: BotRow, byUserId: number): Promise<void> {
    if (bot.api_version !== 2 || bot.event_mode !== 'webhook') return;
    await this.deliver(tx, app, bot, 'ONIMBOTV2DELETE', { bot: await this.botObject(tx, bot) }, byUserId);
  }

  /** The 2.0 bots a message is for: the bot of a one-to-one dialog; in a chat, the mentioned ones and every
   * supervisor / personal bot that is a member (docs: bot types). */
  private async recipients(tx: Store, chat: ChatRow, authorId: number, text: string, memberIds?: number[]): Promise<BotRow[]> {
    if (chat.type === 'P') {
      const peer = peerOf(chat, authorId);
      const bot = peer && peer !== authorId ? await tx.bots.get(peer) : undefined;
      return bot && bot.api_version === 2 ? [bot] : [];
    }
    const watchers = (await tx.bots.list()).filter((b) => b.api_version === 2 && b.type === 'S').map((b) => b.id);
    const candidates = [...new Set([...mentionedIds(text), ...watchers])].filter((id) => id !== authorId);
    if (candidates.length === 0) return [];
    const inChat = memberIds ? candidates.filter((id) => memberIds.includes(id)) : await tx.bots.membersOf(chat.id, candidates);
    return (await tx.bots.getMany(inChat)).filter((b) => b.api_version === 2).sort((a, b) => a.id - b.id);
  }

  private async onMessageAdded(tx: Store, e: MessageAddedEvent): Promise<void> {
    const { chat, message, author } = e;
    if (!author) return;
    if (chat.type === 'P' && message.seq === 1) {
      // Opening a dialog with a bot (or a bot opening one) is the bot's join event, as for classic bots.
      const peer = peerOf(chat, author.id);
      if (author.bot === 1 && peer) await this.onJoin(tx, chat, [author.id], peer);
      else if (peer) await this.onJoin(tx, chat, [peer], author.id);
    }
    await this.toUsers(tx, chat, [author.id], 'ONIMV2MESSAGEADD', async (viewerId) => ({
      message: v2Message(message, this.present, await this.viewedByOthers(tx, chat, message)),
      chat: v2EventChat(chat, viewerId, this.present),
      user: v2User(author, this.present, true),
      language: this.language,
    }));
    if (message.system === 1) return;
    // A message that runs a bot's command is that bot's ONIMBOTV2COMMANDADD (queued by the command matcher), not its message.
    const commanded = await this.commands.v2BotsCommanded(tx, chat, message, author);
    for (const bot of await this.recipients(tx, chat, author.id, message.text, e.memberIds)) {
      if (commanded.has(bot.id)) continue;
      await this.toBot(tx, bot, 'ONIMBOTV2MESSAGEADD', author.id, async (botObject) => ({
        bot: botObject,
        message: v2Message(message, this.present, await this.viewedByOthers(tx, chat, message)),
        chat: v2EventChat(chat, bot.id, this.present),
        user: v2User(author, this.present, true),
        language: this.language,
      }));
    }
  }

  private async onMessageChanged(tx: Store, type: string, e: MessengerEventMap['messageUpdated']): Promise<void> {
    const { chat, message } = e;
    const author = await tx.users.get(message.author_id);
    const by = await tx.users.get(e.byUserId);
    if (!by) return;
    const deleted = type === 'ONIMBOTV2MESSAGEDELETE';
    await this.toUsers(tx, chat, [by.id], deleted ? 'ONIMV2MESSAGEDELETE' : 'ONIMV2MESSAGEUPDATE', async (viewerId) => ({
      ...(deleted ? { messageId: message.id } : { message: v2Message(message, this.present, await this.viewedByOthers(tx, chat, message)) }),
      chat: v2EventChat(chat, viewerId, this.present),
      user: v2User(author ?? by, this.present, true),
      language: this.language,
    }));
    for (const bot of await this.recipients(tx, chat, by.id, message.text)) {
      await this.toBot(tx, bot, type, by.id, async (botObject) => ({
        bot: botObject,
        ...(type === 'ONIMBOTV2MESSAGEDELETE'
          ? { messageId: message.id }
          : { message: v2Message(message, this.present, await this.viewedByOthers(tx, chat, message)) }),
        chat: v2EventChat(chat, bot.id, this.present),
        user: v2User(author ?? by, this.present, true),
        language: this.language,
      }));
    }
  }

  /** ONIMBOTV2REACTIONCHANGE to the 2.0 bot whose message it is (when its reactions are on); ONIMV2REACTIONCHANGE
   * to the subscribed members. */
  private async onReaction(tx: Store, e: MessengerEventMap['reactionChanged']): Promise<void> {
    const { chat, message } = e;
    const by = await tx.users.get(e.userId);
    if (!by) return;
    const build = async (viewerId: number) => ({
      reaction: e.reaction,
      action: e.action,
      message: v2Message(message, this.present, await this.viewedByOthers(tx, chat, message)),
      chat: v2EventChat(chat, viewerId, this.present),
      user: v2User(by, this.present, true),
      language: this.language,
    });
    await this.toUsers(tx, chat, [by.id], 'ONIMV2REACTIONCHANGE', build);
    const bot = message.author_id > 0 && message.author_id !== by.id ? await tx.bots.get(message.author_id) : undefined;
    if (bot && bot.api_version === 2 && bot.reactions === 1) {
      await this.toBot(tx, bot, 'ONIMBOTV2REACTIONCHANGE', by.id, async (botObject) => ({ bot: botObject, ...(await build(bot.id)) }));
    }
  }

  /** ONIMBOTV2COMMANDADD: one event per command a message (or a keyboard button) ran. */
  private async onCommand(tx: Store, call: V2CommandCall): Promise<void> {
    const message = await tx.messages.get(call.messageId);
    if (!message) return;
    for (const { command, params } of call.found) {
      const bot = await tx.bots.get(command.bot_id);
      if (!bot) continue;
      await this.toBot(tx, bot, 'ONIMBOTV2COMMANDADD', call.author.id, async (botObject) => ({
        bot: botObject,
        command: { id: command.id, command: `/${command.command}`, params, context: call.context },
        message: v2Message(message, this.present, await this.viewedByOthers(tx, call.chat, message)),
        chat: v2EventChat(call.chat, bot.id, this.present),
        user: v2User(call.author, this.present, true),
        language: this.language,
      }));
    }
  }

  /** ONIMBOTV2CONTEXTGET: the context a user opened the chat with, to each 2.0 bot it was sent to. */
  private async onContext(tx: Store, e: MessengerEventMap['botContext']): Promise<void> {
    const user = await tx.users.get(e.userId);
    if (!user) return;
    for (const bot of (await tx.bots.getMany(e.botIds)).sort((a, b) => a.id - b.id)) {
      await this.toBot(tx, bot, 'ONIMBOTV2CONTEXTGET', user.id, async (botObject) => ({
        bot: botObject,
        dialogId: v2DialogId(e.chat, bot.id),
        context: e.context,
        chat: v2EventChat(e.chat, bot.id, this.present),
        user: v2User(user, this.present, true),
        language: this.language,
      }));
    }
  }

  /** ONIMV2JOINCHAT: to the subscribed members (the one who added them excepted), one event per new member. */
  private async onMembersAdded(tx: Store, chat: ChatRow, userIds: number[], byUserId: number): Promise<void> {
    // Whoever added the members (a chat's creator among them) learns nothing new from their own joining.
    for (const user of (await tx.users.getMany(userIds.filter((id) => id !== byUserId))).sort((a, b) => a.id - b.id)) {
      await this.toUsers(tx, chat, [byUserId], 'ONIMV2JOINCHAT', async (viewerId) => ({
        dialogId: v2EventChat(chat, viewerId, this.present).dialogId,
        chat: v2EventChat(chat, viewerId, this.present),
        user: v2User(user, this.present, true),
        language: this.language,
      }));
    }
    await this.onJoin(tx, chat, userIds, byUserId);
  }

  /**
   * One event to each subscribed member of the chat except `exclude`. A group chat's data is the same for all of
   * them (one append); a dialog's names the other user, so each gets their own.
   */
  private async toUsers(tx: Store, chat: ChatRow, exclude: number[], type: string, build: (viewerId: number) => Promise<Record<string, unknown>>): Promise<void> {
    const users = await tx.fetch.subscribersIn(chat.id, exclude);
    if (users.length === 0) return;
    if (chat.type === 'P') {
      for (const id of users) await this.queues.append(tx, [{ kind: 'user', ownerId: id }], type, await build(id));
      return;
    }
    await this.queues.append(tx, users.map((id) => ({ kind: 'user' as const, ownerId: id })), type, await build(users[0]));
  }

  private async onJoin(tx: Store, chat: ChatRow, userIds: number[], byUserId: number): Promise<void> {
    const bots = (await tx.bots.getMany(userIds)).filter((b) => b.api_version === 2 && b.id !== byUserId);
    if (bots.length === 0) return;
    const by = await tx.users.get(byUserId);
    if (!by) return;
    for (const bot of bots.sort((a, b) => a.id - b.id)) {
      await this.toBot(tx, bot, 'ONIMBOTV2JOINCHAT', by.id, async (botObject) => ({
        bot: botObject,
        dialogId: v2DialogId(chat, bot.id),
        chat: v2EventChat(chat, bot.id, this.present),
        user: v2User(by, this.present, true),
        language: this.language,
      }));
    }
  }

  /** Whether any member other than the author has read the message. */
  private async viewedByOthers(tx: Store, chat: ChatRow, message: MessageRow): Promise<boolean> {
    if (chat.large) return false;
    for (const id of await tx.members.userIds(chat.id)) {
      if (id === message.author_id) continue;
      const m = await tx.members.get(chat.id, id);
      if (m && m.read_seq >= message.seq) return true;
    }
    return false;
  }

  private async botObject(tx: Store, bot: BotRow) {
    return v2Bot(bot, this.language, await this.bots.counts(tx, bot));
  }

  private async toBot(tx: Store, bot: BotRow, type: string, byUserId: number, build: (botObject: unknown) => Promise<Record<string, unknown>>): Promise<void> {
    if (bot.event_mode === 'fetch') {
      await this.queues.append(tx, [{ kind: 'bot', ownerId: bot.id }], type, await build(await this.botObject(tx, bot)));
      return;
    }
    const app = await tx.auth.app(bot.app_id);
    if (!app || !bot.webhook_url) return;
    await this.deliver(tx, app, bot, type, await build({ id: bot.id, code: bot.code }), byUserId);
  }

  /** Webhook mode: one POST per bot to its webhookUrl (data.bot gets the bot's auth block from the worker). */
  private async deliver(tx: Store, app: AppRow, bot: BotRow, type: string, data: Record<string, unknown>, byUserId: number): Promise<void> {
    await this.outbox.enqueue(tx, [
      { app, event: type, url: bot.webhook_url, data: { ...data, bot: { id: bot.id, code: bot.code } }, authUserId: byUserId, bots: [{ id: bot.id, code: bot.code, group: 'bot', v2: true }] },
    ]);
  }
}
