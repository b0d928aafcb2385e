// The few spots where SQLite and PostgreSQL SQL differ, as helpers that give the same result on both.
// Repos get the dialect from SqlStore (store.dialect). See docs/deploy.md "Writing portable store code".
import crypto from 'node:crypto';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

/** `?` placeholders as the dialect numbers them ($1, $2 ... in PostgreSQL); for SQL text with no `?` in literals. */
export function placeholders(dialect: SqlDialect, text: string): string {
  if (dialect === 'sqlite') return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** A column reference ('m.date_update'), an expression, or a number (bound as a parameter). */
export type NumberOperand = string | number | Expression<number>;

function operand(value: NumberOperand): Expression<number> | RawBuilder<number> {
  if (typeof value === 'string') return sql.ref(value);
  if (typeof value === 'number') return sql<number>`${value}`;
  return value;
}

function scalar(fn: string, dialect: SqlDialect, values: NumberOperand[]): RawBuilder<number> {
  if (values.length < 2) throw new Error(`${fn} needs at least two operands`);
  const name = dialect === 'postgres' ? (fn === 'max' ? 'greatest' : 'least') : fn;
  return sql<number>`${sql.raw(name)}(${sql.join(values.map(operand))})`;
}

/**
 * The larger of several values in one row: scalar max(a, b) in SQLite, greatest(a, b) in PostgreSQL.
 * Operands must not be NULL (SQLite's max returns NULL, PostgreSQL's greatest skips NULLs): coalesce them.
 */
export function greatest(dialect: SqlDialect, ...values: NumberOperand[]): RawBuilder<number> {
  return scalar('max', dialect, values);
}

/** The smaller of several non-NULL values in one row: min(a, b) / least(a, b). */
export function least(dialect: SqlDialect, ...values: NumberOperand[]): RawBuilder<number> {
  return scalar('min', dialect, values);
}

/**
 * A condition as a 0/1 integer column: PostgreSQL returns booleans (true/false) for `a > b`, SQLite 1/0.
 * Our flags are 0/1 integers everywhere, so select conditions through this.
 */
export function flag(condition: Expression<SqlBool>): RawBuilder<number> {
  return sql<number>`(case when ${condition} then 1 else 0 end)`;
}

/** Escapes %, _ and \ so user text matches literally inside a LIKE pattern (use with likeCi). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive LIKE with \ as escape: SQLite's LIKE ignores case (ASCII letters only), PostgreSQL's is
 * case-sensitive, so it uses ILIKE (which folds every letter). For exact parity on non-ASCII text (Cyrillic
 * names), match a lower-cased copy kept in a column written from JS (String.prototype.toLowerCase).
 */
export function likeCi(dialect: SqlDialect, value: string | Expression<string>, pattern: string): RawBuilder<SqlBool> {
  const left = typeof value === 'string' ? sql.ref(value) : value;
  const op = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
  return sql<SqlBool>`${left} ${op} ${pattern} escape '\\'`;
}

/** The SQLite function (registered by openSqlite) that lower-cases text as JavaScript and PostgreSQL do. */
export const UNICODE_LOWER = 'b24_lower';

/**
 * `lower(column) LIKE pattern` with Unicode case folding on both backends; `pattern` must already be lower-case
 * (escape user text with escapeLike). Not index-served: meant for small tables such as users.
 */
export function lowerLike(dialect: SqlDialect, column: string, pattern: string): RawBuilder<SqlBool> {
  const lower = sql.raw(dialect === 'postgres' ? 'lower' : UNICODE_LOWER);
  return sql<SqlBool>`${lower}(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** Concatenates a group's values: group_concat in SQLite, string_agg in PostgreSQL (order unspecified). */
export function stringAgg(dialect: SqlDialect, value: string | Expression<unknown>, separator: string): RawBuilder<string> {
  const v = typeof value === 'string' ? sql.ref(value) : value;
  return dialect === 'postgres'
    ? sql<string>`string_agg(cast(${v} as text), ${separator})`
    : sql<string>`group_concat(${v}, ${separator})`;
}

// Conflicts that PostgreSQL resolves by aborting one transaction; running it again is safe.
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
export const MAX_TX_ATTEMPTS = 10;

/** A signed 64-bit advisory-lock key for a name (first 8 bytes of its SHA-256), as a decimal string. */
export function advisoryLockKey(name: string): string {
  return crypto.createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** Jittered exponential backoff: 1-2 ms, 2-4 ms, ... capped at 50-100 ms. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(50, 2 ** (attempt - 1));
  return base + Math.random() * base;
}

/** A unique or primary-key constraint refused the row (SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
