// The success and error envelopes, with the portal's `time` block.
import { BitrixError } from '../errors.ts';
import { RawJson, type MethodOutcome } from '../methods/registry.ts';
import { atom } from '../present/dates.ts';

export interface Timing {
  startMs: number;
  handlerStartMs: number;
  handlerEndMs: number;
}

export function timeBlock(t: Timing, zone: string) {
  const finishMs = Date.now();
  return {
    start: t.startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - t.startMs) / 1000,
    processing: (t.handlerEndMs - t.handlerStartMs) / 1000,
    date_start: atom(Math.floor(t.startMs / 1000), zone),
    date_finish: atom(Math.floor(finishMs / 1000), zone),
  };
}

export function successBody(out: MethodOutcome, t: Timing, zone: string): string {
  if (out.result instanceof RawJson) return `{"result":${out.result.json}${tail(out, t, zone)}`;
  const body: Record<string, unknown> = { result: out.result };
  if (out.next !== undefined) body.next = out.next;
  if (out.total !== undefined) body.total = out.total;
  body.time = timeBlock(t, zone);
  return JSON.stringify(body);
}

const RESULT_HEAD = Buffer.from('{"result":');

/** The body to send: successBody's text, or the same bytes around a RawJson held as bytes (no copy to a string). */
export function successPayload(out: MethodOutcome, t: Timing, zone: string): string | Buffer {
  if (out.result instanceof RawJson && Buffer.isBuffer(out.result.raw)) {
    return Buffer.concat([RESULT_HEAD, out.result.raw, Buffer.from(tail(out, t, zone))]);
  }
  return successBody(out, t, zone);
}

/** What follows a spliced result: the same keys in the same order as the object form, then the live time block. */
function tail(out: MethodOutcome, t: Timing, zone: string): string {
  let s = '';
  if (out.next !== undefined) s += `,"next":${JSON.stringify(out.next)}`;
  if (out.total !== undefined) s += `,"total":${JSON.stringify(out.total)}`;
  return `${s},"time":${JSON.stringify(timeBlock(t, zone))}}`;
}

export function errorBody(err: BitrixError): string {
  return JSON.stringify({ error: err.code, error_description: err.description, ...err.extra });
}

export function asBitrixError(err: unknown): BitrixError {
  if (err instanceof BitrixError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new BitrixError('INVALID_REQUEST', 'Request body is too large', 413);
  }
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e?.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return new BitrixError('INVALID_REQUEST', 'Request body cannot be read', 400);
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new BitrixError('INVALID_REQUEST', 'Request cannot be read', e.statusCode);
  }
  return new BitrixError('INTERNAL_SERVER_ERROR', 'Internal server error', 500);
}
