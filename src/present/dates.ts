// ATOM dates (2019-07-11T10:45:31+02:00) in the portal time zone, as PHP's date('c') prints them.
import { DateTime, IANAZone } from 'luxon';

const offsetCache = new Map<string, Map<number, number>>();

/** The zone's UTC offset in minutes at a moment; cached per zone and hour, since offsets change on hours. */
function offsetMinutes(zone: string, ts: number): number {
  let perZone = offsetCache.get(zone);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(zone, perZone);
  }
  const hour = Math.floor(ts / 3600);
  let offset = perZone.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromSeconds(hour * 3600, { zone }).offset;
    if (perZone.size > 100_000) perZone.clear();
    perZone.set(hour, offset);
  }
  return offset;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Formats unix seconds as ATOM in `zone`. */
export function atom(ts: number, zone: string): string {
  const offset = offsetMinutes(zone, ts);
  const d = new Date((ts + offset * 60) * 1000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** ATOM, or false where a portal prints false for an unset date. */
export function atomOrFalse(ts: number | null | undefined, zone: string): string | false {
  return ts === null || ts === undefined ? false : atom(ts, zone);
}

/**
 * Parses an incoming RFC 3339 / ATOM date to unix seconds (fractions dropped); undefined when unparseable.
 * Accepts the forms portal clients send: 2019-07-11T10:45:31+02:00, ...Z, with fractions, or a space for T.
 */
export function parseAtom(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8].toUpperCase() === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]}`;
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) return undefined;
  return Math.floor(dt.toSeconds());
}
