// A method is a small record: name, scope, known parameters, handler. The registry is the single list of them.
import type { App } from '../app/index.ts';
import type { AuthContext } from '../app/auth.ts';
import type { Params } from './params.ts';
import { DIALOG_USERS_PAGE, type PageSpec } from '../app/limits.ts';

export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * A result already serialized to JSON (a cached or directly written answer): the envelope splices it in as it is,
 * text or UTF-8 bytes (a Buffer is sent without encoding it again). Anything that needs the value (batch references,
 * JSON.stringify) gets it parsed.
 */
export class RawJson {
  constructor(readonly raw: string | Buffer) {}

  get json(): string {
    return typeof this.raw === 'string' ? this.raw : this.raw.toString('utf8');
  }

  value(): unknown {
    return JSON.parse(this.json);
  }

  toJSON(): unknown {
    return this.value();
  }
}

export interface MethodOutcome {
  result: unknown;
  total?: number;
  next?: number;
}

export interface MethodContext {
  app: App;
  auth: AuthContext;
  params: Params;
  /** The list offset a client passed as `start` (0 when absent). */
  start: number;
  /** The client passed start=-1: one page from the beginning, without total/next (no count needed). */
  noCount: boolean;
  log: Log;
  /** Calls another method with the same credentials (batch). */
  call(method: string, params: Record<string, unknown>): Promise<MethodOutcome>;
}

export interface MethodDef {
  name: string;
  /** 'basic' for methods every credential may call. */
  scope: string;
  /** Known parameter names; strict mode rejects others. Omit to accept anything. */
  params?: readonly string[];
  /** false for methods a batch may not contain. */
  batch?: boolean;
  handler(ctx: MethodContext): Promise<unknown>;
}

/** Marks a handler result that carries list navigation (total / next) for the envelope. */
export class ListResult implements MethodOutcome {
  constructor(
    readonly result: unknown,
    readonly total?: number,
    readonly next?: number,
  ) {}

  /**
   * One page of `total` rows that started at `offset`: `next` only while rows remain (the portal's setNavData). The
   * answer is the rows, or `shown` when the page is answered in another form (keyed by id).
   */
  static page(rows: readonly unknown[], total: number, offset: number, shown: unknown = rows): ListResult {
    const end = offset + rows.length;
    return new ListResult(shown, total, end < total ? end : undefined);
  }
}

/** The page size an im list method's LIMIT asks for: the default when absent or not positive, capped (getLimit). */
export function imLimit(raw: number | undefined, page: PageSpec = DIALOG_USERS_PAGE): number {
  if (raw === undefined || raw <= 0) return page.default;
  return Math.min(raw, page.max);
}

/** The offset an im list method starts at: the REST `start` when given, else its OFFSET parameter (getOffset). */
export function imOffset(start: number, raw: number | undefined): number {
  if (start > 0) return start;
  return raw !== undefined && raw > 0 ? raw : 0;
}

export class Registry {
  private readonly byName = new Map<string, MethodDef>();

  constructor(defs: Iterable<MethodDef> = []) {
    for (const d of defs) this.add(d);
  }

  add(def: MethodDef): void {
    const key = def.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`Method ${def.name} registered twice`);
    this.byName.set(key, def);
  }

  get(name: string): MethodDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): MethodDef[] {
    return [...this.byName.values()];
  }

  scopes(): string[] {
    return [...new Set(this.all().map((d) => d.scope))].sort();
  }
}

/** Portal's `=== 'Y'`-free truthiness for flags like `full` and `halt`: PHP's (bool) cast of a string. */
export function phpTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'string') return v !== '' && v !== '0';
  if (typeof v === 'number') return v !== 0;
  return true;
}
