// Serialized im.recent.get answers per user and filter, served again while the database says nothing they show has
// changed. Every read first takes the user's version token (one indexed statement; the versions are bumped by
// triggers in the writing transaction, migration 081), so a write by any process or node is seen by the very next
// read. The clock is the other input: an answer expires when its oldest item would leave the date window.
// Bounded in bytes, least recently used out first.
import type { Store, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { RecentFilter, RecentItem, RecentService } from './recent.ts';

export interface RecentCacheStats {
  hits: number;
  misses: number;
  /** Misses that found an entry whose versions had moved ('version') or whose window had passed ('expired'). */
  invalidations: { version: number; expired: number };
  /** Entries dropped to stay within the byte bound. */
  evictions: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

/** A built answer: its JSON as UTF-8 bytes, and the first second (clock time) it may differ without any write. */
export interface BuiltAnswer {
  json: Buffer;
  expiresAt: number;
}

interface Entry {
  token: string;
  json: Buffer;
  expiresAt: number;
  bytes: number;
}

/** Map and string overhead per entry, so many small answers are bounded too. */
const ENTRY_OVERHEAD = 200;

/**
 * The first second an answer built from items with these dates may differ by the clock alone: an item is listed
 * while its date is at least now minus the window, so the oldest leaves one second after date + window. Without a
 * window (ONLY_OPENLINES) or without items nothing leaves by itself.
 */
export function windowExpiry(dates: Iterable<number>, windowSeconds: number | undefined): number {
  if (windowSeconds === undefined) return Infinity;
  let oldest = Infinity;
  for (const d of dates) if (d < oldest) oldest = d;
  return oldest + windowSeconds + 1;
}

export class RecentCache {
  private readonly entries = new Map<string, Entry>();
  /** Builds under way by key, so concurrent misses on the same versions build once. */
  private readonly building = new Map<string, { token: string; answer: Promise<BuiltAnswer> }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private readonly invalidations = { version: 0, expired: 0 };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly recent: RecentService,
    private readonly windowDays: number,
    readonly maxBytes: number,
  ) {}

  /** Whether a call is answered from here: deltas (LAST_UPDATE, LAST_SYNC_DATE) are cheap and depend on their date. */
  serves(f: RecentFilter): boolean {
    return this.maxBytes > 0 && f.lastUpdate === undefined && f.lastSyncDate === undefined;
  }

  /** im.recent.get's answer as JSON bytes (sent as they are); `present` writes the items as the method answers them. */
  async get(user: UserRow, f: RecentFilter, present: (items: RecentItem[]) => string): Promise<Buffer> {
    const variant = [f.skipOpenlines, f.skipChat, f.skipDialog, f.onlyOpenlines, f.withCounters !== false].map((b) => (b ? 1 : 0)).join('');
    return this.answer(user.id, variant, async () => {
      const items = await this.recent.get(user, f);
      const window = f.onlyOpenlines ? undefined : this.windowDays * 24 * 3600;
      return { json: Buffer.from(present(items)), expiresAt: windowExpiry(items.map((i) => i.dateUpdate), window) };
    });
  }

  /**
   * The answer for a user and a filter variant: the cached JSON while its versions and window hold, else build()'s.
   * The token is read before building, so an answer is never filed under versions newer than what it saw.
   */
  async answer(userId: number, variant: string, build: () => Promise<BuiltAnswer>): Promise<Buffer> {
    const key = `${userId}:${variant}`;
    const token = await this.store.recentVersions.token(userId);
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.token === token && now < hit.expiresAt) {
      this.hits++;
      // Most recently used goes last; the first key is the one to evict.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.json;
    }
    this.misses++;
    if (hit) {
      if (hit.token !== token) this.invalidations.version++;
      else this.invalidations.expired++;
      this.remove(key, hit);
    }
    let pending = this.building.get(key);
    if (!pending || pending.token !== token) {
      pending = { token, answer: build() };
      this.building.set(key, pending);
      const mine = pending;
      void mine.answer.then(
        (built) => {
          if (this.building.get(key) === mine) this.building.delete(key);
          this.keep(key, token, built);
        },
        () => {
          if (this.building.get(key) === mine) this.building.delete(key);
        },
      );
    }
    const built = await pending.answer;
    // A shared build may have finished before the window passed for it but after it passed for this request.
    if (this.clock() >= built.expiresAt) return (await build()).json;
    return built.json;
  }

  stats(): RecentCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      invalidations: { ...this.invalidations },
      evictions: this.evictions,
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
    };
  }

  private keep(key: string, token: string, built: BuiltAnswer): void {
    const bytes = built.json.length + key.length + ENTRY_OVERHEAD;
    // One answer may take at most a quarter of the cache (a 1,000-item list is about 1 MB).
    if (bytes > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, { token, json: built.json, expiresAt: built.expiresAt, bytes });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.remove(oldestKey, oldest);
      this.evictions++;
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
