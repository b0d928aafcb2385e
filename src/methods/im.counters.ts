// im.counters.get: the user's unread counters by kind.
import { unreadCounter } from '../app/reads.ts';
import { phpMap } from '../present/php.ts';
import type { MethodDef } from './registry.ts';

export const imCountersMethods: MethodDef[] = [
  {
    name: 'im.counters.get',
    scope: 'im',
    params: ['JSON', 'ONLY_COUNTER'],
    async handler({ app, auth }) {
      const chat: Record<string, number> = {};
      const chatMuted: Record<string, number> = {};
      const lines: Record<string, number> = {};
      const dialog: Record<string, number> = {};
      const chatUnread: number[] = [];
      const dialogUnread: number[] = [];
      let sumChat = 0;
      let sumLines = 0;
      let sumDialog = 0;
      for (const { member, chat: c } of await app.store.members.allOfUser(auth.user.id)) {
        const n = await unreadCounter(app.store, member, c);
        if (c.type === 'P') {
          if (member.unread) dialogUnread.push(member.item_id);
          if (n > 0) {
            dialog[member.item_id] = n;
            sumDialog += n;
          }
        } else if (c.type === 'L') {
          if (n > 0) {
            lines[c.id] = n;
            sumLines += n;
          }
        } else {
          if (member.unread) chatUnread.push(c.id);
          if (n <= 0) continue;
          if (member.muted) chatMuted[c.id] = n;
          else {
            chat[c.id] = n;
            sumChat += n;
          }
        }
      }
      const messenger = sumChat + sumLines + sumDialog;
      const notify = await app.notifications.unreadCount(auth.user.id);
      return {
        TYPE: { ALL: messenger + notify, NOTIFY: notify, CHAT: sumChat, LINES: sumLines, DIALOG: sumDialog, MESSENGER: messenger },
        CHAT: phpMap(chat),
        CHAT_MUTED: phpMap(chatMuted),
        CHAT_UNREAD: chatUnread,
        LINES: phpMap(lines),
        DIALOG: phpMap(dialog),
        DIALOG_UNREAD: dialogUnread,
      };
    },
  },
];
