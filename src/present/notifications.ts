// Notifications as im.notify.get and im.notify.history.search show them.
import type { NotificationRow } from '../store/store.ts';
import { atom } from './dates.ts';

/** Line breaks a notification keeps: the portal's #BR# marker and newlines. */
const BREAK = /#BR#|\r?\n/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * CONVERT_TEXT=Y: the text as HTML a client can show: escaped, with line breaks and the simple BBCode styles
 * ([b], [i], [u], [s], [url]) turned into tags.
 */
export function notificationHtml(text: string): string {
  return text
    .replace(/[&<>"]/g, (c) => ESCAPES[c])
    .replace(BREAK, '<br />')
    .replace(/\[(\/?)([bius])\]/gi, (_m, close: string, tag: string) => `<${close}${tag.toLowerCase()}>`)
    .replace(/\[url=([^\]\s]+)\]([\s\S]*?)\[\/url\]/gi, (_m, href: string, label: string) =>
      /^https?:\/\//i.test(href) ? `<a href="${href}" target="_blank">${label}</a>` : label,
    );
}

export function presentNotification(n: NotificationRow, zone: string, convertText: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: n.id,
    chat_id: n.chat_id,
    author_id: n.author_id,
    date: atom(n.date, zone),
    notify_type: n.type,
    notify_module: n.module,
    notify_event: n.event,
    notify_tag: n.tag,
    notify_sub_tag: n.sub_tag,
    notify_title: n.title,
    setting_name: `${n.module}|${n.event}`,
    text: convertText ? notificationHtml(n.text) : n.text.replace(BREAK, '\n'),
    notify_read: n.is_read ? 'Y' : 'N',
  };
  if (n.buttons) out.notify_buttons = n.buttons;
  // A portal keeps NOTIFY_ANSWER=Y as the notification's CAN_ANSWER param: how clients know to offer a reply box.
  const params: Record<string, unknown> = {};
  if (n.attach) params.ATTACH = JSON.parse(n.attach);
  if (n.answer) params.CAN_ANSWER = 'Y';
  out.params = Object.keys(params).length ? params : null;
  return out;
}
