// batch: up to 50 calls in one request, with $result[...] references between them (decision 14).
import { BitrixError } from '../errors.ts';
import { atom } from '../present/dates.ts';
import { phpMap } from '../present/php.ts';
import { BATCH_MAX_COMMANDS } from '../app/limits.ts';
import { parsePhpQuery } from './query.ts';
import { phpTruthy, RawJson, type MethodDef, type MethodOutcome } from './registry.ts';

export const BATCH_MAX = BATCH_MAX_COMMANDS;

interface Collected {
  result: Record<string, unknown>;
  result_error: Record<string, { error: string; error_description: string }>;
  result_total: Record<string, number>;
  result_next: Record<string, number>;
  result_time: Record<string, unknown>;
}

const REF = /\$(result|next|total|time|error)((?:\[[^\]]*\])+)/g;

/** Follows a reference such as $result[cmd1][0][ID] into what earlier commands produced. */
function lookup(done: Collected, kind: string, path: string): unknown {
  const keys = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
  const table: Record<string, unknown> =
    kind === 'result' ? done.result
      : kind === 'next' ? done.result_next
        : kind === 'total' ? done.result_total
          : kind === 'time' ? done.result_time
            : done.result_error;
  let cur: unknown = table;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Replaces references: a value that is one whole reference takes the referenced structure; others get text. */
function substitute(value: unknown, done: Collected): unknown {
  if (typeof value === 'string') {
    const whole = /^\$(result|next|total|time|error)((?:\[[^\]]*\])+)$/.exec(value);
    if (whole) {
      const found = lookup(done, whole[1], whole[2]);
      return found === undefined ? '' : found;
    }
    return value.replace(REF, (_m, kind: string, path: string) => {
      const found = lookup(done, kind, path);
      return found === undefined || found === null || typeof found === 'object' ? '' : String(found);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, done));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, done);
    return out;
  }
  return value;
}

/** PHP encodes an array with keys 0..n-1 as a JSON list, anything else as an object, an empty one as []. */
function phpArray(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => map[k]);
  return phpMap(map);
}

function timeBlock(startMs: number, endMs: number, zone: string) {
  return {
    start: startMs / 1000,
    finish: endMs / 1000,
    duration: (endMs - startMs) / 1000,
    processing: (endMs - startMs) / 1000,
    date_start: atom(Math.floor(startMs / 1000), zone),
    date_finish: atom(Math.floor(endMs / 1000), zone),
  };
}

export const batchMethods: MethodDef[] = [
  {
    name: 'batch',
    scope: 'basic',
    params: ['cmd', 'halt', 'CMD', 'HALT'],
    batch: false,
    async handler({ params, call, app }) {
      const cmdRaw = params.raw('cmd') ?? params.raw('CMD');
      const halt = phpTruthy(params.raw('halt') ?? params.raw('HALT'));
      const commands: [string, unknown][] =
        cmdRaw && typeof cmdRaw === 'object' ? Object.entries(cmdRaw as Record<string, unknown>) : [];
      const done: Collected = { result: {}, result_error: {}, result_total: {}, result_next: {}, result_time: {} };
      let index = 0;
      for (const [key, command] of commands) {
        index++;
        if (typeof command !== 'string') continue;
        if (index > BATCH_MAX) {
          done.result_error[key] = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' };
          continue;
        }
        const startMs = Date.now();
        const q = command.indexOf('?');
        const method = (q < 0 ? command : command.slice(0, q)).trim().replace(/\.json$/i, '');
        try {
          const query = substitute(parsePhpQuery(q < 0 ? '' : command.slice(q + 1)), done) as Record<string, unknown>;
          if (method.toLowerCase() === 'batch') {
            throw new BitrixError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 400);
          }
          const out: MethodOutcome = await call(method, query);
          // References ($result[cmd][0][ID]) walk the value, so a pre-serialized answer is parsed here.
          done.result[key] = out.result instanceof RawJson ? out.result.value() : out.result;
          if (out.total !== undefined) done.result_total[key] = out.total;
          if (out.next !== undefined) done.result_next[key] = out.next;
        } catch (err) {
          if (!(err instanceof BitrixError)) throw err;
          done.result_error[key] = { error: err.code, error_description: err.description, ...err.extra };
        }
        done.result_time[key] = timeBlock(startMs, Date.now(), app.config.timezone);
        if (halt && done.result_error[key]) break;
      }
      return {
        result: phpArray(done.result),
        result_error: phpArray(done.result_error),
        result_total: phpArray(done.result_total),
        result_next: phpArray(done.result_next),
        result_time: phpArray(done.result_time),
      };
    },
  },
];
