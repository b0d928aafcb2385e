// Bots of inbound webhooks (DECISIONS 18): imbot.register through a webhook names a CLIENT_ID, which from then on
// stands for the bot's application in every imbot.* call through that webhook. The application is a row of its
// own, bound to the webhook (webhook_id), installed from the start and holding no usable secret: events go to the
// bot's handler URLs with the auth block a portal sends to webhook bots (no tokens; the bot calls back through
// its webhook URL).
import crypto from 'node:crypto';
import { Errors } from '../errors.ts';
import type { AppRow, Store } from '../store/store.ts';
import type { AuthContext } from './auth.ts';
import type { Clock } from './clock.ts';
import { hashSecret, randomCode, randomHex } from './secrets.ts';

/** The webhook id of a webhook call, undefined for token calls. */
export function webhookIdOf(auth: AuthContext): number | undefined {
  if (auth.kind !== 'webhook') return undefined;
  const id = Number(auth.credentialKey.split(':')[1]);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** The code of the application that (webhook, CLIENT_ID) stands for: stable, short, free of the client id's characters. */
function appCode(webhookId: number, clientId: string): string {
  return `webhook.${webhookId}.${crypto.createHash('sha256').update(clientId, 'utf8').digest('hex').slice(0, 24)}`;
}

export class WebhookBots {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * The application of a webhook call's CLIENT_ID. `register` creates it on first use (imbot.register); any other
   * call with a CLIENT_ID that registered no bot through this webhook finds no bot.
   */
  /**
   * imbot.register through a webhook: `register` runs with the CLIENT_ID's application, created for it when new; if
   * the registration fails, a new application is removed again, so a rejected call leaves nothing behind.
   */
  async registering<T>(auth: AuthContext, clientId: string, register: (app: AppRow) => Promise<T>): Promise<T> {
    const webhookId = webhookIdOf(auth);
    const existed = webhookId !== undefined && clientId ? await this.store.auth.appByCode(appCode(webhookId, clientId)) : undefined;
    const app = existed ?? (await this.appFor(auth, clientId, true));
    try {
      return await register(app);
    } catch (err) {
      if (!existed) await this.store.transaction(async (tx) => {
        if ((await tx.bots.list(app.id)).length === 0) await tx.auth.deleteApp(app.id);
      });
      throw err;
    }
  }

  async appFor(auth: AuthContext, clientId: string, register: boolean): Promise<AppRow> {
    const webhookId = webhookIdOf(auth);
    if (webhookId === undefined || !clientId) throw Errors.accessDenied('Access denied! Client ID not specified');
    const code = appCode(webhookId, clientId);
    const found = await this.store.auth.appByCode(code);
    if (found) return found;
    if (!register) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
    return this.store.transaction(async (tx) => {
      await tx.lock(`webhook-bot-app:${code}`);
      const again = await tx.auth.appByCode(code);
      if (again) return again;
      return tx.auth.createApp({
        code,
        client_id: code,
        // Nobody knows this secret: the application cannot be used for OAuth, only through its webhook.
        client_secret_hash: hashSecret(randomCode(50)),
        scopes: [...auth.scopes].join(','),
        handler_url: '',
        application_token: randomHex(16),
        installed: 1,
        date_create: this.clock(),
        webhook_id: webhookId,
      });
    });
  }
}
