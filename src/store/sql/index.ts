// One Store implementation over Kysely, shared by the SQLite and PostgreSQL backends.
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { PoolStats, Store } from '../store.ts';
import { SqlAuthRepo } from './auth.ts';
import { SqlBulkRepo } from './bulk.ts';
import { SqlChatRepo } from './chats.ts';
import { SqlMemberRepo } from './members.ts';
import { SqlMessageRepo } from './messages.ts';
import { SqlRecentRepo } from './recent.ts';
import { SqlOpenLinesRepo } from './openlines.ts';
import { advisoryLockKey, isRetryableConflict, retryDelayMs, MAX_TX_ATTEMPTS } from './dialect.ts';
import { SqlBotRepo } from './bots.ts';
import { SqlCommandRepo } from './commands.ts';
import { SqlEventRepo } from './events.ts';
import { SqlChangeRepo } from './changes.ts';
import { SqlOfflineRepo } from './offline.ts';
import { SqlOptionRepo } from './options.ts';
import { SqlPullRepo } from './pull.ts';
import { SqlNotificationRepo } from './notifications.ts';
import { SqlFetchRepo, SqlReactionRepo } from './fetch.ts';
import { SqlDepartmentRepo, SqlSearchLastRepo } from './departments.ts';
import { SqlPortalRepo } from './portal.ts';
import { SqlUserRepo } from './users.ts';
import { SqlFileRepo } from './files.ts';
import { SqlRecentVersionRepo } from './recent-versions.ts';

export class SqlStore implements Store {
  readonly users: SqlUserRepo;
  readonly auth: SqlAuthRepo;
  readonly portal: SqlPortalRepo;
  readonly chats: SqlChatRepo;
  readonly members: SqlMemberRepo;
  readonly recent: SqlRecentRepo;
  readonly messages: SqlMessageRepo;
  readonly bulk: SqlBulkRepo;
  readonly openlines: SqlOpenLinesRepo;
  readonly bots: SqlBotRepo;
  readonly events: SqlEventRepo;
  readonly commands: SqlCommandRepo;
  readonly changes: SqlChangeRepo;
  readonly offline: SqlOfflineRepo;
  readonly options: SqlOptionRepo;
  readonly fetch: SqlFetchRepo;
  readonly pull: SqlPullRepo;
  readonly files: SqlFileRepo;
  readonly notifications: SqlNotificationRepo;
  readonly departments: SqlDepartmentRepo;
  readonly searchLast: SqlSearchLastRepo;
  readonly recentVersions: SqlRecentVersionRepo;

  /** Set by openPostgres: the pool's use, for /metrics. */
  poolStats?: () => PoolStats;
  readonly reactions: SqlReactionRepo;

  constructor(
    readonly dialect: 'sqlite' | 'postgres',
    private readonly db: Kysely<Database>,
    private readonly inTransaction = false,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.users = new SqlUserRepo(db, dialect);
    this.auth = new SqlAuthRepo(db);
    this.portal = new SqlPortalRepo(db);
    this.chats = new SqlChatRepo(db, dialect);
    this.members = new SqlMemberRepo(db, dialect);
    this.recent = new SqlRecentRepo(db, dialect);
    this.messages = new SqlMessageRepo(db, dialect);
    this.bulk = new SqlBulkRepo(db, dialect);
    this.openlines = new SqlOpenLinesRepo(db, dialect);
    this.bots = new SqlBotRepo(db);
    this.events = new SqlEventRepo(db);
    this.commands = new SqlCommandRepo(db);
    this.changes = new SqlChangeRepo(db, dialect);
    this.offline = new SqlOfflineRepo(db);
    this.options = new SqlOptionRepo(db);
    this.fetch = new SqlFetchRepo(db);
    this.pull = new SqlPullRepo(db, dialect);
    this.files = new SqlFileRepo(db);
    this.notifications = new SqlNotificationRepo(db, dialect);
    this.reactions = new SqlReactionRepo(db);
    this.departments = new SqlDepartmentRepo(db);
    this.searchLast = new SqlSearchLastRepo(db);
    this.recentVersions = new SqlRecentVersionRepo(db, dialect);
  }

  /** The query builder, for code inside store/ (tests, migrations, dumps). */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  /** The query plan of a statement the app ran (bench/explain.ts), with its own parameters. */
  async explain(statement: string, parameters: readonly unknown[]): Promise<string[]> {
    const prefix = this.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const { rows } = await this.db.executeQuery(CompiledQuery.raw(prefix + statement, [...parameters]));
    return (rows as Record<string, unknown>[]).map((r) => String(r.detail ?? r['QUERY PLAN'] ?? JSON.stringify(r)));
  }

  /**
   * SQLite: one connection, so transactions run one after another (BEGIN IMMEDIATE against other processes).
   * PostgreSQL: READ COMMITTED, the server's default: concurrent transactions serialize on the rows and keys
   * they lock (chats.getForUpdate, UPDATE ... RETURNING, lock()). A transaction that loses a deadlock or a
   * serialization conflict is rolled back and fn runs again, so fn must only touch the database through tx
   * and keep other side effects (events, caches) until after it returns.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const run = (trx: Transaction<Database>) => fn(new SqlStore(this.dialect, trx, true));
    if (this.dialect === 'sqlite') return this.db.transaction().execute(run);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().setIsolationLevel('read committed').execute(run);
      } catch (err) {
        if (attempt >= MAX_TX_ATTEMPTS || !isRetryableConflict(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
      }
    }
  }

  async lock(key: string): Promise<void> {
    if (!this.inTransaction) throw new Error('Store.lock() needs a transaction');
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${advisoryLockKey(key)}::bigint)`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.onClose();
  }
}
