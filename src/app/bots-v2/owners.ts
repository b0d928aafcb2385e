// Who owns a 2.0 bot. Through OAuth, the calling application; through an inbound webhook (or an application-less
// token), the botToken the bot was registered with: it stands for a synthetic application of its own, bound to that
// webhook (as the CLIENT_ID of classic webhook bots does, DECISIONS 18), whose code carries a digest of the token,
// never the token itself. Rotating the token renames that application in one transaction.
import crypto from 'node:crypto';
import { BitrixError } from '../../errors.ts';
import type { AppRow, Store } from '../../store/store.ts';
import type { AuthContext } from '../auth.ts';
import type { Clock } from '../clock.ts';
import { randomHex } from '../secrets.ts';
import { boundAppLock, ensureBoundApp, registeringWith, webhookIdOf } from '../webhook-bots.ts';

/** botToken's longest length (the docs' BOT-BC-0506-1: enforced on register since 2026-08-06, on rotation always). */
export const BOT_TOKEN_MAX_LENGTH = 40;

export const v2Error = (code: string, text: string, status = 400) => new BitrixError(code, text, status);

/** The credential a botToken is scoped to: the webhook, or the user of an application-less token. */
function credentialScope(auth: AuthContext): string {
  const webhookId = webhookIdOf(auth);
  return webhookId !== undefined ? `webhook.${webhookId}` : `user.${auth.user.id}`;
}

export function tokenAppCode(auth: AuthContext, botToken: string): string {
  return `${credentialScope(auth)}.v2.${crypto.createHash('sha256').update(botToken, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The botToken of a call (top level; Bot.register also reads fields.botToken), trimmed. */
export function readBotToken(top: unknown, fields?: Record<string, unknown>): string {
  const v = typeof top === 'string' || typeof top === 'number' ? String(top) : typeof fields?.botToken === 'string' ? fields.botToken : '';
  return v.trim();
}

export class BotOwners {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The application a call acts for, or undefined when its botToken names none (yet). */
  async find(auth: AuthContext, botToken: string): Promise<AppRow | undefined> {
    if (auth.app) return auth.app;
    if (!botToken) throw v2Error('BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
    return this.store.auth.appByCode(tokenAppCode(auth, botToken));
  }

  /** Bot.register: the token's application, created on first use (removed again if the registration fails). */
  async registering<T>(auth: AuthContext, botToken: string, register: (app: AppRow) => Promise<T>): Promise<T> {
    if (auth.app) return register(auth.app);
    if (!botToken) throw v2Error('BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
    if (botToken.length > BOT_TOKEN_MAX_LENGTH) throw v2Error('BOT_TOKEN_INVALID_LENGTH', `Bot token must be at most ${BOT_TOKEN_MAX_LENGTH} characters`);
    const code = tokenAppCode(auth, botToken);
    const existed = await this.store.auth.appByCode(code);
    const app = existed ?? (await ensureBoundApp(this.store, this.clock, auth, code));
    return registeringWith(this.store, app, !existed, register);
  }

  /** Bot.update fields.botToken: the old token stops working at once; a token already in use is refused alike. */
  async rotate(tx: Store, auth: AuthContext, app: AppRow, newToken: string): Promise<void> {
    if (newToken.length > BOT_TOKEN_MAX_LENGTH) throw v2Error('BOT_TOKEN_INVALID_LENGTH', `Bot token must be at most ${BOT_TOKEN_MAX_LENGTH} characters`);
    const code = tokenAppCode(auth, newToken);
    if (code === app.code) return;
    await tx.lock(boundAppLock(code));
    if (await tx.auth.appByCode(code)) throw v2Error('BOT_TOKEN_ROTATION_FAILED', 'Bot token rotation failed');
    // A fresh application token too: webhook-mode deliveries carry it for the handler to check.
    await tx.auth.updateApp(app.id, { code, client_id: code, application_token: randomHex(16) });
  }
}
