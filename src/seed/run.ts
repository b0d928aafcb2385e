// Replays a plan into a fresh database: through the app layer (every rule applied by the real code), or in bulk
// (the in-memory model of simulate.ts, then multi-row inserts) which stores exactly the same rows, much faster.
import { createApp, type App } from '../app/index.ts';
import type { Config } from '../config.ts';
import type { Store, UserRow } from '../store/store.ts';
import { EV_CREATE, EV_MESSAGE, FIRST_USER_ID, type Plan } from './plan.ts';
import { messageText } from './random.ts';
import { simulate } from './simulate.ts';

export type SeedPath = 'app' | 'bulk';

export interface Progress {
  start(phase: string, total: number): void;
  update(done: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

export interface SeedResult {
  app: App;
  /** Chat id of each plan conversation. */
  chatOfConv: Int32Array;
  messages: number;
  chats: number;
  members: number;
}

/** Rows per transaction of the bulk path. */
const BATCH = 20_000;

export async function seedPlan(store: Store, config: Config, plan: Plan, path: SeedPath, progress: Progress = silentProgress): Promise<SeedResult> {
  let now = plan.t0;
  const app = await createApp(store, config, { clock: () => now });
  if ((await store.chats.get(1)) || (await store.users.count({})) > 1) throw new Error('The database is not empty: seed needs a fresh database');

  progress.start('users', plan.users.length);
  const users = new Map<number, UserRow>();
  for (let i = 0; i < plan.users.length; i++) {
    const u = plan.users[i];
    const row = await app.users.create({ name: u.name, lastName: u.lastName, email: u.email, workPosition: u.workPosition, gender: u.gender, connector: u.connector });
    if (row.id !== i + FIRST_USER_ID) throw new Error(`Expected user id ${i + FIRST_USER_ID}, got ${row.id}`);
    users.set(row.id, row);
    if ((i & 255) === 0) progress.update(i);
  }
  progress.update(plan.users.length);
  progress.stop();

  if (path === 'app') {
    const e = plan.events;
    const chatOfConv = new Int32Array(plan.convs.length);
    progress.start('events (app layer)', e.length);
    for (let i = 0; i < e.length; i++) {
      now = e.time[i];
      const conv = plan.convs[e.conv[i]];
      const user = users.get(e.user[i])!;
      if (e.kind[i] === EV_CREATE) {
        chatOfConv[e.conv[i]] = await app.chats.createGroup(user, {
          type: conv.type as 'C' | 'O' | 'L',
          title: conv.title,
          userIds: conv.members.slice(1),
          entityType: conv.entityType,
          entityId: conv.entityId,
          entityData: conv.entityData,
        });
        continue;
      }
      const ref = conv.kind === 'dialog'
        ? { kind: 'user' as const, userId: conv.members[0] === user.id ? conv.members[1] : conv.members[0] }
        : { kind: 'chat' as const, chatId: chatOfConv[e.conv[i]] };
      if (e.kind[i] === EV_MESSAGE) {
        const id = await app.messages.add(user, ref, { text: messageText(plan.seed, i) });
        if (conv.kind === 'dialog' && !chatOfConv[e.conv[i]]) chatOfConv[e.conv[i]] = (await store.messages.get(id))!.chat_id;
      } else {
        await app.reads.read(user, ref);
      }
      if ((i & 255) === 0) progress.update(i);
    }
    progress.update(e.length);
    progress.stop();
    // What the messages caused (nothing, on a portal without bots) is handled now, not by the first server start.
    await app.dispatcher.drain();
    now = plan.now;
    const last = await store.chats.getMany([...chatOfConv].filter(Boolean));
    return { app, chatOfConv, messages: last.reduce((s, c) => s + c.last_seq, 0), chats: last.length, members: last.reduce((s, c) => s + c.member_count, 0) };
  }

  progress.start('events (in memory)', plan.events.length);
  const sim = simulate(plan, { fanoutLimit: config.fanoutLimit, language: config.language, users, onProgress: (d) => progress.update(d) });
  progress.update(plan.events.length);
  progress.stop();
  const total = sim.chats.length + sim.members.length + sim.messageCount;
  progress.start('rows', total);
  let done = 0;
  const write = async (count: number, batch: (from: number, to: number) => Promise<void>) => {
    for (let i = 0; i < count; i += BATCH) {
      const to = Math.min(count, i + BATCH);
      await batch(i, to);
      done += to - i;
      progress.update(done);
    }
  };
  await write(sim.chats.length, (a, b) => store.transaction((tx) => tx.bulk.insertChats(sim.chats.slice(a, b))));
  await write(sim.members.length, (a, b) => store.transaction((tx) => tx.bulk.insertMembers(sim.members.slice(a, b))));
  await write(sim.messageCount, (a, b) => store.transaction((tx) => tx.bulk.insertMessages(sim.messages(a + 1, b))));
  await store.bulk.finish();
  progress.stop();
  now = plan.now;
  return { app, chatOfConv: sim.chatOfConv, messages: sim.messageCount, chats: sim.chats.length, members: sim.members.length };
}
