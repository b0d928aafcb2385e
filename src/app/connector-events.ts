// Events to connector applications: an operator's message in an open-line chat goes out to the connector that
// brought the customer (OnImConnectorMessageAdd), so the application can pass it on to the external channel.
import type { Store } from '../store/store.ts';
import type { Outbox } from './delivery/outbox.ts';
import type { MessageAddedEvent, MessengerEvents } from './events.ts';
import { HIDDEN_MESSAGE } from './lines-sessions.ts';

export const CONNECTOR_MESSAGE_ADD = 'ONIMCONNECTORMESSAGEADD';

/** connector|lineId|externalChatId|customerUserId; the external chat id may itself hold '|'. */
export function parseUserCode(code: string): { connector: string; lineId: number; externalChatId: string } | undefined {
  const parts = code.split('|');
  if (parts.length < 4) return undefined;
  return { connector: parts[0], lineId: Number(parts[1]), externalChatId: parts.slice(2, -1).join('|') };
}

export class ConnectorEvents {
  constructor(private readonly outbox: Outbox) {}

  listen(events: MessengerEvents): void {
    events.on('messageAdded', (tx, e) => this.onMessageAdded(tx, e));
  }

  private async onMessageAdded(tx: Store, { chat, message, author, skipConnector }: MessageAddedEvent): Promise<void> {
    if (chat.type !== 'L' || message.author_id <= 0 || message.system || skipConnector) return;
    const session = await tx.openlines.lastSession(chat.id);
    if (!session || message.author_id === session.customer_id) return;
    const params = JSON.parse(message.params) as Record<string, unknown>;
    // A message the connector itself sent in (imconnector.send.messages with message.user_id) is not echoed back;
    // one written in silent mode (marked hidden when posted) stays among the operators.
    if (params.CONNECTOR_MID !== undefined || params.COMPONENT_ID === HIDDEN_MESSAGE.COMPONENT_ID) return;
    const code = parseUserCode(session.user_code);
    const connector = code ? await tx.openlines.connector(code.connector) : undefined;
    const app = connector ? await tx.auth.app(connector.app_id) : undefined;
    if (!code || !connector || !app) return;
    const options = JSON.parse(connector.options) as Record<string, unknown>;
    const signed = options.NEED_SIGNATURE !== false && options.NEED_SIGNATURE !== 'N' && author;
    await this.outbox.emit(tx, app, CONNECTOR_MESSAGE_ADD, {
      data: {
        CONNECTOR: connector.id,
        LINE: code.lineId,
        MESSAGES: [
          {
            im: { chat_id: chat.id, message_id: message.id },
            message: { user_id: message.author_id, text: signed ? `[b]${[author.name, author.last_name].filter(Boolean).join(' ')}:[/b][br]${message.text}` : message.text },
            chat: { id: code.externalChatId },
          },
        ],
      },
      authUserId: message.author_id,
    });
  }
}
