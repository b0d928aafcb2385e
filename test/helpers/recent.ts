// Helpers for the im.recent suites: calls that remember when they ran, and date matching at whole seconds.
import assert from 'node:assert/strict';
import { rest, type Encoding } from './server.ts';

/** A date a write happened at: the request's start or finish second (a call may straddle a second boundary). */
export class At {
  constructor(readonly dates: readonly string[]) {}
}

export interface Stamped {
  result: any;
  at: At;
  body: any;
}

/** Calls a method; fails the test on an error answer; returns the result and the server dates of the call. */
export async function act(base: string, method: string, params: Record<string, unknown> = {}, as: Encoding = 'json'): Promise<Stamped> {
  const r = await rest(base, method, params, as);
  if (r.status !== 200 || r.body?.error) throw new Error(`${method} ${JSON.stringify(params)} -> ${r.status} ${JSON.stringify(r.body)}`);
  const { date_start: a, date_finish: b } = r.body.time;
  return { result: r.body.result, at: new At(a === b ? [a] : [a, b]), body: r.body };
}

/**
 * Replaces each At in `expected` by the actual value when the actual value is one of its dates, so that a
 * deepStrictEqual afterwards compares everything else exactly (and an At that did not match fails it).
 */
export function resolveAt(expected: unknown, actual: unknown): unknown {
  if (expected instanceof At) return typeof actual === 'string' && expected.dates.includes(actual) ? actual : expected.dates.join('|');
  if (Array.isArray(expected)) return expected.map((e, i) => resolveAt(e, Array.isArray(actual) ? actual[i] : undefined));
  if (expected && typeof expected === 'object') {
    const out: Record<string, unknown> = {};
    const a = (actual && typeof actual === 'object' ? actual : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) out[k] = resolveAt(v, a[k]);
    return out;
  }
  return expected;
}

export function assertShape(actual: unknown, expected: unknown, message?: string): void {
  assert.deepStrictEqual(actual, resolveAt(expected, actual), message);
}

/** ATOM dates compare as instants: the portal zone's offset is part of the string. */
export function atomSeconds(atom: string): number {
  return Math.floor(Date.parse(atom) / 1000);
}

/** Unix seconds as ATOM with a fixed offset in minutes (what a client sends back). */
export function toAtom(seconds: number, offsetMinutes = 0): string {
  const d = new Date((seconds + offsetMinutes * 60) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Waits until the wall clock has just entered a new second (so the next quick call stays inside it). */
export async function nextSecond(): Promise<void> {
  const ms = 1000 - (Date.now() % 1000);
  await new Promise((r) => setTimeout(r, ms + 5));
}
