// The messenger, free of HTTP: services over one Store.
import { restBaseUrl, type Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { AppsService } from './apps.ts';
import { AuthService } from './auth.ts';
import { ChatsService } from './chats.ts';
import { ConnectorEvents } from './connector-events.ts';
import { ConnectorsService } from './connectors.ts';
import { LinesService } from './lines.ts';
import { SessionsService } from './lines-sessions.ts';
import { SessionModesService } from './lines-session-modes.ts';
import { LineBotsService } from './lines-bots.ts';
import { systemClock, type Clock } from './clock.ts';
import { MessengerEvents } from './events.ts';
import { MessagesService } from './messages.ts';
import { ReadsService } from './reads.ts';
import { RecentService } from './recent.ts';
import { RecentCache } from './recent-cache.ts';
import { BotsService } from './bots.ts';
import { CommandsService } from './commands.ts';
import { Outbox } from './delivery/outbox.ts';
import { DeliveryWorker } from './delivery/worker.ts';
import { ChangeDispatcher } from './delivery/dispatcher.ts';
import { bootstrapPortal } from './portal.ts';
import { ShareService } from './share.ts';
import { UsersService } from './users.ts';
import { WebhookBots } from './webhook-bots.ts';
import { OfflineEventsService } from './offline-events.ts';
import { AppLifecycle } from './app-lifecycle.ts';
import { BotsV2Service } from './bots-v2/bots.ts';
import { BotOwners } from './bots-v2/owners.ts';
import { BotEventsV2 } from './bots-v2/events.ts';
import { BotContexts } from './bots-v2/context.ts';
import { FetchQueues } from './bots-v2/fetch.ts';
import { createPull, type PullService } from './pull/index.ts';
import { FilesService } from './files/service.ts';
import { FileUrls } from './files/urls.ts';
import { openBlobs } from '../store/blobs/index.ts';
import { NotificationsService } from './notifications.ts';
import { BotChats } from './bots-v2/chats.ts';
import { V2Commands } from './bots-v2/commands.ts';
import { ReactionsService } from './reactions.ts';
import { DepartmentsService } from './departments.ts';

export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly memberId: string;
  readonly events: MessengerEvents;
  readonly users: UsersService;
  readonly auth: AuthService;
  readonly chats: ChatsService;
  readonly messages: MessagesService;
  readonly reads: ReadsService;
  readonly recent: RecentService;
  /** Serialized im.recent.get answers, checked against the database's versions on every read. */
  readonly recentCache: RecentCache;
  readonly lines: LinesService;
  readonly sessions: SessionsService;
  /** Pin and silent modes, heads' ratings, session history, quick answers. */
  readonly sessionModes: SessionModesService;
  /** Open-line bots acting on their sessions. */
  readonly lineBots: LineBotsService;
  readonly connectors: ConnectorsService;
  /** Events for applications, delivered by the worker. */
  readonly outbox: Outbox;
  /** Delivers the outbox; started by `serve` only. */
  readonly worker: DeliveryWorker;
  /** Turns recorded changes into outbox rows; started by `serve` only. */
  readonly dispatcher: ChangeDispatcher;
  readonly apps: AppsService;
  readonly bots: BotsService;
  /** Applications standing for a webhook's CLIENT_ID (webhook bots). */
  readonly webhookBots: WebhookBots;
  /** event.offline.*: events kept for applications that fetch them. */
  readonly offlineEvents: OfflineEventsService;
  /** app update / uninstall, app.option.*, user.option.*. */
  readonly lifecycle: AppLifecycle;
  readonly commands: CommandsService;
  /** imbot.v2.Bot.*: 2.0 bots (rows of the same bots table). */
  readonly botsV2: BotsV2Service;
  /** Who owns a 2.0 bot: the OAuth application, or the botToken's application through a webhook. */
  readonly botOwners: BotOwners;
  /** Fetch-mode event queues (imbot.v2.Event.get, im.v2.Event.get). */
  readonly fetchQueues: FetchQueues;
  /** Push & Pull: channels, the message log, this node's connections. */
  readonly pull: PullService;
  /** Files in chats: uploads, commits, downloads (app/files/service.ts). */
  readonly files: FilesService;
  readonly notifications: NotificationsService;
  /** Chat settings of Bots 2.0 (description, text field). */
  readonly botChats: BotChats;
  /** im.v2.Chat.Bot.sendContext: a BOT_CONTEXT link's JSON to the chat's 2.0 bots. */
  readonly botContexts: BotContexts;
  /** Reactions on messages (likes included). */
  readonly reactions: ReactionsService;
  /** imbot.v2.Command.*. */
  readonly commandsV2: V2Commands;
  readonly departments: DepartmentsService;
  readonly share: ShareService;
}

