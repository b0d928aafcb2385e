// Push & Pull storage: channels and the durable message log (see app/pull/).
import { sql, type Kysely } from 'kysely';
import type { Database, NewPullMessage, PullChannelRow, PullMessageRow } from '../schema.ts';
import type { PullRepo } from '../store.ts';

/** The PostgreSQL notification channel every node LISTENs on (store/pull-listener.ts). */
export const PULL_NOTIFY_CHANNEL = 'b24im_pull';

function channelRow(r: PullChannelRow): PullChannelRow {
  return { ...r, id: Number(r.id), user_id: Number(r.user_id), date_create: Number(r.date_create), date_expire: Number(r.date_expire) };
}

function messageRow(r: PullMessageRow): PullMessageRow {
  return { ...r, id: Number(r.id), date_create: Number(r.date_create), date_expire: Number(r.date_expire) };
}

export class SqlPullRepo implements PullRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async currentChannel(userId: number, type: string, validAfter: number): Promise<PullChannelRow | undefined> {
    const row = await this.db
      .selectFrom('pull_channels')
      .selectAll()
      .where('user_id', '=', userId)
      .where('type', '=', type)
      .where('date_expire', '>', validAfter)
      .orderBy('date_expire', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && channelRow(row);
  }

  async channelById(channelId: string): Promise<PullChannelRow | undefined> {
    const row = await this.db.selectFrom('pull_channels').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return row && channelRow(row);
  }

  async createChannel(row: Omit<PullChannelRow, 'id'>): Promise<PullChannelRow> {
    const out = await this.db.insertInto('pull_channels').values(row).returningAll().executeTakeFirstOrThrow();
    return channelRow(out);
  }

  async append(rows: NewPullMessage[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const ids: number[] = [];
    // Chunks keep SQLite under its bound-parameter limit.
    for (let i = 0; i < rows.length; i += 100) {
      const out = await this.db.insertInto('pull_messages').values(rows.slice(i, i + 100)).returning('id').execute();
      for (const r of out) ids.push(Number(r.id));
    }
    // Delivered to every listening node when (and only if) this transaction commits.
    if (this.dialect === 'postgres') await sql`select pg_notify(${PULL_NOTIFY_CHANNEL}, ${String(ids[ids.length - 1])})`.execute(this.db);
    return ids;
  }

  async after(id: number, limit: number, opts: { channelType?: string; notExpiredAt?: number } = {}): Promise<PullMessageRow[]> {
    let q = this.db.selectFrom('pull_messages').selectAll().where('id', '>', id);
    if (opts.channelType !== undefined) q = q.where('channel_type', '=', opts.channelType);
    if (opts.notExpiredAt !== undefined) q = q.where('date_expire', '>', opts.notExpiredAt);
    return (await q.orderBy('id').limit(limit).execute()).map(messageRow);
  }

  async maxId(): Promise<number> {
    const row = await this.db.selectFrom('pull_messages').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  async prune(now: number): Promise<number> {
    const a = await this.db.deleteFrom('pull_messages').where('date_expire', '<=', now).executeTakeFirst();
    await this.db.deleteFrom('pull_channels').where('date_expire', '<=', now - 86400).execute();
    return Number(a.numDeletedRows);
  }
}
