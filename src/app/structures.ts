// Helpers for the loose structures bots send (JSON or PHP form arrays): lists, strings, flags.

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A PHP list: a JS array, or a form-decoded object whose keys are all integers (`A[0][..]=..&A[1][..]=..`). */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (!isDict(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => v[k]);
}

/** PHP's "is this array associative": a dict that is not a list. */
export function isAssoc(v: unknown): v is Dict {
  return isDict(v) && asList(v) === undefined;
}

/** A scalar as PHP would read it into a string; anything else is ''. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v === true) return '1';
  return '';
}

/** PHP intval of a scalar. */
export function int(v: unknown): number {
  const n = Number.parseInt(str(v).trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

export const HEX_COLOR = /^#([a-fA-F0-9]){3}(([a-fA-F0-9]){3})?$/;
/** Links a bot may put in messages: absolute http(s) or site-relative. */
export const SAFE_LINK = /^(?:\/|https?:\/\/)/;

/** PHP's htmlspecialcharsbx (ENT_COMPAT): what the portal does to button links and menu texts. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Line breaks of any kind become spaces (names, descriptions). */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029\v\f\u0085]/g, ' ');
}

/** The colour tokens of the modern client; anything else is "base". */
export function colorToken(v: unknown): string {
  const t = str(v);
  return ['primary', 'secondary', 'alert', 'base'].includes(t) ? t : 'base';
}

/** JSON text (a bot may send the structure JSON-encoded) or the structure itself. */
export function decodeStructure(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}
