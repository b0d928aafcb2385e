// The one integer reader of every parameter, in every encoding (query, form, multipart strings; JSON numbers and
// strings): PHP's intval on a 64-bit portal, then the bound the value is used within, so no number a client can
// write (1e300, 2^63, "NaN", -0, 1.5) reaches SQL as anything but an integer the column holds.

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export interface IntRange {
  min: number;
  max: number;
}

/**
 * Ids of users, chats, bots, lines, sessions and other rows whose foreign keys are 32-bit columns on PostgreSQL, and
 * counts (LIMIT, OFFSET, start): a larger value can name no row, so it is clamped (a portal's SQL finds nothing).
 */
export const INT32: IntRange = { min: -2147483648, max: 2147483647 };
/** Message ids (64-bit columns): every integer JavaScript holds exactly. */
export const SAFE_INT: IntRange = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

const saturate = (v: bigint): bigint => (v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v);

/** PHP's numeric prefix: leading whitespace, a sign, digits with an optional fraction and exponent. */
const NUMERIC_PREFIX = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;
const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * PHP's intval on 64-bit: a string's leading number ("12abc" 12, " 7" 7, "1e3" 1000, "abc" 0, "NaN" 0), a float
 * truncated toward zero, true 1, false and null 0. Out-of-range values saturate at the int64 bounds, as PHP does for
 * strings (PHP wraps an out-of-range float modulo 2^64; an arbitrary wrapped id is no better than the bound).
 * Arrays and objects are not integers: undefined.
 */
export function phpIntval(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return saturate(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 0n;
    if (v === Infinity) return INT64_MAX;
    if (v === -Infinity) return INT64_MIN;
    return saturate(BigInt(Math.trunc(v)));
  }
  if (typeof v !== 'string') return undefined;
  const m = NUMERIC_PREFIX.exec(v);
  if (!m) return 0n;
  if (INTEGER_TEXT.test(m[1])) return saturate(BigInt(m[1]));
  return phpIntval(Number(m[1]));
}

/** A value that is an integer as written: a JSON integer, or digits with an optional sign and surrounding spaces. */
export function isCleanInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v);
  return typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v);
}

/** Clamps an intval result into a range; `clamped` tells whether it had to. */
export function clampInt(v: bigint, range: IntRange): { value: number; clamped: boolean } {
  if (v > BigInt(range.max)) return { value: range.max, clamped: true };
  if (v < BigInt(range.min)) return { value: range.min, clamped: true };
  return { value: Number(v), clamped: false };
}

/** A bare integer read with no strictness to report: intval, then clamped into the range (the REST `start`). */
export function intWithin(v: unknown, range: IntRange): number {
  const n = phpIntval(v);
  return n === undefined ? 0 : clampInt(n, range).value;
}

/** A scalar as a number (NaN for anything else): Number() throws on a PHP-style nested value (a null-prototype object). */
export function scalarNumber(v: unknown): number {
  return typeof v === 'number' || typeof v === 'string' ? Number(v) : NaN;
}
