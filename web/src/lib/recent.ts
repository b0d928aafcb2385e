// The recent list as the sidebar shows it: loaded with im.recent.get, kept current with LAST_SYNC_DATE deltas
// merged in place (items are replaced by key, never the whole list, so nothing flickers), and changed with
// im.recent.pin / hide / unread.
import { computed, reactive } from 'vue';
import { ApiError, type Api } from './api';
import { dialogIdOf } from './format';
import type { ImUser, RecentItem } from './types';

export type Filter = 'all' | 'chats' | 'dialogs' | 'lines';

/** The documented im.recent.get type filters behind each tab. */
export const FILTER_PARAMS: Record<Filter, Record<string, string>> = {
  all: {},
  chats: { SKIP_DIALOG: 'Y', SKIP_OPENLINES: 'Y' },
  dialogs: { SKIP_CHAT: 'Y', SKIP_OPENLINES: 'Y' },
  lines: { ONLY_OPENLINES: 'Y' },
};

/**
 * Items sort as the server sorts them: pinned first (in the order they were pinned, which the server keeps but
 * does not send: `pinOrder` remembers it from the last full answer), then the newest message, then the higher
 * item id.
 */
export function compareItems(a: RecentItem, b: RecentItem, pinOrder: Map<string, number> = new Map()): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.pinned) {
    const pa = pinOrder.get(dialogIdOf(a)) ?? Infinity;
    const pb = pinOrder.get(dialogIdOf(b)) ?? Infinity;
    if (pa !== pb) return pa < pb ? -1 : 1;
  }
  const da = Date.parse(a.message?.date ?? a.date_update) || 0;
  const db = Date.parse(b.message?.date ?? b.date_update) || 0;
  if (da !== db) return db - da;
  return idRank(b) - idRank(a);
}

function idRank(item: RecentItem): number {
  return typeof item.id === 'number' ? item.id : Number(String(item.id).replace(/^chat/, '')) || 0;
}

export interface RecentOptions {
  /** Delta poll period while the page is visible (ms) and no real-time channel is connected. */
  pollMs?: number;
  /** Poll period while the real-time channel is connected: a safety net only (ms). */
  livePollMs?: number;
  /** A full reload every so often catches items hidden elsewhere (deltas cannot report removals). */
  fullReloadMs?: number;
  onAuthError(err: ApiError): void;
}

export type RecentStore = ReturnType<typeof createRecent>;

