import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../main/node_modules/pure-rand/lib/esm/distribution/uniformFloat64.js
var scale26 = 14901161193847656e-24;
var scale53 = 11102230246251565e-32;
var mask1 = 67108863;
var mask2 = 134217727;
function uniformFloat64(rng) {
  const value1 = rng.next() & mask1;
  const value2 = rng.next() & mask2;
  return value1 * scale26 + value2 * scale53;
}

// ../../main/node_modules/pure-rand/lib/esm/distribution/uniformInt.js
function uniformIntInternal(rng, rangeSize) {
  const MaxAllowed = rangeSize > 2 ? ~~(4294967296 / rangeSize) * rangeSize : 4294967296;
  let deltaV = rng.next() + 2147483648;
  while (deltaV >= MaxAllowed) deltaV = rng.next() + 2147483648;
  return deltaV % rangeSize;
}
function fromNumberToArrayInt64(out, n) {
  if (n < 0) {
    const posN = -n;
    out.sign = -1;
    out.data[0] = ~~(posN / 4294967296);
    out.data[1] = posN >>> 0;
  } else {
    out.sign = 1;
    out.data[0] = ~~(n / 4294967296);
    out.data[1] = n >>> 0;
  }
  return out;
}
function substractArrayInt64(out, arrayIntA, arrayIntB) {
  const lowA = arrayIntA.data[1];
  const highA = arrayIntA.data[0];
  const signA = arrayIntA.sign;
  const lowB = arrayIntB.data[1];
  const highB = arrayIntB.data[0];
  const signB = arrayIntB.sign;
  out.sign = 1;
  if (signA === 1 && signB === -1) {
    const low2 = lowA + lowB;
    const high = highA + highB + (low2 > 4294967295 ? 1 : 0);
    out.data[0] = high >>> 0;
    out.data[1] = low2 >>> 0;
    return out;
  }
  let lowFirst = lowA;
  let highFirst = highA;
  let lowSecond = lowB;
  let highSecond = highB;
  if (signA === -1) {
    lowFirst = lowB;
    highFirst = highB;
    lowSecond = lowA;
    highSecond = highA;
  }
  let reminderLow = 0;
  let low = lowFirst - lowSecond;
  if (low < 0) {
    reminderLow = 1;
    low = low >>> 0;
  }
  out.data[0] = highFirst - highSecond - reminderLow;
  out.data[1] = low;
  return out;
}
function uniformArrayIntInternal(rng, out, rangeSize) {
  const maxIndex0 = rangeSize[0] + 1;
  out[0] = uniformIntInternal(rng, maxIndex0);
  out[1] = uniformIntInternal(rng, 4294967296);
  while (out[0] >= rangeSize[0] && (out[0] !== rangeSize[0] || out[1] >= rangeSize[1])) {
    out[0] = uniformIntInternal(rng, maxIndex0);
    out[1] = uniformIntInternal(rng, 4294967296);
  }
  return out;
}
var safeNumberMaxSafeInteger = Number.MAX_SAFE_INTEGER;
var sharedA = {
  sign: 1,
  data: [0, 0]
};
var sharedB = {
  sign: 1,
  data: [0, 0]
};
var sharedC = {
  sign: 1,
  data: [0, 0]
};
var sharedData = [0, 0];
function uniformLargeIntInternal(rng, from, to, rangeSize) {
  const rangeSizeArrayIntValue = rangeSize <= safeNumberMaxSafeInteger ? fromNumberToArrayInt64(sharedC, rangeSize) : substractArrayInt64(sharedC, fromNumberToArrayInt64(sharedA, to), fromNumberToArrayInt64(sharedB, from));
  if (rangeSizeArrayIntValue.data[1] === 4294967295) {
    rangeSizeArrayIntValue.data[0] += 1;
    rangeSizeArrayIntValue.data[1] = 0;
  } else rangeSizeArrayIntValue.data[1] += 1;
  uniformArrayIntInternal(rng, sharedData, rangeSizeArrayIntValue.data);
  return sharedData[0] * 4294967296 + sharedData[1] + from;
}
function uniformInt(rng, from, to) {
  const rangeSize = to - from;
  if (rangeSize <= 4294967295) return uniformIntInternal(rng, rangeSize + 1) + from;
  return uniformLargeIntInternal(rng, from, to, rangeSize);
}

