// Display helpers: relative times, initials, message previews.
import type { ImUser, RecentItem } from './types';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "now", "5 min", "14:05" today, "Yesterday", a weekday within a week, else a date. */
export function relativeTime(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = now - t;
  if (diff < MINUTE) return 'now';
  if (diff < 60 * MINUTE) return `${Math.floor(diff / MINUTE)} min`;
  const today = startOfDay(now);
  if (t >= today) return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (t >= today - DAY) return 'Yesterday';
  if (t >= today - 6 * DAY) return new Date(t).toLocaleDateString([], { weekday: 'short' });
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  return new Date(t).toLocaleDateString([], sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
}

export function fullTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toLocaleString();
}

export function clockTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function dayLabel(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const today = startOfDay(now);
  if (t >= today) return 'Today';
  if (t >= today - DAY) return 'Yesterday';
  return new Date(t).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
}

export function initials(title: string): string {
  // "Jane Roe - Shop help" (an open-line chat): the person, not the line.
  const words = title.split(' - ')[0].trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : [[...words[0]][0], [...words[words.length - 1]][0]];
  return letters.join('').toUpperCase();
}

/** Message text for display: BB-code tags dropped ([USER=1]Ann[/USER] -> Ann), text kept. */
export function plainText(text: string): string {
  return text.replace(/\[(\/?)(b|i|u|s|url|user|chat|quote|code|color|size|icon|send|put|context|dialog)(=[^\]]*)?\]/gi, '');
}

export function isOpenLine(item: RecentItem): boolean {
  return Boolean(item.lines) || item.chat?.type === 'lines' || item.chat?.message_type === 'L';
}

/** The dialog id other methods take: the user id, or "chatN". */
export function dialogIdOf(item: Pick<RecentItem, 'id'>): string {
  return String(item.id);
}

/** "You: ", "Ann: " (group chats) or "" before the last message. */
export function authorPrefix(item: RecentItem, me: number, users: Map<number, ImUser>): string {
  const author = item.message?.author_id ?? 0;
  if (!author || !item.message?.id) return '';
  if (author === me) return 'You: ';
  if (item.type === 'user') return '';
  const name = (item.user?.id === author ? item.user.first_name || item.user.name : undefined) ?? users.get(author)?.first_name ?? users.get(author)?.name;
  return name ? `${name}: ` : '';
}
