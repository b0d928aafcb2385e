// Push & Pull, assembled: channels (config and subscription checks), the publisher writing the message log, the
// im events it publishes, and this node's hub of connections.
import type { Config } from '../../config.ts';
import type { Store } from '../../store/store.ts';
import type { Clock } from '../clock.ts';
import type { MessengerEvents } from '../events.ts';
import { PullChannels } from './channels.ts';
import { PullHub } from './hub.ts';
import { ImPullEvents } from './im-events.ts';
import { PullPublisher } from './publisher.ts';
import { TypingSignals } from './typing.ts';
import type { ChatsService } from '../chats.ts';

export interface PullService {
  readonly channels: PullChannels;
  readonly publisher: PullPublisher;
  readonly hub: PullHub;
  readonly typing: TypingSignals;
}

export function createPull(store: Store, clock: Clock, config: Config, events: MessengerEvents, chats: ChatsService): PullService {
  const serverName = () => {
    try {
      return new URL(config.publicHttpsUrl ?? config.publicUrl).host;
    } catch {
      return 'b24im';
    }
  };
  const publisher = new PullPublisher(clock, serverName, config.pull.retentionSec);
  new ImPullEvents(publisher, () => ({ zone: config.timezone, publicUrl: config.publicUrl }), config.fanoutLimit).listen(events);
  return {
    channels: new PullChannels(store, clock),
    publisher,
    typing: new TypingSignals(store, chats, events),
    hub: new PullHub(store, clock, config.events.pollMs, { maxPerUser: config.pull.maxPerUser, maxConnections: config.pull.maxConnections }),
  };
}