// ../../main/node_modules/pure-rand/lib/esm/generator/xoroshiro128plus.js
var jumps = [
  3639956645,
  3750757012,
  1261568508,
  386426335
];
var XoroShiro128Plus = class XoroShiro128Plus2 {
  constructor(s01, s00, s11, s10) {
    this.s01 = s01;
    this.s00 = s00;
    this.s11 = s11;
    this.s10 = s10;
  }
  clone() {
    return new XoroShiro128Plus2(this.s01, this.s00, this.s11, this.s10);
  }
  next() {
    const out = this.s00 + this.s10 | 0;
    const a0 = this.s10 ^ this.s00;
    const a1 = this.s11 ^ this.s01;
    const s00 = this.s00;
    const s01 = this.s01;
    this.s00 = s00 << 24 ^ s01 >>> 8 ^ a0 ^ a0 << 16;
    this.s01 = s01 << 24 ^ s00 >>> 8 ^ a1 ^ (a1 << 16 | a0 >>> 16);
    this.s10 = a1 << 5 ^ a0 >>> 27;
    this.s11 = a0 << 5 ^ a1 >>> 27;
    return out;
  }
  jump() {
    let ns01 = 0;
    let ns00 = 0;
    let ns11 = 0;
    let ns10 = 0;
    let s01 = this.s01;
    let s00 = this.s00;
    let s11 = this.s11;
    let s10 = this.s10;
    for (let i = 0; i !== 4; ++i) {
      const ji = jumps[i];
      for (let mask = 1; mask; mask <<= 1) {
        if (ji & mask) {
          ns01 ^= s01;
          ns00 ^= s00;
          ns11 ^= s11;
          ns10 ^= s10;
        }
        const a0 = s10 ^ s00;
        const a1 = s11 ^ s01;
        const s00_ = s00;
        const s01_ = s01;
        s00 = s00_ << 24 ^ s01_ >>> 8 ^ a0 ^ a0 << 16;
        s01 = s01_ << 24 ^ s00_ >>> 8 ^ a1 ^ (a1 << 16 | a0 >>> 16);
        s10 = a1 << 5 ^ a0 >>> 27;
        s11 = a0 << 5 ^ a1 >>> 27;
      }
    }
    this.s01 = ns01;
    this.s00 = ns00;
    this.s11 = ns11;
    this.s10 = ns10;
  }
  getState() {
    return [
      this.s01,
      this.s00,
      this.s11,
      this.s10
    ];
  }
};
function xoroshiro128plus(seed) {
  return new XoroShiro128Plus(-1, ~seed, seed | 0, 0);
}

