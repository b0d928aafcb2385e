// The messenger, free of HTTP: services over one Store.
import type { Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { AuthService } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import { randomHex } from './secrets.ts';
import { UsersService } from './users.ts';

export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly memberId: string;
  readonly users: UsersService;
  readonly auth: AuthService;
}

/** Builds the services and makes sure the portal has its identity and administrator. */
export async function createApp(store: Store, config: Config, clock: Clock = systemClock): Promise<App> {
  let memberId = await store.portal.get('member_id');
  if (!memberId) {
    memberId = randomHex(16);
    await store.portal.set('member_id', memberId);
  }
  const fixedMemberId = memberId;
  const users = new UsersService(store, clock);
  await users.ensureAdmin();
  return {
    config,
    store,
    clock,
    memberId: fixedMemberId,
    users,
    auth: new AuthService(store, clock, () => fixedMemberId),
  };
}
