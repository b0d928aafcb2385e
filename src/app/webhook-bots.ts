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

/** The lock held while a bound application with this code is created or renamed. */
export const boundAppLock = (code: string) => `bound-app:${code}`;

/**
 * The application a bot of a credential stands for (a classic webhook bot's CLIENT_ID, a 2.0 botToken), created on
 * first use under a lock. Nobody knows its secret: it is never used for OAuth, only through its credential.
 */
export async function ensureBoundApp(store: Store, clock: Clock, auth: AuthContext, code: string): Promise<AppRow> {
  const found = await store.auth.appByCode(code);
  if (found) return found;
  return store.transaction(async (tx) => {
    await tx.lock(boundAppLock(code));
    const again = await tx.auth.appByCode(code);
    if (again) return again;
    return tx.auth.createApp({
      code,
      client_id: code,
      client_secret_hash: hashSecret(randomCode(50)),
      scopes: [...auth.scopes].join(','),
      handler_url: '',
      application_token: randomHex(16),
      installed: 1,
      date_create: clock(),
      webhook_id: webhookIdOf(auth) ?? null,
    });
  });
}

/** Runs a bot registration; an application made for it (`isNew`) is removed again if it fails, leaving nothing. */
export async function registeringWith<T>(store: Store, app: AppRow, isNew: boolean, register: (app: AppRow) => Promise<T>): Promise<T> {
  try {
    return await register(app);
  } catch (err) {
    if (isNew) {
      await store.transaction(async (tx) => {
        if ((await tx.bots.list(app.id)).length === 0) await tx.auth.deleteApp(app.id);
      });
    }
    throw err;
  }
}

export class WebhookBots {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * imbot.register through a webhook: `register` runs with the CLIENT_ID's application, created for it when new; if
   * the registration fails, a new application is removed again, so a rejected call leaves nothing behind.
   */
  async registering<T>(auth: AuthContext, clientId: string, register: (app: AppRow) => Promise<T>): Promise<T> {
    const webhookId = webhookIdOf(auth);
    const existed = webhookId !== undefined && clientId ? await this.store.auth.appByCode(appCode(webhookId, clientId)) : undefined;
    return registeringWith(this.store, existed ?? (await this.appFor(auth, clientId, true)), !existed, register);
  }

  /**
   * The application of a webhook call's CLIENT_ID. `register` creates it on first use (imbot.register); any other
   * call with a CLIENT_ID that registered no bot through this webhook finds no bot.
   */
  async appFor(auth: AuthContext, clientId: string, register: boolean): Promise<AppRow> {
    const webhookId = webhookIdOf(auth);
    if (webhookId === undefined || !clientId) throw Errors.accessDenied('Access denied! Client ID not specified');
    const code = appCode(webhookId, clientId);
    const found = await this.store.auth.appByCode(code);
    if (found) return found;
    if (!register) throw Errors.method('BOT_ID_ERROR', 'Bot not found');
    return ensureBoundApp(this.store, this.clock, auth, code);
  }
}
