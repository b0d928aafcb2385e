import type { Kysely } from 'kysely';
import type { AppRow, Database, TokenRow, WebhookRow } from '../schema.ts';
import type { AuthRepo } from '../store.ts';
import { precompiled } from './precompiled.ts';

export class SqlAuthRepo implements AuthRepo {
  constructor(private readonly db: Kysely<Database>) {}

  createWebhook(row: Omit<WebhookRow, 'id'>): Promise<WebhookRow> {
    return this.db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
  }

  // The three lookups every authenticated call makes: compiled once (see precompiled.ts).
  webhooksOfUser(userId: number): Promise<WebhookRow[]> {
    return precompiled<WebhookRow>(this.db, 'auth.webhooksOfUser', [userId], () => this.db.selectFrom('webhooks').selectAll().where('user_id', '=', userId));
  }

  createApp(row: Omit<AppRow, 'id' | 'webhook_id' | 'version'> & { webhook_id?: number | null }): Promise<AppRow> {
    return this.db.insertInto('apps').values(row).returningAll().executeTakeFirstOrThrow();
  }

  appByCode(code: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('code', '=', code).executeTakeFirst();
  }

  appByClientId(clientId: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  async app(id: number): Promise<AppRow | undefined> {
    return (await precompiled<AppRow>(this.db, 'auth.app', [id], () => this.db.selectFrom('apps').selectAll().where('id', '=', id)))[0];
  }

  async deleteApp(id: number): Promise<void> {
    await this.db.deleteFrom('apps').where('id', '=', id).execute();
  }

  async updateApp(id: number, patch: Partial<Omit<AppRow, 'id'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('apps').set(patch).where('id', '=', id).execute();
  }

  createToken(row: Omit<TokenRow, 'id'>): Promise<TokenRow> {
    return this.db.insertInto('tokens').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async tokenByAccessHash(hash: string): Promise<TokenRow | undefined> {
    return (await precompiled<TokenRow>(this.db, 'auth.tokenByAccessHash', [hash], () => this.db.selectFrom('tokens').selectAll().where('access_hash', '=', hash)))[0];
  }

  tokenByRefreshHash(hash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('tokens').selectAll().where('refresh_hash', '=', hash).executeTakeFirst();
  }

  async revokeToken(id: number): Promise<void> {
    await this.db.updateTable('tokens').set({ revoked: 1 }).where('id', '=', id).execute();
  }

  webhooks(): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().orderBy('id').execute();
  }

  async deleteWebhook(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async liveTokens(nowSec: number, f: { userId?: number; appId?: number } = {}): Promise<TokenRow[]> {
    let q = this.db.selectFrom('tokens').selectAll().where('revoked', '=', 0).where('refresh_expires_at', '>=', nowSec).orderBy('id');
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    return (await q.execute()).map((r) => ({ ...r, expires_at: Number(r.expires_at), refresh_expires_at: Number(r.refresh_expires_at), date_create: Number(r.date_create) }));
  }

  async revokeTokens(f: { id?: number; userId?: number; appId?: number }): Promise<number> {
    if (f.id === undefined && f.userId === undefined && f.appId === undefined) throw new Error('revokeTokens needs a filter');
    let q = this.db.updateTable('tokens').set({ revoked: 1 }).where('revoked', '=', 0);
    if (f.id !== undefined) q = q.where('id', '=', f.id);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async pruneTokens(nowSec: number): Promise<number> {
    const res = await this.db.deleteFrom('tokens').where('refresh_expires_at', '<', nowSec).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