// src/seed/random.ts
var Random = class {
  rng;
  constructor(seed) {
    this.rng = xoroshiro128plus(seed);
  }
  /** Integer in [from, to]. */
  int(from, to) {
    return uniformInt(this.rng, from, to);
  }
  /** Float in [0, 1). */
  float() {
    return uniformFloat64(this.rng);
  }
  chance(p) {
    return this.float() < p;
  }
  pick(list) {
    return list[this.int(0, list.length - 1)];
  }
  /** k distinct integers from [from, to], ascending (k is capped at the range size). */
  distinct(k, from, to, exclude) {
    const span = to - from + 1;
    const out = /* @__PURE__ */ new Set();
    const room = span - (exclude?.size ?? 0);
    const want = Math.min(k, room);
    if (want > span / 2) {
      const all = [];
      for (let v = from; v <= to; v++) if (!exclude?.has(v)) all.push(v);
      for (let i = 0; i < want; i++) {
        const j = this.int(i, all.length - 1);
        [all[i], all[j]] = [all[j], all[i]];
        out.add(all[i]);
      }
    } else {
      while (out.size < want) {
        const v = this.int(from, to);
        if (!exclude?.has(v)) out.add(v);
      }
    }
    return [...out].sort((a, b) => a - b);
  }
};
var WORDS = "ok thanks meeting report deadline invoice client call tomorrow today check please review draft update status plan release build test deploy budget contract order delivery question answer idea project task sprint design numbers table slides agenda lunch office remote coffee ticket bug fix done ready later soon great sure agreed".split(" ");
function messageText(seed, n) {
  let h = (Math.imul(seed ^ 2654435769, 2246822507) ^ Math.imul(n + 1, 3266489909)) >>> 0;
  const next = () => {
    h ^= h >>> 16;
    h = Math.imul(h, 2146121005) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 2221713035) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
  };
  const count = 2 + next() % 12;
  const words = [];
  for (let i = 0; i < count; i++) words.push(WORDS[next() % WORDS.length]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(" ")}${next() % 3 === 0 ? "?" : "."}`;
}

// src/seed/plan.ts
var EV_CREATE = 0;
var EV_MESSAGE = 1;
var EV_READ = 2;
var DAY = 24 * 3600;
var FIRST_USER_ID = 2;
var EventList = class {
  length = 0;
  time = new Float64Array(1024);
  kind = new Uint8Array(1024);
  conv = new Int32Array(1024);
  user = new Int32Array(1024);
  push(time, kind, conv, user) {
    if (this.length === this.time.length) this.grow();
    const i = this.length++;
    this.time[i] = time;
    this.kind[i] = kind;
    this.conv[i] = conv;
    this.user[i] = user;
  }
  grow() {
    const n = this.time.length * 2;
    const g = (a, make) => {
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
  sorted(t0) {
    const n = this.length;
    const SHIFT = 2 ** 23;
    if (n >= SHIFT) throw new Error("too many events");
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (this.time[i] - t0) * SHIFT + i;
    keys.sort();
    const out = { length: n, time: new Float64Array(n), kind: new Uint8Array(n), conv: new Int32Array(n), user: new Int32Array(n) };
    for (let j = 0; j < n; j++) {
      const i = keys[j] % SHIFT;
      out.time[j] = this.time[i];
      out.kind[j] = this.kind[i];
      out.conv[j] = this.conv[i];
      out.user[j] = this.user[i];
    }
    return out;
  }
};
var SIZES = {
  xs: { users: 40, groups: 6, lines: 2, maxGroupMembers: 30, messages: 800, dialogPicks: [2, 5], oldDialogShare: 0.2, heavyItems: 30 },
  s: { users: 1e3, groups: 180, lines: 20, maxGroupMembers: 500, messages: 5e4, dialogPicks: [10, 40], oldDialogShare: 0.15, heavyItems: 1e3 },
  m: { users: 1e4, groups: 2e3, lines: 300, maxGroupMembers: 5e3, messages: 1e6, dialogPicks: [10, 45], oldDialogShare: 0.15, heavyItems: 1e3 }
};
var FIRST = ["Anna", "Boris", "Clara", "Denis", "Elena", "Fedor", "Galina", "Igor", "Julia", "Kirill", "Lena", "Maxim", "Nina", "Oleg", "Polina", "Roman", "Sofia", "Timur", "Vera", "Yuri"];
var LAST = ["Ivanova", "Petrov", "Smith", "Garcia", "Kuznetsov", "Novak", "Schmidt", "Rossi", "Dubois", "Silva", "Kim", "Nowak", "Jensen", "Popov", "Weber", "Moreau"];
var POSITIONS = ["Engineer", "Manager", "Designer", "Accountant", "Sales", "Support", "Analyst", "Lawyer", "Recruiter", "Director"];
var TOPICS = ["Sales", "Support", "Release", "Marketing", "Finance", "Design", "Backend", "Mobile", "Office", "Hiring", "Legal", "Events"];
function portalPlan({ size, seed, now }) {
  const shape = SIZES[size];
  if (!shape) throw new Error(`Unknown size ${size} (known: ${Object.keys(SIZES).join(", ")})`);
  const rnd = new Random(seed);
  const t0 = now - 61 * DAY;
  const start = now - 60 * DAY;
  const lastSafe = now - 120;
  const users = [];
  for (let i = 0; i < shape.users; i++) {
    const name = FIRST[rnd.int(0, FIRST.length - 1)];
    const lastName = LAST[rnd.int(0, LAST.length - 1)];
    users.push({
      name,
      lastName,
      email: `${name.toLowerCase()}.${lastName.toLowerCase()}.${i}@example.com`,
      workPosition: rnd.pick(POSITIONS),
      gender: /a$/.test(name) ? "F" : "M",
      connector: false
    });
  }
  for (let i = 0; i < shape.lines; i++) {
    users.push({ name: `Customer ${i + 1}`, lastName: "", email: `customer${i + 1}@example.net`, workPosition: "", gender: "M", connector: true });
  }
  const firstEmployee = FIRST_USER_ID;
  const lastEmployee = FIRST_USER_ID + shape.users - 1;
  const heavy = firstEmployee;
  const notHeavy = /* @__PURE__ */ new Set([heavy]);
  const convs = [];
  const ev = new EventList();
  const postMessages = (conv, count, end, span, author, reader, readP) => {
    for (let k = 0; k < count; k++) {
      const t = k === count - 1 ? end : end - rnd.int(0, Math.max(0, span));
      const a = author();
      ev.push(t, EV_MESSAGE, conv, a);
      if (rnd.chance(readP)) {
        const r = reader(a);
        if (r !== void 0) ev.push(Math.min(t + rnd.int(1, 1800), lastSafe + 60), EV_READ, conv, r);
      }
    }
  };
  const groupBudget = Math.round(shape.messages * 0.3);
  const groupSizes = [];
  for (let g = 0; g < shape.groups; g++) {
    groupSizes.push(Math.min(shape.users, Math.max(3, Math.round(shape.maxGroupMembers / (g + 1)))));
  }
  const weights = groupSizes.map((s) => s ** 0.8);
  const wsum = weights.reduce((a, b) => a + b, 0);
  for (let g = 0; g < shape.groups; g++) {
    const size2 = groupSizes[g];
    const members = g === 0 ? [heavy, ...rnd.distinct(size2 - 1, firstEmployee, lastEmployee, notHeavy)] : rnd.distinct(size2, firstEmployee, lastEmployee, notHeavy);
    const creator = members[rnd.int(0, members.length - 1)];
    const conv = convs.length;
    convs.push({
      kind: "group",
      type: rnd.chance(0.2) ? "O" : "C",
      title: `${rnd.pick(TOPICS)} ${g + 1}`,
      members: [creator, ...members.filter((m) => m !== creator)]
    });
    ev.push(t0 + 60 + g, EV_CREATE, conv, creator);
    const dormant = g >= 5 && rnd.chance(0.1);
    const end = dormant ? now - rnd.int(31 * DAY, 59 * DAY) : g < 5 ? now - rnd.int(120, DAY) : now - rnd.int(120, 29 * DAY);
    const count = Math.max(1, Math.round(groupBudget * weights[g] / wsum));
    postMessages(conv, count, end, end - start, () => rnd.pick(members), (a) => {
      const r = rnd.pick(members);
      return r === a ? void 0 : r;
    }, 0.6);
  }
  const bigChat = 0;
  const lineBudget = Math.round(shape.messages * 0.04);
  for (let l = 0; l < shape.lines; l++) {
    const customer = lastEmployee + 1 + l;
    const operator = rnd.int(firstEmployee + 1, lastEmployee);
    const conv = convs.length;
    const sessionId = 1e3 + l;
    convs.push({
      kind: "group",
      type: "L",
      title: users[customer - FIRST_USER_ID].name,
      members: [operator, customer],
      entityType: "LINES",
      entityId: `b24im_seed|${1 + l % 3}|chat${l + 1}|${customer}`,
      entityData: [String(sessionId), l % 4 === 0 ? "40" : "20", ""]
    });
    const end = l % 6 === 0 ? now - rnd.int(31 * DAY, 58 * DAY) : now - rnd.int(120, 29 * DAY);
    const span = rnd.int(600, 3 * DAY);
    ev.push(end - span - 60, EV_CREATE, conv, operator);
    const count = Math.max(1, Math.round(lineBudget / Math.max(1, shape.lines)));
    postMessages(conv, count, end, span, () => rnd.chance(0.5) ? customer : operator, (a) => a === customer ? operator : customer, 0.8);
  }
  const pairs = /* @__PURE__ */ new Set();
  const dialogs = [];
  const addPair = (a, b) => {
    const key = Math.min(a, b) * 4194304 + Math.max(a, b);
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
  const counts = new Int32Array(dialogs.length).fill(1);
  for (let k = dialogs.length; k < dialogBudget; k++) {
    counts[Math.floor(dialogs.length * rnd.float() ** 2.5)]++;
  }
  for (let d = 0; d < dialogs.length; d++) {
    const [a, b] = dialogs[d];
    const conv = convs.length;
    convs.push({ kind: "dialog", type: "P", title: "", members: [a, b] });
    const old = d >= heavyDialogs && rnd.chance(shape.oldDialogShare);
    const end = old ? now - rnd.int(31 * DAY, 59 * DAY) : now - rnd.int(120, 28 * DAY);
    const span = rnd.int(0, Math.min(end - start, 20 * DAY));
    postMessages(conv, counts[d], end, span, () => rnd.chance(0.5) ? a : b, (x) => x === a ? b : a, 0.75);
  }
  return { seed, now, t0, users, convs, events: ev.sorted(t0), roles: { heavy, bigChat, firstDialog: shape.groups + shape.lines } };
}
function windowCounts(plan, since) {
  const last = new Float64Array(plan.convs.length);
  const e = plan.events;
  for (let i = 0; i < e.length; i++) if (e.kind[i] !== EV_CREATE) last[e.conv[i]] = Math.max(last[e.conv[i]], e.time[i]);
  const counts = /* @__PURE__ */ new Map();
  plan.convs.forEach((c, i) => {
    if (last[i] < since) return;
    for (const m of c.members) counts.set(m, (counts.get(m) ?? 0) + 1);
  });
  return counts;
}
function typicalUser(plan, since, target = 50) {
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

export {
  messageText,
  EV_CREATE,
  EV_MESSAGE,
  EV_READ,
  DAY,
  FIRST_USER_ID,
  SIZES,
  portalPlan,
  typicalUser
};
//# sourceMappingURL=chunk-FSN6UEE6.js.map
