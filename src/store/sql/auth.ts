import type { Kysely } from 'kysely';
import type { AppRow, Database, TokenRow, WebhookRow } from '../schema.ts';
import type { AuthRepo } from '../store.ts';

export class SqlAuthRepo implements AuthRepo {
  constructor(private readonly db: Kysely<Database>) {}

  createWebhook(row: Omit<WebhookRow, 'id'>): Promise<WebhookRow> {
    return this.db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
  }

  webhooksOfUser(userId: number): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().where('user_id', '=', userId).execute();
  }

  createApp(row: Omit<AppRow, 'id'>): Promise<AppRow> {
    return this.db.insertInto('apps').values(row).returningAll().executeTakeFirstOrThrow();
  }

  appByCode(code: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('code', '=', code).executeTakeFirst();
  }

  appByClientId(clientId: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  app(id: number): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateApp(id: number, patch: Partial<Omit<AppRow, 'id'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('apps').set(patch).where('id', '=', id).execute();
  }

  createToken(row: Omit<TokenRow, 'id'>): Promise<TokenRow> {
    return this.db.insertInto('tokens').values(row).returningAll().executeTakeFirstOrThrow();
  }

  tokenByAccessHash(hash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('tokens').selectAll().where('access_hash', '=', hash).executeTakeFirst();
  }

  tokenByRefreshHash(hash: string): Promise<TokenRow | undefined> {
    return this.db.selectFrom('tokens').selectAll().where('refresh_hash', '=', hash).executeTakeFirst();
  }

  async revokeToken(id: number): Promise<void> {
    await this.db.updateTable('tokens').set({ revoked: 1 }).where('id', '=', id).execute();
  }

  async pruneTokens(nowSec: number): Promise<number> {
    const res = await this.db.deleteFrom('tokens').where('refresh_expires_at', '<', nowSec).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