export function createRecent(api: Api, opts: RecentOptions) {
  const pollMs = opts.pollMs ?? 2000;
  const fullReloadMs = opts.fullReloadMs ?? 60_000;
  const livePollMs = opts.livePollMs ?? 60_000;
  /** The Push & Pull channel is connected: changes arrive as events, polling is only a safety net. */
  let live = false;
  /** An event arrived while a sync was under way: sync once more after it. */
  let again = false;
  const state = reactive({
    items: new Map<string, RecentItem>(),
    filter: 'all' as Filter,
    /** First load of the current filter. */
    loading: true,
    /** The list could not be loaded at all. */
    error: '',
    /** Background sync is failing; the list shown may be out of date. */
    offline: false,
  });
  /** Authors and peers seen in any answer, for names in previews. */
  const users = reactive(new Map<number, ImUser>());
  const pinOrder = reactive(new Map<string, number>());
  const sorted = computed(() => [...state.items.values()].sort((a, b) => compareItems(a, b, pinOrder)));

  let lastSync: string | undefined;
  let lastFull = 0;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let inFlight: Promise<void> | undefined;

  function remember(item: RecentItem): void {
    const u = item.user;
    if (u && u.id && u.name !== undefined) users.set(u.id, u as ImUser);
  }

  function handle(err: unknown): string {
    if (err instanceof ApiError && err.isAuth) opts.onAuthError(err);
    return err instanceof ApiError ? err.description || err.code : String(err);
  }

  async function fetchList(extra: Record<string, string>) {
    return api.call<RecentItem[] | false>('im.recent.get', { ...FILTER_PARAMS[state.filter], ...extra });
  }

  async function reload(): Promise<void> {
    const gen = ++generation;
    if (state.items.size === 0) state.loading = true;
    try {
      const answer = await fetchList({});
      if (gen !== generation) return;
      const fresh = new Map<string, RecentItem>();
      pinOrder.clear();
      for (const item of answer.result || []) {
        fresh.set(dialogIdOf(item), item);
        if (item.pinned) pinOrder.set(dialogIdOf(item), pinOrder.size);
        remember(item);
      }
      // Replace entries in place: unchanged keys keep their DOM nodes.
      for (const key of [...state.items.keys()]) if (!fresh.has(key)) state.items.delete(key);
      for (const [key, item] of fresh) state.items.set(key, item);
      lastSync = answer.dateStart;
      lastFull = Date.now();
      state.error = '';
      state.offline = false;
    } catch (err) {
      if (gen !== generation) return;
      const text = handle(err);
      if (state.items.size === 0) state.error = text;
      else state.offline = true;
    } finally {
      if (gen === generation) state.loading = false;
    }
  }

  async function sync(): Promise<void> {
    if (!lastSync || Date.now() - lastFull > fullReloadMs) return reload();
    const gen = generation;
    try {
      const answer = await fetchList({ LAST_SYNC_DATE: lastSync });
      if (gen !== generation) return;
      for (const item of answer.result || []) {
        const key = dialogIdOf(item);
        // Pinned elsewhere: the server put it last among the pinned ones.
        if (item.pinned && !pinOrder.has(key)) pinOrder.set(key, nextPin());
        if (!item.pinned) pinOrder.delete(key);
        state.items.set(key, item);
        remember(item);
      }
      if (answer.dateStart) lastSync = answer.dateStart;
      state.offline = false;
    } catch (err) {
      if (gen !== generation) return;
      handle(err);
      state.offline = true;
    }
  }

  /** Runs one sync now (after an action), or joins the one under way. */
  function refresh(): Promise<void> {
    if (!inFlight) inFlight = sync().finally(() => (inFlight = undefined));
    return inFlight;
  }

  /** A change was pushed: sync now, and once more if a sync was already under way (it may have missed it). */
  function changed(): void {
    if (inFlight) {
      again = true;
      return;
    }
    void refresh().then(() => {
      if (again) {
        again = false;
        changed();
      }
    });
  }

  /** The real-time channel came up (poll rarely) or went away (catch up now and poll as before). */
  function setLive(on: boolean): void {
    if (live === on) return;
    live = on;
    if (!on) void refresh();
    schedule();
  }

  function schedule(): void {
    if (stopped) return;
    clearTimeout(timer);
    const delay = live ? livePollMs : document.visibilityState === 'visible' ? pollMs : pollMs * 5;
    timer = setTimeout(async () => {
      await refresh();
      schedule();
    }, delay);
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible') void refresh();
  };

  async function start(): Promise<void> {
    stopped = false;
    document.addEventListener('visibilitychange', onVisible);
    await reload();
    schedule();
  }

  function stop(): void {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  }

  async function setFilter(filter: Filter): Promise<void> {
    if (filter === state.filter) return;
    state.filter = filter;
    state.items.clear();
    lastSync = undefined;
    await reload();
  }

  /** Applies a change locally at once, then on the server; the server's answer wins on the next sync. */
  async function act(item: RecentItem, local: () => void, undo: () => void, method: string, params: Record<string, unknown>): Promise<string | undefined> {
    local();
    try {
      const ok = await api.result<boolean>(method, { DIALOG_ID: dialogIdOf(item), ...params });
      if (ok === false) {
        undo();
        return method === 'im.recent.pin' ? 'No more items can be pinned' : 'The server refused the change';
      }
      void refresh();
      return undefined;
    } catch (err) {
      undo();
      return handle(err);
    }
  }

  function nextPin(): number {
    return Math.max(-1, ...pinOrder.values()) + 1;
  }

  function current(item: RecentItem): RecentItem | undefined {
    return state.items.get(dialogIdOf(item));
  }

  function patch(key: string, fields: Partial<RecentItem>): void {
    const item = state.items.get(key);
    if (item) state.items.set(key, { ...item, ...fields });
  }

  return {
    state,
    users,
    sorted,
    start,
    stop,
    reload,
    refresh,
    changed,
    setLive,
    get live(): boolean {
      return live;
    },
    setFilter,
    get(key: string): RecentItem | undefined {
      return state.items.get(key);
    },
    patch,
    pin(item: RecentItem, on: boolean) {
      const key = dialogIdOf(item);
      const was = current(item)?.pinned ?? item.pinned;
      const order = pinOrder.get(key);
      return act(
        item,
        () => {
          patch(key, { pinned: on });
          if (on && order === undefined) pinOrder.set(key, nextPin());
          if (!on) pinOrder.delete(key);
        },
        () => {
          patch(key, { pinned: was });
          if (order === undefined) pinOrder.delete(key);
          else pinOrder.set(key, order);
        },
        'im.recent.pin',
        { PIN: on ? 'Y' : 'N' },
      );
    },
    markUnread(item: RecentItem, on: boolean) {
      const key = dialogIdOf(item);
      const before = current(item) ?? item;
      const was = { unread: before.unread, counter: before.counter };
      // ACTION=N takes the mark off and reads the dialog.
      const local = on ? { unread: true } : { unread: false, counter: 0 };
      return act(item, () => patch(key, local), () => patch(key, was), 'im.recent.unread', { ACTION: on ? 'Y' : 'N' });
    },
    hide(item: RecentItem) {
      const key = dialogIdOf(item);
      const saved = current(item);
      return act(item, () => state.items.delete(key), () => saved && state.items.set(key, saved), 'im.recent.hide', {});
    },
  };
}
