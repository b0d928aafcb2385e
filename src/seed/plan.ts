// What the generator builds, as data: users, conversations and a time-ordered list of events (group created,
// message posted, dialog read). Both executors (the app layer and the bulk loader) replay the same plan.
import { Random } from './random.ts';

export const EV_CREATE = 0;
export const EV_MESSAGE = 1;
export const EV_READ = 2;

export const DAY = 24 * 3600;

export interface PlanUser {
  name: string;
  lastName: string;
  email: string;
  workPosition: string;
  gender: 'M' | 'F';
  connector: boolean;
}

export interface PlanConv {
  kind: 'dialog' | 'group';
  /** Group chats: C, O or L (open line). */
  type: 'P' | 'C' | 'O' | 'L';
  title: string;
  /** User ids; for groups the creator first, then the others ascending. */
  members: number[];
  entityType?: string;
  entityId?: string;
  entityData?: [string, string, string];
}

/** Events in replay order, as parallel typed arrays (a million messages stay compact). */
export interface PlanEvents {
  length: number;
  time: Float64Array;
  kind: Uint8Array;
  conv: Int32Array;
  user: Int32Array;
}

export interface Plan {
  seed: number;
  now: number;
  /** When the users and group chats were created. */
  t0: number;
  users: PlanUser[];
  convs: PlanConv[];
  events: PlanEvents;
  /** Well-known actors for benchmarks: user ids and conversation indexes. */
  roles: Record<string, number>;
}

/** The administrator is user 1; plan user i gets id i + FIRST_USER_ID. */
export const FIRST_USER_ID = 2;

class EventList {
  length = 0;
  private time = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private conv = new Int32Array(1024);
  private user = new Int32Array(1024);

