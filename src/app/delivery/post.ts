// One POST of an event to a handler, bounded by a single deadline that covers everything a handler can stall on:
// connecting, the headers, a slow or endless body. node:http under one plain timer: fetch() with
// AbortSignal.any([..., AbortSignal.timeout()]) lost its timeout after a garbage collection (Node 20) and hung forever
// on a handler that never answers (issue 21).
import http from 'node:http';
import https from 'node:https';

/** A handler's answer body is read up to this many bytes (an endless one counts as answered once it got this far). */
const MAX_ANSWER_BYTES = 1 << 20;

export class DeliveryTimeout extends Error {
  override name = 'TimeoutError';
  constructor(ms: number) {
    super(`no complete answer within ${ms} ms`);
  }
}

/** Posts `body` as a form; resolves with the HTTP status once the whole answer is in, rejects on any failure. */
export function postForm(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (err: Error | undefined, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if (err) reject(err);
      else resolve(status!);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    // A referenced timer: the process stays up until the deadline, and not a moment longer.
    const timer = setTimeout(() => finish(new DeliveryTimeout(timeoutMs)), timeoutMs);
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
        agent: false,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_ANSWER_BYTES) finish(undefined, res.statusCode ?? 0);
        });
        res.on('end', () => finish(undefined, res.statusCode ?? 0));
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error('answer cut off')));
      },
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    req.on('error', (err) => finish(err));
    req.end(body);
  });
}
