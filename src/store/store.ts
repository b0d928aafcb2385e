// The Store: everything the messenger needs from persistence, in domain terms. SQL lives behind it only.
import type {
  AppRow,
  ChatRow,
  MemberRow,
  MessageRow,
  NewUser,
  TokenRow,
  UserPatch,
  UserRow,
  WebhookRow,
} from './schema.ts';

export type { AppRow, ChatRow, MemberRow, MessageRow, NewUser, TokenRow, UserPatch, UserRow, WebhookRow };

export interface UserRepo {
  create(user: NewUser): Promise<UserRow>;
  get(id: number): Promise<UserRow | undefined>;
  getMany(ids: readonly number[]): Promise<UserRow[]>;
  /** Users ordered by id, optionally only these ids / only active ones. */
  list(opts: { ids?: number[]; activeOnly?: boolean; offset?: number; limit?: number }): Promise<UserRow[]>;
  count(opts: { ids?: number[]; activeOnly?: boolean }): Promise<number>;
  update(id: number, patch: UserPatch): Promise<void>;
}

export interface AuthRepo {
  createWebhook(row: { user_id: number; code_hash: string; scopes: string; title: string; date_create: number }): Promise<WebhookRow>;
  webhooksOfUser(userId: number): Promise<WebhookRow[]>;
  createApp(row: Omit<AppRow, 'id'>): Promise<AppRow>;
  appByCode(code: string): Promise<AppRow | undefined>;
  appByClientId(clientId: string): Promise<AppRow | undefined>;
  app(id: number): Promise<AppRow | undefined>;
  updateApp(id: number, patch: Partial<Omit<AppRow, 'id'>>): Promise<void>;
  createToken(row: Omit<TokenRow, 'id'>): Promise<TokenRow>;
  tokenByAccessHash(hash: string): Promise<TokenRow | undefined>;
  tokenByRefreshHash(hash: string): Promise<TokenRow | undefined>;
  revokeToken(id: number): Promise<void>;
}

export interface PortalRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly users: UserRepo;
  readonly auth: AuthRepo;
  readonly portal: PortalRepo;
  /** Runs fn atomically; nested calls join the outer transaction. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
