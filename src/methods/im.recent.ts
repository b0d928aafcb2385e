// im.recent.*: the recent list, the method b24im exists for.
import { recentItem, type RecentPresentOptions } from '../present/recent.ts';
import type { App } from '../app/index.ts';
import { RECENT_LIST_PAGE } from '../app/limits.ts';
import { requireDialog } from './im-params.ts';
import { presentOptions } from './present-options.ts';
import { ListResult, type MethodDef } from './registry.ts';

const LIST_DEFAULT = RECENT_LIST_PAGE.default;
const LIST_MAX = RECENT_LIST_PAGE.max;

function recentOptions(app: App): RecentPresentOptions {
  return { ...presentOptions(app), lang: app.config.language };
}

export const imRecentMethods: MethodDef[] = [
  {
    name: 'im.recent.get',
    scope: 'im',
    params: ['SKIP_OPENLINES', 'SKIP_CHAT', 'SKIP_DIALOG', 'ONLY_OPENLINES', 'LAST_UPDATE', 'LAST_SYNC_DATE', 'WITH_COUNTERS'],
    async handler({ app, auth, params }) {
      const items = await app.recent.get(auth.user, {
        skipOpenlines: params.flag('SKIP_OPENLINES'),
        skipChat: params.flag('SKIP_CHAT'),
        skipDialog: params.flag('SKIP_DIALOG'),
        onlyOpenlines: params.flag('ONLY_OPENLINES'),
        lastUpdate: params.date('LAST_UPDATE'),
        lastSyncDate: params.date('LAST_SYNC_DATE'),
        withCounters: params.flag('WITH_COUNTERS', true),
      });
      const o = recentOptions(app);
      return items.map((i) => recentItem(i, o));
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
      if (limit <= 0) limit = LIST_DEFAULT;
      if (limit > LIST_MAX) limit = LIST_MAX;
      const offset = start > 0 ? start : Math.max(0, params.int('OFFSET') ?? 0);
      const lastMessageDate = params.date('LAST_MESSAGE_DATE') ?? params.date('DATE_LAST_ACTIVITY');
      const page = await app.recent.list(auth.user, {
        skipOpenlines: params.flag('SKIP_OPENLINES'),
        skipChat: params.flag('SKIP_CHAT'),
        skipDialog: params.flag('SKIP_DIALOG'),
        unreadOnly: params.flag('UNREAD_ONLY'),
        lastMessageDate,
        offset,
        limit,
      });
      const o = recentOptions(app);
      const result = {
        items: page.items.map((i) => recentItem(i, o)),
        hasMorePages: page.hasMore,
        hasMore: page.hasMore,
      };
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
      const value = params.has('ACTION') ? params.string('ACTION') : params.string('PIN');
      return app.recent.pin(auth.user, ref, value !== 'N');
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
      const value = params.has('ACTION') ? params.string('ACTION') : params.string('UNREAD');
      return app.recent.markUnread(auth.user, ref, value !== 'N');
    },
  },
];
