// The success envelope: a pre-serialized result (RawJson, the form cached answers take) is spliced into exactly the
// text the object form gives, and stays a value for everything that reads it (batch references, JSON.stringify).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { successBody, successPayload } from '../src/http/envelope.ts';
import { RawJson } from '../src/methods/registry.ts';

const result = [{ id: 'chat7', title: 'Ünïcode "quoted" \u2028', counter: 3, message: null, pinned: false }];
const timing = { startMs: 1_764_547_200_000, handlerStartMs: 1_764_547_200_001, handlerEndMs: 1_764_547_200_003 };
/** The envelope with its clock-dependent `time` block dropped, so two bodies built a moment apart compare. */
const withoutTime = (body: string) => {
  const { time, ...rest } = JSON.parse(body);
  assert.equal(typeof time.date_start, 'string');
  return rest;
};

test('a RawJson result gives the same envelope as the value it holds, keys in the same order', () => {
  for (const extra of [{}, { total: 120, next: 50 }, { total: 0 }]) {
    const plain = successBody({ result, ...extra }, timing, 'Europe/Moscow');
    const raw = successBody({ result: new RawJson(JSON.stringify(result)), ...extra }, timing, 'Europe/Moscow');
    assert.deepEqual(Object.keys(JSON.parse(raw)), Object.keys(JSON.parse(plain)));
    assert.deepEqual(withoutTime(raw), withoutTime(plain));
    assert.ok(raw.startsWith(`{"result":${JSON.stringify(result)}`));
  }
});

test('a RawJson stays a value: JSON.stringify and value() give what it holds', () => {
  const raw = new RawJson(JSON.stringify(result));
  assert.deepEqual(raw.value(), result);
  assert.equal(JSON.stringify({ cmd: raw }), JSON.stringify({ cmd: result }));
});

test('a RawJson held as bytes is sent as the same bytes as its text form', () => {
  for (const extra of [{}, { total: 120, next: 50 }]) {
    const text = successPayload({ result: new RawJson(JSON.stringify(result)), ...extra }, timing, 'UTC');
    const bytes = successPayload({ result: new RawJson(Buffer.from(JSON.stringify(result))), ...extra }, timing, 'UTC');
    assert.ok(Buffer.isBuffer(bytes));
    assert.equal(typeof text, 'string');
    assert.deepEqual(withoutTime(bytes.toString()), withoutTime(text as string));
    assert.ok(bytes.toString().startsWith(`{"result":${JSON.stringify(result)}`));
  }
  assert.deepEqual(new RawJson(Buffer.from(JSON.stringify(result))).value(), result);
});
