// Reading a method's parameters the way a portal does (lenient), or reporting every fallback (strict, decision 11).
import { DATE_MAX_TS, DATE_MIN_TS, ID_LIST_MAX } from '../app/limits.ts';
import { Errors } from '../errors.ts';
import { parseAtom } from '../present/dates.ts';
import { clampInt, INT32, isCleanInteger, phpIntval, type IntRange } from './intval.ts';

export interface ParamsOptions {
  /** im.* methods upper-case parameter names, so any case works. */
  caseInsensitive: boolean;
  strict: boolean;
  /** Told about each value a portal would silently ignore (lenient mode only). */
  onFallback?: (argument: string, problem: string) => void;
}

type Raw = Record<string, unknown>;

export class Params {
  private readonly values = new Map<string, unknown>();

  constructor(
    raw: Raw,
    private readonly opts: ParamsOptions,
  ) {
    for (const [k, v] of Object.entries(raw)) this.values.set(this.key(k), v);
  }

  get strict(): boolean {
    return this.opts.strict;
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  has(name: string): boolean {
    const v = this.values.get(this.key(name));
    return v !== undefined && v !== null;
  }

  raw(name: string): unknown {
    return this.values.get(this.key(name));
  }

  /** Strict mode: every name outside `known` is an error; lenient: it is ignored (and logged). */
  checkKnown(known: readonly string[]): void {
    const allowed = new Set(known.map((k) => this.key(k)));
    for (const name of this.values.keys()) {
      if (!allowed.has(name)) this.fallback(name, `Unknown parameter ${name}`);
    }
  }

  /** A Y/N flag: only exactly "Y" means yes, as a portal compares `=== 'Y'`. */
  flag(name: string, defaultValue = false): boolean {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') return defaultValue;
    if (v === 'Y') return true;
    if (v === 'N') return false;
    this.fallback(name, `Parameter ${this.key(name)} must be Y or N`);
    return false;
  }

  /** A scalar as a string; arrays and objects are not strings. */
  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.fallback(name, `Parameter ${this.key(name)} must be a string`);
    return undefined;
  }

  /**
   * An integer, read as a portal reads it (PHP's intval, see intval.ts) and kept within `range` (32-bit ids and
   * counts by default): lenient mode takes the leading number and clamps, strict mode refuses anything that is not
   * a plain integer within the range.
   */
  int(name: string, range: IntRange = INT32): number | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') return undefined;
    const n = phpIntval(v);
    if (n === undefined || !isCleanInteger(v)) this.fallback(name, `Parameter ${this.key(name)} must be an integer`);
    if (n === undefined) return undefined;
    const { value, clamped } = clampInt(n, range);
    if (clamped) this.fallback(name, `Parameter ${this.key(name)} must be between ${range.min} and ${range.max}`);
    return value;
  }

  /** An ATOM date as unix seconds; an unparseable one is dropped (lenient) or an error (strict). */
  date(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') return undefined;
    const parsed = typeof v === 'string' ? parseAtom(v) : undefined;
    const ts = parsed !== undefined && parsed >= DATE_MIN_TS && parsed <= DATE_MAX_TS ? parsed : undefined;
    if (ts === undefined) this.fallback(name, `Parameter ${this.key(name)} must be an ATOM date between years 1000 and 9999`);
    return ts;
  }

  /** A list: a JSON array, a PHP array (object with any keys), or a single scalar. */
  list(name: string): unknown[] {
    const v = this.raw(name);
    if (v === undefined || v === null || v === '') return [];
    if (Array.isArray(v)) return v;
    if (typeof v === 'object') return Object.values(v as Raw);
    return [v];
  }

  /** A list of positive integer ids; other entries are dropped (lenient) or an error (strict). */
  intList(name: string): number[] {
    const out: number[] = [];
    const items = this.list(name);
    if (items.length > ID_LIST_MAX) {
      throw Errors.argument(this.key(name), `Parameter ${this.key(name)} lists more than ${ID_LIST_MAX} ids`);
    }
    for (const item of items) {
      const n = typeof item === 'number' || typeof item === 'string' ? phpIntval(item) : undefined;
      if (n !== undefined && isCleanInteger(item) && n > 0n && n <= BigInt(INT32.max)) out.push(Number(n));
      else this.fallback(name, `Parameter ${this.key(name)} must list positive integer ids`);
    }
    return [...new Set(out)];
  }

  /** A nested structure (object or array), e.g. ATTACH or FIELDS. */
  structure(name: string): Raw | unknown[] | undefined {
    const v = this.raw(name);
    if (v && typeof v === 'object') return v as Raw | unknown[];
    if (v === undefined || v === null || v === '') return undefined;
    this.fallback(name, `Parameter ${this.key(name)} must be an array`);
    return undefined;
  }

  /** Reports a value a portal silently ignores. */
  fallback(name: string, problem: string): void {
    if (this.opts.strict) throw Errors.argument(this.key(name), problem);
    this.opts.onFallback?.(this.key(name), problem);
  }

  private key(name: string): string {
    return this.opts.caseInsensitive ? name.toUpperCase() : name;
  }
}
