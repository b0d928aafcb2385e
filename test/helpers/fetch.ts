// Driving a Bots 2.0 fetch queue from tests: many messages at once, and a bot's paging loop.
import assert from 'node:assert/strict';
import { ok } from './server.ts';

/** Sends `count` messages to a dialog in batches of 50 (batch's most), numbered from `from`. */
export async function flood(hook: string, dialogId: string | number, from: number, count: number): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    const cmd: Record<string, string> = {};
    for (let j = i; j < Math.min(i + 50, count); j++) cmd[`m${j}`] = `im.message.add?DIALOG_ID=${dialogId}&MESSAGE=n${from + j}`;
    const r = await ok(hook, 'batch', { halt: 1, cmd });
    assert.deepEqual(r.result_error, [], JSON.stringify(r.result_error));
  }
}

/** Fetches until `want` message events arrived, pages of `limit`, through the given hooks in turn; every event once. */
export async function drain(hooks: string[], bot: { id: number; token: string }, want: number, limit: number, offset?: number) {
  const events: any[] = [];
  let next = offset;
  let turn = 0;
  const deadline = Date.now() + 300_000;
  while (events.filter((e) => e.type === 'ONIMBOTV2MESSAGEADD').length < want) {
    if (Date.now() > deadline) throw new Error(`only ${events.length} events arrived`);
    const hook = hooks[turn++ % hooks.length];
    const r = await ok(hook, 'imbot.v2.Event.get', { botId: bot.id, botToken: bot.token, limit, ...(next !== undefined ? { offset: next } : {}) });
    assert.ok(r.events.length <= limit);
    events.push(...r.events);
    if (r.events.length > 0) assert.equal(r.nextOffset, r.events[r.events.length - 1].eventId + 1);
    next = r.nextOffset;
    if (r.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { events, next: next! };
}

export function assertOnceInOrder(events: any[]): void {
  const ids = events.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length, 'no event twice');
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
}

