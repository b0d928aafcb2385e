// im.recent.*: the recent list, the method b24im exists for.
import { recentItemsJson, type RecentPresentOptions } from '../present/recent.ts';
import type { App } from '../app/index.ts';
import type { RecentItem } from '../app/recent.ts';
import { RECENT_LIST_PAGE } from '../app/limits.ts';
import { requireDialog } from './im-params.ts';
import type { Params } from './params.ts';
import { presentOptions } from './present-options.ts';
import { ListResult, RawJson, type MethodDef } from './registry.ts';

const LIST_DEFAULT = RECENT_LIST_PAGE.default;
const LIST_MAX = RECENT_LIST_PAGE.max;

function recentOptions(app: App, originalText = false): RecentPresentOptions {
  return { ...presentOptions(app), lang: app.config.language, originalText };
}

/**
 * A Y/N switch whose portal code only looks for one of the two values (`!== 'N'` or `=== 'Y'`): any other value
 * gives `otherwise`, and is reported in strict mode.
 */
function yesNo(params: Params, name: string, absent: boolean, otherwise: boolean): boolean {
  const v = params.raw(name);
  if (v === undefined || v === null || v === '') return absent;
  if (v === 'Y') return true;
  if (v === 'N') return false;
  params.fallback(name, `Parameter ${name} must be Y or N`);
  return otherwise;
}

export const imRecentMethods: MethodDef[] = [
  {
    name: 'im.recent.get',
    scope: 'im',
    params: ['SKIP_OPENLINES', 'SKIP_CHAT', 'SKIP_DIALOG', 'ONLY_OPENLINES', 'LAST_UPDATE', 'LAST_SYNC_DATE', 'WITH_COUNTERS'],
    async handler({ app, auth, params }) {
      const f = {
        skipOpenlines: params.flag('SKIP_OPENLINES'),
        skipChat: params.flag('SKIP_CHAT'),
        skipDialog: params.flag('SKIP_DIALOG'),
        onlyOpenlines: params.flag('ONLY_OPENLINES'),
        lastUpdate: params.date('LAST_UPDATE'),
        lastSyncDate: params.date('LAST_SYNC_DATE'),
        // Counters are on unless exactly N turns them off.
        withCounters: yesNo(params, 'WITH_COUNTERS', true, true),
      };
      const present = (items: RecentItem[]) => recentItemsJson(items, recentOptions(app));
      if (app.recentCache.serves(f)) return new RawJson(await app.recentCache.get(auth.user, f, present));
      return new RawJson(present(await app.recent.get(auth.user, f)));
    },
  },
  {
    name: 'im.recent.list',
    scope: 'im',
    params: [
      'SKIP_OPENLINES', 'SKIP_CHAT', 'SKIP_DIALOG', 'UNREAD_ONLY', 'LAST_MESSAGE_DATE', 'DATE_LAST_ACTIVITY', 'OFFSET', 'LIMIT',
      'PARSE_TEXT', 'GET_ORIGINAL_TEXT', 'SKIP_UNDISTRIBUTED_OPENLINES', 'ONLY_COPILOT', 'ONLY_CHANNEL', 'CAN_MANAGE_MESSAGES',
    ],
    async handler({ app, auth, params, start }) {
      let limit = params.int('LIMIT') ?? LIST_DEFAULT;
      if (limit <= 0) {
        if (params.has('LIMIT')) params.fallback('LIMIT', 'LIMIT must be positive');
        limit = LIST_DEFAULT;
      }
      if (limit > LIST_MAX) {
        params.fallback('LIMIT', `LIMIT is at most ${LIST_MAX}`);
        limit = LIST_MAX;
      }
      const offsetParam = params.int('OFFSET') ?? 0;
      if (offsetParam < 0) params.fallback('OFFSET', 'OFFSET must not be negative');
      // REST's own `start` wins over OFFSET when it is given, as a portal's getOffset() prefers it.
      const offset = start > 0 ? start : Math.max(0, offsetParam);
      const lastMessageDate = params.date('LAST_MESSAGE_DATE') ?? params.date('DATE_LAST_ACTIVITY');
      // b24im has no copilot or channel chats: asking only for them gives an empty page.
      const onlyAbsentKinds = params.flag('ONLY_COPILOT') || params.flag('ONLY_CHANNEL');
      params.flag('PARSE_TEXT');
      params.flag('SKIP_UNDISTRIBUTED_OPENLINES');
      params.flag('CAN_MANAGE_MESSAGES');
      const page = onlyAbsentKinds
        ? { items: [], hasMore: false }
        : await app.recent.list(auth.user, {
            skipOpenlines: params.flag('SKIP_OPENLINES'),
            skipChat: params.flag('SKIP_CHAT'),
            skipDialog: params.flag('SKIP_DIALOG'),
            unreadOnly: params.flag('UNREAD_ONLY'),
            lastMessageDate,
            offset,
            limit,
          });
      const items = recentItemsJson(page.items, recentOptions(app, params.flag('GET_ORIGINAL_TEXT')));
      const result = new RawJson(
        `{"items":${items},"hasMorePages":${page.hasMore},"hasMore":${page.hasMore},"copilot":null,"messagesAutoDeleteConfigs":[]}`,
      );
      // The cursor form (LAST_MESSAGE_DATE) ignores the offset, so `next` counts from 0 then.
      const usedOffset = lastMessageDate !== undefined ? 0 : offset;
      return new ListResult(result, -1, page.hasMore ? usedOffset + page.items.length : undefined);
    },
  },
  {
    name: 'im.recent.pin',
    scope: 'im',
    params: ['DIALOG_ID', 'PIN', 'ACTION'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      // ACTION is the old name of PIN and wins over it; anything but N pins.
      const pin = params.has('ACTION') ? yesNo(params, 'ACTION', true, true) : yesNo(params, 'PIN', true, true);
      return app.recent.pin(auth.user, ref, pin);
    },
  },
  {
    name: 'im.recent.hide',
    scope: 'im',
    params: ['DIALOG_ID'],
    async handler({ app, auth, params }) {
      return app.recent.hide(auth.user, requireDialog(params));
    },
  },
  {
    name: 'im.recent.unread',
    scope: 'im',
    params: ['DIALOG_ID', 'ACTION', 'UNREAD'],
    async handler({ app, auth, params }) {
      const ref = requireDialog(params);
      // ACTION is the documented name, UNREAD the portal's own; anything but N sets the mark.
      const unread = params.has('ACTION') ? yesNo(params, 'ACTION', true, true) : yesNo(params, 'UNREAD', true, true);
      return app.recent.markUnread(auth.user, ref, unread);
    },
  },
];
