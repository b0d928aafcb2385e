// The three wire formats of the Push & Pull subscription, chosen per connection from its URL as the official pull
// client chooses them by the config's server.version: NGINX-delimited JSON text (version 3 and older), protobuf
// ResponseBatch (4, binaryMode=true) and JSON-RPC 2.0 (5, jsonRpc=true).
import type { PullDelivery } from '../../app/pull/hub.ts';

export type Framing = 'text' | 'protobuf' | 'jsonrpc';

export function framingOf(query: URLSearchParams): Framing {
  if (query.get('jsonRpc') === 'true') return 'jsonrpc';
  if (query.get('binaryMode') === 'true') return 'protobuf';
  return 'text';
}

/** `Sender.type` of a message the server published (the client reports it as extra.sender.type). */
const SENDER_BACKEND = 2;

/** Text framing: each message `#!NGINXNMS!#{id, mid, channel, tag, time, text}#!NGINXNME!#`, concatenated. */
export function textFrame(batch: PullDelivery[]): string {
  let out = '';
  for (const d of batch) {
    const tag = String(d.id % 1000).padStart(3, '0');
    const time = JSON.stringify(new Date(d.created * 1000).toUTCString());
    out += `#!NGINXNMS!#{"id":${d.id},"mid":"${d.mid}","channel":"-","tag":"${tag}","time":${time},"text":${d.body}}#!NGINXNME!#`;
  }
  return out;
}

/** JSON-RPC framing: one `incoming.message` notification per message (an array for several). */
export function jsonRpcFrame(batch: PullDelivery[]): string {
  const calls = batch.map(
    (d) => `{"jsonrpc":"2.0","method":"incoming.message","params":{"mid":"${d.mid}","body":${d.body},"sender":{"type":${SENDER_BACKEND},"id":""}}}`,
  );
  return calls.length === 1 ? calls[0] : `[${calls.join(',')}]`;
}

// --- protobuf: the few messages of the pull protocol, written by hand (varints and length-delimited fields) ---

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0 === n ? n : Math.max(0, Math.floor(n));
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function tag(field: number, wire: number): number[] {
  return varint((field << 3) | wire);
}

function bytesField(field: number, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...tag(field, 2), ...varint(data.length)]), data]);
}

function varintField(field: number, n: number): Buffer {
  return Buffer.from([...tag(field, 0), ...varint(n)]);
}

function fixed32Field(field: number, n: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = (field << 3) | 5;
  b.writeUInt32LE(n >>> 0, 1);
  return b;
}

/** OutgoingMessage{id=1 bytes, body=2 string, expiry=3 uint32, created=4 fixed32, sender=5 Sender{type=1, id=2}}. */
function outgoingMessage(d: PullDelivery): Buffer {
  const sender = varintField(1, SENDER_BACKEND);
  return Buffer.concat([
    bytesField(1, Buffer.from(d.mid, 'hex')),
    bytesField(2, Buffer.from(d.body, 'utf8')),
    varintField(3, Math.max(0, d.expire - d.created)),
    fixed32Field(4, d.created),
    bytesField(5, sender),
  ]);
}

/** ResponseBatch{responses=1: Response{outgoingMessages=1: OutgoingMessagesResponse{messages=1}}}. */
export function protobufFrame(batch: PullDelivery[]): Buffer {
  const messages = Buffer.concat(batch.map((d) => bytesField(1, outgoingMessage(d))));
  const response = bytesField(1, messages);
  return bytesField(1, response);
}

function encodeUncached(framing: Framing, batch: PullDelivery[]): Buffer {
  if (framing === 'protobuf') return protobufFrame(batch);
  return Buffer.from(framing === 'jsonrpc' ? jsonRpcFrame(batch) : textFrame(batch), 'utf8');
}

/**
 * One message's frame, encoded once per framing however many connections send it: the hub hands every member of a
 * chat whose own params are alike the same delivery object, so a 5,000-member chat's message (tens of KB with its
 * member list) is not built and UTF-8 encoded 5,000 times. Dropped with the delivery.
 */
const single = new WeakMap<PullDelivery, Map<Framing, Buffer>>();

/** The frame's bytes: a text frame for `text` and `jsonrpc` (sent as WebSocket text), binary for `protobuf`. */
export function encodeFrame(framing: Framing, batch: PullDelivery[]): Buffer {
  if (batch.length !== 1) {
    // Several messages at once (a replay, or rows read together): text frames are their parts one after another.
    if (framing === 'text') return Buffer.concat(batch.map((d) => encodeFrame(framing, [d])));
    return encodeUncached(framing, batch);
  }
  const d = batch[0];
  let frames = single.get(d);
  if (!frames) single.set(d, (frames = new Map()));
  let frame = frames.get(framing);
  if (!frame) frames.set(framing, (frame = encodeUncached(framing, batch)));
  return frame;
}
