// Credentials: inbound webhooks (user + secret code + scopes) and OAuth-style access tokens.
import { Errors } from '../errors.ts';
import type { AppRow, Store, TokenRow, UserRow, WebhookRow } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { hashSecret, randomCode, randomHex, sameHash } from './secrets.ts';
import { SERVED_SCOPES, parseScopes } from './scopes.ts';

export const ACCESS_TOKEN_TTL = 3600;
export const REFRESH_TOKEN_TTL = 28 * 24 * 3600;

export interface AuthContext {
  user: UserRow;
  scopes: ReadonlySet<string>;
  kind: 'webhook' | 'token';
  /** Stable key of the credential (rate limits, logs). */
  credentialKey: string;
  app?: AppRow;
  tokenId?: number;
}

export interface IssuedToken {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  user_id: number;
  client_id: string | null;
  member_id: string;
}

/**
 * Every request looks its credential up (one indexed read, like the user read that follows), with no cache in
 * front: a revocation committed by any node or by the CLI holds for the very next request on every node.
 */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly memberId: () => string,
  ) {}

  async createWebhook(userId: number, scopes: string[], title = ''): Promise<{ id: number; userId: number; code: string; scopes: string[] }> {
    const user = await this.store.users.get(userId);
    if (!user) throw Errors.method('USER_NOT_FOUND', `User ${userId} not found`);
    const code = randomCode(16);
    const row = await this.store.auth.createWebhook({
      user_id: userId,
      code_hash: hashSecret(code),
      scopes: scopes.join(','),
      title,
      date_create: this.clock(),
    });
    return { id: row.id, userId, code, scopes };
  }

  async createApp(opts: { code: string; scopes: string[]; handlerUrl?: string }): Promise<{ app: AppRow; clientSecret: string }> {
    if (!/^[a-z0-9_.-]{1,64}$/i.test(opts.code)) throw Errors.method('ERROR_ARGUMENT', 'App code must be 1-64 letters, digits, . _ -');
    if (await this.store.auth.appByCode(opts.code)) throw Errors.method('APP_EXISTS', `App ${opts.code} already exists`);
    const clientSecret = randomCode(50);
    const app = await this.store.auth.createApp({
      code: opts.code,
      client_id: `local.${randomHex(7)}.${randomCode(8)}`,
      client_secret_hash: hashSecret(clientSecret),
      scopes: opts.scopes.join(','),
      handler_url: opts.handlerUrl ?? '',
      application_token: randomHex(16),
      installed: 0,
      date_create: this.clock(),
    });
    return { app, clientSecret };
  }

  /** Issues an access/refresh token pair for a user, in an application's context when appId is given. */
  async issueToken(userId: number, app?: AppRow, ttl = ACCESS_TOKEN_TTL): Promise<IssuedToken> {
    const user = await this.store.users.get(userId);
    if (!user) throw Errors.method('USER_NOT_FOUND', `User ${userId} not found`);
    const now = this.clock();
    const access = randomHex(32);
    const refresh = randomHex(32);
    const scopes = app ? app.scopes : SERVED_SCOPES.join(',');
    await this.store.auth.createToken({
      access_hash: hashSecret(access),
      refresh_hash: hashSecret(refresh),
      user_id: userId,
      app_id: app?.id ?? null,
      scopes,
      expires_at: now + ttl,
      refresh_expires_at: now + REFRESH_TOKEN_TTL,
      revoked: 0,
      date_create: now,
    });
    return {
      access_token: access,
      refresh_token: refresh,
      expires: now + ttl,
      expires_in: ttl,
      scope: scopes,
      user_id: userId,
      client_id: app?.client_id ?? null,
      member_id: this.memberId(),
    };
  }

  /** Exchanges a refresh token for a new pair; the old pair stops working. */
  async refresh(refreshToken: string): Promise<IssuedToken> {
    const row = await this.store.auth.tokenByRefreshHash(hashSecret(refreshToken));
    if (!row || row.revoked || row.refresh_expires_at < this.clock()) throw Errors.method('invalid_grant', 'Invalid refresh token', 400);
    await this.store.auth.revokeToken(row.id);
    const app = row.app_id ? await this.store.auth.app(row.app_id) : undefined;
    return this.issueToken(row.user_id, app);
  }

  /**
   * The OAuth server's refresh grant: the application's client id and secret must match the token's application.
   * Errors are OAuth ones (invalid_client, invalid_grant), not REST ones.
   */
  async refreshForClient(clientId: string, clientSecret: string, refreshToken: string): Promise<IssuedToken> {
    const app = clientId ? await this.store.auth.appByClientId(clientId) : undefined;
    if (!app || !clientSecret || !sameHash(app.client_secret_hash, hashSecret(clientSecret))) {
      throw Errors.method('invalid_client', 'Invalid client credentials', 401);
    }
    const row = refreshToken ? await this.store.auth.tokenByRefreshHash(hashSecret(refreshToken)) : undefined;
    if (!row || row.app_id !== app.id) throw Errors.method('invalid_grant', 'Invalid grant', 400);
    return this.refresh(refreshToken);
  }

  async resolveWebhook(userIdText: string, code: string): Promise<AuthContext> {
    const userId = Number(userIdText);
    if (!/^\d{1,10}$/.test(userIdText) || !code) throw Errors.invalidCredentials();
    const digest = hashSecret(code);
    const hooks = await this.store.auth.webhooksOfUser(userId);
    const hook = hooks.find((h) => sameHash(h.code_hash, digest));
    if (!hook) throw Errors.invalidCredentials();
    return this.contextOf({ userId, scopes: new Set(parseScopes(hook.scopes)), kind: 'webhook', credentialKey: `webhook:${hook.id}` });
  }

  async resolveToken(token: string): Promise<AuthContext> {
    if (!/^[0-9a-f]{16,128}$/i.test(token)) throw Errors.invalidToken();
    const digest = hashSecret(token.toLowerCase());
    const row = await this.store.auth.tokenByAccessHash(digest);
    if (!row || row.revoked || !sameHash(row.access_hash, digest)) throw Errors.invalidToken();
    if (row.expires_at <= this.clock()) throw Errors.expiredToken();
    return this.contextOf({
      userId: row.user_id,
      scopes: new Set(parseScopes(row.scopes)),
      kind: 'token',
      credentialKey: `token:${row.id}`,
      appId: row.app_id ?? undefined,
      tokenId: row.id,
    });
  }

  webhooks(): Promise<WebhookRow[]> {
    return this.store.auth.webhooks();
  }

  async deleteWebhook(id: number): Promise<void> {
    if (!(await this.store.auth.deleteWebhook(id))) throw Errors.method('WEBHOOK_NOT_FOUND', `No webhook with id ${id}`);
  }

  /** Tokens that still work or can still be refreshed, optionally of one user or application. */
  liveTokens(f: { userId?: number; appId?: number } = {}): Promise<TokenRow[]> {
    return this.store.auth.liveTokens(this.clock(), f);
  }

  /** Revokes one token (access and refresh); the next request with it is refused on every node. */
  async revokeToken(id: number): Promise<void> {
    if ((await this.store.auth.revokeTokens({ id })) === 0) throw Errors.method('TOKEN_NOT_FOUND', `No live token with id ${id}`);
  }

  /** Revokes every token of an application (app uninstall); returns how many were live. */
  revokeAppTokens(appId: number): Promise<number> {
    return this.store.auth.revokeTokens({ appId });
  }

  /** Revokes every token of a user; returns how many were live. */
  revokeUserTokens(userId: number): Promise<number> {
    return this.store.auth.revokeTokens({ userId });
  }

  /** Revokes the token an access token belongs to (sign-out); false when it is unknown or already revoked. */
  async revokeByAccessToken(token: string): Promise<boolean> {
    if (!/^[0-9a-f]{16,128}$/i.test(token)) return false;
    const row = await this.store.auth.tokenByAccessHash(hashSecret(token.toLowerCase()));
    if (!row || row.revoked) return false;
    return (await this.store.auth.revokeTokens({ id: row.id })) > 0;
  }

  private async contextOf(entry: Omit<AuthContext, 'user' | 'app'> & { userId: number; appId?: number }): Promise<AuthContext> {
    const user = await this.store.users.get(entry.userId);
    if (!user) throw entry.kind === 'webhook' ? Errors.invalidCredentials() : Errors.invalidToken();
    if (!user.active) throw Errors.accessDenied('User is not active');
    const app = entry.appId ? await this.store.auth.app(entry.appId) : undefined;
    return { user, scopes: entry.scopes, kind: entry.kind, credentialKey: entry.credentialKey, app, tokenId: entry.tokenId };
  }
}