  push(time: number, kind: number, conv: number, user: number): void {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.kind[i] = kind;
    this.conv[i] = conv;
    this.user[i] = user;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const g = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.time = g(this.time, (k) => new Float64Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.conv = g(this.conv, (k) => new Int32Array(k));
    this.user = g(this.user, (k) => new Int32Array(k));
  }

  /** Stable sort by time (ties keep insertion order): one numeric sort of packed keys. */
  sorted(t0: number): PlanEvents {
    const n = this.length;
    const SHIFT = 2 ** 23;
    if (n >= SHIFT) throw new Error('too many events');
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (this.time[i] - t0) * SHIFT + i;
    keys.sort();
    const out: PlanEvents = { length: n, time: new Float64Array(n), kind: new Uint8Array(n), conv: new Int32Array(n), user: new Int32Array(n) };
    for (let j = 0; j < n; j++) {
      const i = keys[j] % SHIFT;
      out.time[j] = this.time[i];
      out.kind[j] = this.kind[i];
      out.conv[j] = this.conv[i];
      out.user[j] = this.user[i];
    }
    return out;
  }
}

export interface PortalShape {
  users: number;
  groups: number;
  lines: number;
  maxGroupMembers: number;
  messages: number;
  /** Dialog partners each user picks (they also get picked by others). */
  dialogPicks: [number, number];
  /** Share of dialogs whose messages are all older than the 30-day window. */
  oldDialogShare: number;
  /** Recent items of the heavy user (capped by the number of users). */
  heavyItems: number;
}

export const SIZES: Record<string, PortalShape> = {
  xs: { users: 40, groups: 6, lines: 2, maxGroupMembers: 30, messages: 800, dialogPicks: [2, 5], oldDialogShare: 0.2, heavyItems: 30 },
  s: { users: 1000, groups: 180, lines: 20, maxGroupMembers: 500, messages: 50_000, dialogPicks: [10, 40], oldDialogShare: 0.15, heavyItems: 1000 },
  m: { users: 10_000, groups: 2000, lines: 300, maxGroupMembers: 5000, messages: 1_000_000, dialogPicks: [10, 45], oldDialogShare: 0.15, heavyItems: 1000 },
};

const FIRST = ['Anna', 'Boris', 'Clara', 'Denis', 'Elena', 'Fedor', 'Galina', 'Igor', 'Julia', 'Kirill', 'Lena', 'Maxim', 'Nina', 'Oleg', 'Polina', 'Roman', 'Sofia', 'Timur', 'Vera', 'Yuri'];
const LAST = ['Ivanova', 'Petrov', 'Smith', 'Garcia', 'Kuznetsov', 'Novak', 'Schmidt', 'Rossi', 'Dubois', 'Silva', 'Kim', 'Nowak', 'Jensen', 'Popov', 'Weber', 'Moreau'];
const POSITIONS = ['Engineer', 'Manager', 'Designer', 'Accountant', 'Sales', 'Support', 'Analyst', 'Lawyer', 'Recruiter', 'Director'];
const TOPICS = ['Sales', 'Support', 'Release', 'Marketing', 'Finance', 'Design', 'Backend', 'Mobile', 'Office', 'Hiring', 'Legal', 'Events'];

export interface PortalOptions {
  size: string;
  seed: number;
  now: number;
}

/** A realistic portal: heavy-tailed group sizes, dialogs, open lines, activity over the last 60 days. */
export function portalPlan({ size, seed, now }: PortalOptions): Plan {
  const shape = SIZES[size];
  if (!shape) throw new Error(`Unknown size ${size} (known: ${Object.keys(SIZES).join(', ')})`);
  const rnd = new Random(seed);
  const t0 = now - 61 * DAY;
  const start = now - 60 * DAY;
  const lastSafe = now - 120;
  const users: PlanUser[] = [];
  for (let i = 0; i < shape.users; i++) {
    const name = FIRST[rnd.int(0, FIRST.length - 1)];
    const lastName = LAST[rnd.int(0, LAST.length - 1)];
    users.push({
      name,
      lastName,
      email: `${name.toLowerCase()}.${lastName.toLowerCase()}.${i}@example.com`,
      workPosition: rnd.pick(POSITIONS),
      gender: /a$/.test(name) ? 'F' : 'M',
      connector: false,
    });
  }
  for (let i = 0; i < shape.lines; i++) {
    users.push({ name: `Customer ${i + 1}`, lastName: '', email: `customer${i + 1}@example.net`, workPosition: '', gender: 'M', connector: true });
  }
  const firstEmployee = FIRST_USER_ID;
  const lastEmployee = FIRST_USER_ID + shape.users - 1;
  const heavy = firstEmployee;
  const notHeavy = new Set([heavy]);
  const convs: PlanConv[] = [];
  const ev = new EventList();

  // Messages of one conversation: the last one at `end`, the others spread over [end - span, end].
  const postMessages = (conv: number, count: number, end: number, span: number, author: () => number, reader: (author: number) => number | undefined, readP: number) => {
    for (let k = 0; k < count; k++) {
      const t = k === count - 1 ? end : end - rnd.int(0, Math.max(0, span));
      const a = author();
      ev.push(t, EV_MESSAGE, conv, a);
      if (rnd.chance(readP)) {
        const r = reader(a);
        if (r !== undefined) ev.push(Math.min(t + rnd.int(1, 1800), lastSafe + 60), EV_READ, conv, r);
      }
    }
  };

  // Group chats: the n-th largest has maxGroupMembers / n members (at least 3).
  const groupBudget = Math.round(shape.messages * 0.3);
  const groupSizes: number[] = [];
  for (let g = 0; g < shape.groups; g++) {
    groupSizes.push(Math.min(shape.users, Math.max(3, Math.round(shape.maxGroupMembers / (g + 1)))));
  }
  const weights = groupSizes.map((s) => s ** 0.8);
  const wsum = weights.reduce((a, b) => a + b, 0);
  for (let g = 0; g < shape.groups; g++) {
    const size = groupSizes[g];
    const members = g === 0
      ? [heavy, ...rnd.distinct(size - 1, firstEmployee, lastEmployee, notHeavy)]
      : rnd.distinct(size, firstEmployee, lastEmployee, notHeavy);
    const creator = members[rnd.int(0, members.length - 1)];
    const conv = convs.length;
    convs.push({
      kind: 'group',
      type: rnd.chance(0.2) ? 'O' : 'C',
      title: `${rnd.pick(TOPICS)} ${g + 1}`,
      members: [creator, ...members.filter((m) => m !== creator)],
    });
    ev.push(t0 + 60 + g, EV_CREATE, conv, creator);
    const dormant = g >= 5 && rnd.chance(0.1);
    const end = dormant ? now - rnd.int(31 * DAY, 59 * DAY) : g < 5 ? now - rnd.int(120, DAY) : now - rnd.int(120, 29 * DAY);
    const count = Math.max(1, Math.round((groupBudget * weights[g]) / wsum));
    postMessages(conv, count, end, end - start, () => rnd.pick(members), (a) => {
      const r = rnd.pick(members);
      return r === a ? undefined : r;
    }, 0.6);
  }
  const bigChat = 0;

  // Open lines: an operator and an external customer.
  const lineBudget = Math.round(shape.messages * 0.04);
  for (let l = 0; l < shape.lines; l++) {
    const customer = lastEmployee + 1 + l;
    const operator = rnd.int(firstEmployee + 1, lastEmployee);
    const conv = convs.length;
    const sessionId = 1000 + l;
    convs.push({
      kind: 'group',
      type: 'L',
      title: users[customer - FIRST_USER_ID].name,
      members: [operator, customer],
      entityType: 'LINES',
      entityId: `b24im_seed|${1 + (l % 3)}|chat${l + 1}|${customer}`,
      entityData: [String(sessionId), l % 4 === 0 ? '40' : '20', ''],
    });
    const end = l % 6 === 0 ? now - rnd.int(31 * DAY, 58 * DAY) : now - rnd.int(120, 29 * DAY);
    const span = rnd.int(600, 3 * DAY);
    ev.push(end - span - 60, EV_CREATE, conv, operator);
    const count = Math.max(1, Math.round(lineBudget / Math.max(1, shape.lines)));
    postMessages(conv, count, end, span, () => (rnd.chance(0.5) ? customer : operator), (a) => (a === customer ? operator : customer), 0.8);
  }

  // Dialogs: every user picks partners; the heavy user talks to heavyItems - 1 people, all within the window.
  const pairs = new Set<number>();
  const dialogs: [number, number][] = [];
  const addPair = (a: number, b: number) => {
    const key = Math.min(a, b) * 4_194_304 + Math.max(a, b);
    if (a === b || pairs.has(key)) return;
    pairs.add(key);
    dialogs.push([a, b]);
  };
  const heavyPartners = rnd.distinct(Math.min(shape.heavyItems - 1, shape.users - 1), firstEmployee, lastEmployee, notHeavy);
  for (const p of heavyPartners) addPair(heavy, p);
  const heavyDialogs = dialogs.length;
  for (let u = firstEmployee + 1; u <= lastEmployee; u++) {
    const picks = rnd.int(shape.dialogPicks[0], shape.dialogPicks[1]);
    for (let k = 0; k < picks; k++) addPair(u, rnd.int(firstEmployee + 1, lastEmployee));
  }
  const dialogBudget = Math.max(dialogs.length, shape.messages - groupBudget - lineBudget);
  // One message each, the rest skewed towards chatty dialogs.
  const counts = new Int32Array(dialogs.length).fill(1);
  for (let k = dialogs.length; k < dialogBudget; k++) {
    counts[Math.floor(dialogs.length * rnd.float() ** 2.5)]++;
  }
  for (let d = 0; d < dialogs.length; d++) {
    const [a, b] = dialogs[d];
    const conv = convs.length;
    convs.push({ kind: 'dialog', type: 'P', title: '', members: [a, b] });
    const old = d >= heavyDialogs && rnd.chance(shape.oldDialogShare);
    const end = old ? now - rnd.int(31 * DAY, 59 * DAY) : now - rnd.int(120, 28 * DAY);
    const span = rnd.int(0, Math.min(end - start, 20 * DAY));
    postMessages(conv, counts[d], end, span, () => (rnd.chance(0.5) ? a : b), (x) => (x === a ? b : a), 0.75);
  }

  return { seed, now, t0, users, convs, events: ev.sorted(t0), roles: { heavy, bigChat, firstDialog: shape.groups + shape.lines } };
}

/** Per user, how many conversations had activity at or after `since` (the default window's item count). */
export function windowCounts(plan: Plan, since: number): Map<number, number> {
  const last = new Float64Array(plan.convs.length);
  const e = plan.events;
  for (let i = 0; i < e.length; i++) if (e.kind[i] !== EV_CREATE) last[e.conv[i]] = Math.max(last[e.conv[i]], e.time[i]);
  const counts = new Map<number, number>();
  plan.convs.forEach((c, i) => {
    if (last[i] < since) return;
    for (const m of c.members) counts.set(m, (counts.get(m) ?? 0) + 1);
  });
  return counts;
}

/** The employee whose window item count is closest to `target` (the lowest id on ties), never the heavy user. */
export function typicalUser(plan: Plan, since: number, target = 50): number {
  const counts = windowCounts(plan, since);
  let best = 0;
  let bestDiff = Infinity;
  for (let i = 0; i < plan.users.length; i++) {
    const id = i + FIRST_USER_ID;
    if (plan.users[i].connector || id === plan.roles.heavy) continue;
    const diff = Math.abs((counts.get(id) ?? 0) - target);
    if (diff < bestDiff) {
      best = id;
      bestDiff = diff;
    }
  }
  return best;
}

export interface GrowthOptions {
  seed: number;
  now: number;
  /** One probe user per list size: that many dialogs, all inside the 30-day window. */
  probes: number[];
  /** Messages among other users, to grow the database around the probes' fixed lists. */
  fillerMessages: number;
  /** Items of each probe that change in the last minute (the LAST_UPDATE delta). */
  recentChanges: number;
}

/**
 * The benchmark's growth dataset: probe users whose lists have exact sizes, 10 items of each changed within the
 * last minute, and filler traffic that never touches them. roles: probe<N> = user id of the probe with N items.
 */
export function growthPlan(o: GrowthOptions): Plan {
  const rnd = new Random(o.seed);
  const t0 = o.now - 61 * DAY;
  const partners = Math.max(...o.probes);
  const fillerUsers = 200;
  const users: PlanUser[] = [];
  const person = (name: string, lastName: string, i: number): PlanUser => ({
    name, lastName, email: `${name.toLowerCase()}${i}@example.com`, workPosition: rnd.pick(POSITIONS), gender: 'M', connector: false,
  });
  o.probes.forEach((n, i) => users.push(person('Probe', String(n), i)));
  for (let i = 0; i < partners; i++) users.push(person(rnd.pick(FIRST), rnd.pick(LAST), 100 + i));
  for (let i = 0; i < fillerUsers; i++) users.push(person(rnd.pick(FIRST), rnd.pick(LAST), 100_000 + i));
  const firstPartner = FIRST_USER_ID + o.probes.length;
  const firstFiller = firstPartner + partners;
  const convs: PlanConv[] = [];
  const ev = new EventList();
  const roles: Record<string, number> = {};
  o.probes.forEach((n, p) => {
    const probe = FIRST_USER_ID + p;
    roles[`probe${n}`] = probe;
    for (let k = 0; k < n; k++) {
      const partner = firstPartner + k;
      const conv = convs.length;
      convs.push({ kind: 'dialog', type: 'P', title: '', members: [probe, partner] });
      const end = k < o.recentChanges ? o.now - 30 + k : o.now - rnd.int(3600, 20 * DAY);
      ev.push(end - rnd.int(3600, DAY), EV_MESSAGE, conv, probe);
      ev.push(end, EV_MESSAGE, conv, partner);
    }
  });
  const fillerDialogs = Math.max(1, Math.min(5000, Math.ceil(o.fillerMessages / 20)));
  const fconvs: number[] = [];
  const seen = new Set<number>();
  while (fconvs.length < fillerDialogs) {
    const a = firstFiller + rnd.int(0, fillerUsers - 1);
    let b = firstFiller + rnd.int(0, fillerUsers - 2);
    if (b >= a) b++;
    const key = Math.min(a, b) * 4_194_304 + Math.max(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    fconvs.push(convs.length);
    convs.push({ kind: 'dialog', type: 'P', title: '', members: [a, b] });
  }
  for (let k = 0; k < o.fillerMessages; k++) {
    const conv = fconvs[k < fconvs.length ? k : rnd.int(0, fconvs.length - 1)];
    const [a, b] = convs[conv].members;
    const t = o.now - rnd.int(120, 60 * DAY);
    const author = rnd.chance(0.5) ? a : b;
    ev.push(t, EV_MESSAGE, conv, author);
    if (rnd.chance(0.5)) ev.push(Math.min(t + rnd.int(1, 600), o.now - 60), EV_READ, conv, author === a ? b : a);
  }
  return { seed: o.seed, now: o.now, t0, users, convs, events: ev.sorted(t0), roles };
}
