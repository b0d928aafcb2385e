// The validation probe of cached recent lists: the user's version, the portal-wide users version (row 0) and the
// sum of the versions of the user's large chats (each only grows, so the sum moves when any of them does; joining
// or leaving one bumps the user's own version). Index lookups only: two primary keys and the user's few large rows.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { RecentVersionRepo } from '../store.ts';

const probe = (p: string) => `select
  (select version from recent_user_versions where user_id = ${p}) as u,
  (select version from recent_user_versions where user_id = 0) as p,
  (select coalesce(sum(v.version), 0) from members m join recent_chat_versions v on v.chat_id = m.chat_id
    where m.user_id = ${p} and m.large = 1) as l`;

const SQLITE = probe('?');
const POSTGRES = probe('$1');

export class SqlRecentVersionRepo implements RecentVersionRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async token(userId: number): Promise<string> {
    const q = this.dialect === 'sqlite' ? CompiledQuery.raw(SQLITE, [userId, userId]) : CompiledQuery.raw(POSTGRES, [userId]);
    const { rows } = await this.db.executeQuery<{ u: unknown; p: unknown; l: unknown }>(q);
    const r = rows[0];
    return `${r.u}.${r.p}.${r.l}`;
  }
}
