// Users of the portal: creation with a portal's defaults, lookups.
import { Errors } from '../errors.ts';
import type { Store, UserPatch, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';
import { colorFor } from './colors.ts';
import type { MessengerEvents } from './events.ts';

export interface NewUserInput {
  name: string;
  lastName?: string;
  email?: string;
  workPosition?: string;
  gender?: 'M' | 'F' | '';
  isAdmin?: boolean;
  bot?: boolean;
  connector?: boolean;
  extranet?: boolean;
  externalAuthId?: string;
  avatar?: string;
  birthday?: string;
}

export class UsersService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Records status changes for Push & Pull (absent where no one listens: bootstrap). */
    private readonly events?: MessengerEvents,
  ) {}

  /** im.user.status.set / idle.start / idle.end: the change and its real-time notice commit together. */
  async setStatus(id: number, patch: Pick<UserPatch, 'status' | 'idle'>): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.users.update(id, patch);
      const user = await tx.users.get(id);
      if (user) await this.events?.record(tx, 'userStatus', { user });
    });
    this.events?.committed();
  }

  async create(input: NewUserInput): Promise<UserRow> {
    return this.store.transaction((tx) => this.createInTx(tx, input));
  }

  /** Creates a user inside the caller's transaction (open lines create customers while posting). */
  async createInTx(tx: Store, input: NewUserInput): Promise<UserRow> {
    const name = input.name.trim();
    if (!name) throw Errors.method('NAME_EMPTY', 'User name can\'t be empty');
    const now = this.clock();
    const user = await tx.users.create({
      active: 1,
      is_admin: input.isAdmin ? 1 : 0,
      name,
      last_name: (input.lastName ?? '').trim(),
      second_name: '',
      email: (input.email ?? '').trim(),
      work_position: (input.workPosition ?? '').trim(),
      color: '',
      avatar: input.avatar ?? '',
      gender: input.gender ?? '',
      birthday: input.birthday ?? '',
      extranet: input.extranet ? 1 : 0,
      network: 0,
      bot: input.bot ? 1 : 0,
      connector: input.connector ? 1 : 0,
      external_auth_id: input.externalAuthId ?? (input.bot ? 'bot' : input.connector ? 'imconnector' : 'default'),
      status: 'online',
      idle: null,
      last_activity_date: null,
      mobile_last_date: null,
      desktop_last_date: null,
      absent: null,
      departments: input.extranet || input.bot || input.connector ? '[]' : '[1]',
      website: '',
      phone: '',
      time_zone: '',
      date_register: now,
    });
    const color = colorFor(user.id);
    await tx.users.update(user.id, { color });
    return { ...user, color };
  }

  async get(id: number): Promise<UserRow | undefined> {
    return this.store.users.get(id);
  }

  async require(id: number): Promise<UserRow> {
    const user = await this.store.users.get(id);
    if (!user) throw Errors.method('USER_NOT_EXISTS', 'User not found');
    return user;
  }

  async update(id: number, patch: UserPatch): Promise<void> {
    await this.store.users.update(id, patch);
  }

  /** A new portal starts with user 1, the administrator. */
  async ensureAdmin(): Promise<void> {
    if ((await this.store.users.count({})) > 0) return;
    await this.create({ name: 'Admin', lastName: '', isAdmin: true, workPosition: 'Administrator' });
  }
}
