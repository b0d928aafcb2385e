// Messages as im.dialog.messages.get shows them.
import type { MemberRow, MessageRow } from '../store/store.ts';
import { atom } from './dates.ts';
import { phpMap } from './php.ts';

/** A message's params as a portal shows them: a system message's CODE is a list, with NOTIFY "N" beside it. */
export function messageParams(m: MessageRow): Record<string, unknown> {
  const params = JSON.parse(m.params) as Record<string, unknown>;
  if (typeof params.CODE === 'string') {
    params.CODE = [params.CODE];
    params.NOTIFY ??= 'N';
  }
  return params;
}

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
    params: phpMap(messageParams(m)),
    disappearing_date: null,
  };
}