export interface AppOptions {
  clock?: Clock;
}

/** Builds the services and makes sure the portal has its identity and administrator. */
export async function createApp(store: Store, config: Config, opts: AppOptions = {}): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const { memberId: fixedMemberId, fileKey } = await bootstrapPortal(store, clock);
  const events = new MessengerEvents(clock);
  const users = new UsersService(store, clock, events);
  const chats = new ChatsService(store, clock, config, events);
  const reads = new ReadsService(store, clock, chats, events);
  const messages = new MessagesService(store, clock, chats, events);
  // Open lines follow operators' im.message.add calls inside the same transaction.
  const lines = new LinesService(store, clock);
  const sessions = new SessionsService(store, clock, chats, lines, events);
  messages.postHooks.push((tx, chat, message, now) => sessions.onMessageInTx(tx, chat, message, now));
  const auth = new AuthService(store, clock, () => fixedMemberId);
  const outbox = new Outbox(clock);
  const worker = new DeliveryWorker(store, clock, auth, () => ({ publicUrl: config.publicUrl, memberId: fixedMemberId }), config.events);
  outbox.setWaker(() => worker.wake());
  const commands = new CommandsService(store, clock, outbox, messages, config.language);
  const bots = new BotsService(store, clock, outbox, config.language, commands);
  bots.listen(events);
  const botsV2 = new BotsV2Service(store, clock, commands);
  const fetchQueues = new FetchQueues(store, clock, config.fetchQueueCap, config.timezone);
  const botEventsV2 = new BotEventsV2(outbox, botsV2, fetchQueues, { zone: config.timezone, publicUrl: config.publicUrl }, config.language, commands);
  botsV2.setStreams(botEventsV2);
  botEventsV2.listen(events);
  // A bot's countMessage counts in the message's own transaction (a no-op for authors who are not bots).
  messages.postHooks.push((tx, _chat, message) => (message.author_id > 0 ? tx.bots.countMessage(message.author_id) : Promise.resolve()));
  new ConnectorEvents(outbox).listen(events);
  const pull = createPull(store, clock, config, events, chats);
  // Most changes (a message with no bot or application listening) queue no delivery: waking the worker after them
  // would cost it a claim transaction that finds nothing.
  let queuedSeen = outbox.queued;
  const dispatcher = new ChangeDispatcher(store, clock, events, config.events.pollMs, () => {
    if (outbox.queued !== queuedSeen) {
      queuedSeen = outbox.queued;
      worker.wake();
    }
    pull.hub.wake();
  });
  events.setWaker(() => dispatcher.wake());
  const recent = new RecentService(store, clock, config, chats, reads, events);
  const files = new FilesService(
    store,
    clock,
    chats,
    messages,
    openBlobs(store, config.files),
    new FileUrls(fileKey, () => restBaseUrl(config)),
    config.files.limit,
    config.language,
    events,
  );
  bots.messageFiles = (tx, message, botId) => files.eventFiles(tx, message, botId, config.timezone);
  const notifications = new NotificationsService(store, clock, messages, config.language, {
    publish: (tx, items) => pull.publisher.publish(tx, items),
    wake: () => pull.hub.wake(),
    options: () => ({ zone: config.timezone, publicUrl: config.publicUrl }),
  });
  return {
    files,
    config,
    store,
    clock,
    memberId: fixedMemberId,
    events,
    users,
    chats,
    messages,
    reads,
    recent,
    recentCache: new RecentCache(store, clock, recent, config.recentWindowDays, config.recentCacheBytes),
    lines,
    sessions,
    sessionModes: new SessionModesService(store, clock, lines, sessions, notifications, config.language),
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
    commands,
    botsV2,
    botOwners: new BotOwners(store, clock),
    fetchQueues,
    pull,
    notifications,
    botChats: new BotChats(store, clock),
    botContexts: new BotContexts(store, chats, events),
    reactions: new ReactionsService(store, clock, chats, events),
    commandsV2: new V2Commands(store, clock),
    departments: new DepartmentsService(store),
    share: new ShareService(store, config, chats, messages),
  };
}
