// Messages as im.dialog.messages.get shows them.
import type { MemberRow, MessageRow } from '../store/store.ts';
import { atom } from './dates.ts';
import { phpMap } from './php.ts';

export function historyMessage(m: MessageRow, viewer: MemberRow | undefined, zone: string) {
  return {
    id: m.id,
    chat_id: m.chat_id,
    author_id: m.author_id,
    date: atom(m.date, zone),
    text: m.text,
    unread: viewer ? m.author_id !== viewer.user_id && m.seq > viewer.read_seq : false,
    uuid: m.uuid,
    replaces: [],
    params: phpMap(JSON.parse(m.params) as Record<string, unknown>),
    disappearing_date: null,
  };
}
