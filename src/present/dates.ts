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
/** "00" .. "99" */
const TWO = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

let lastTs = NaN;
let lastZone = '';
let lastText = '';

/**
 * Formats unix seconds as ATOM in `zone`. Dates are written on every item of every list, so the common case
 * (whole-minute offsets, years 1000-9999) is computed with integer arithmetic and a table of two-digit strings;
 * the rest (historic local-mean-time offsets, far dates) goes through Date as before. Same text either way.
 */
export function atom(ts: number, zone: string): string {
  if (ts === lastTs && zone === lastZone) return lastText;
  const offset = offsetMinutes(zone, ts);
  const local = ts + offset * 60;
  let days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian as Date uses).
  days += 719468;
  const era = Math.floor(days / 146097);
  const doe = days - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const abs = Math.abs(offset);
  let text: string;
  if (Number.isInteger(offset) && Number.isInteger(ts) && year >= 1000 && year <= 9999 && abs < 6000) {
    const hour = Math.floor(secs / 3600);
    const minute = Math.floor((secs - hour * 3600) / 60);
    text =
      `${year}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[secs - hour * 3600 - minute * 60]}` +
      `${offset < 0 ? '-' : '+'}${TWO[Math.floor(abs / 60)]}:${TWO[abs % 60]}`;
  } else {
    const d = new Date(local * 1000);
    text =
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
      `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
      `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  lastTs = ts;
  lastZone = zone;
  lastText = text;
  return text;
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
