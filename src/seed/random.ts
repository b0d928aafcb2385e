// A seeded random source for the dataset generator: the same seed gives the same portal.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class Random {
  private readonly rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** Integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** Float in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)];
  }

  /** k distinct integers from [from, to], ascending (k is capped at the range size). */
  distinct(k: number, from: number, to: number, exclude?: ReadonlySet<number>): number[] {
    const span = to - from + 1;
    const out = new Set<number>();
    const room = span - (exclude?.size ?? 0);
    const want = Math.min(k, room);
    if (want > span / 2) {
      // Dense: shuffle the whole range and take a prefix.
      const all: number[] = [];
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
}

const WORDS = (
  'ok thanks meeting report deadline invoice client call tomorrow today check please review draft update status ' +
  'plan release build test deploy budget contract order delivery question answer idea project task sprint design ' +
  'numbers table slides agenda lunch office remote coffee ticket bug fix done ready later soon great sure agreed'
).split(' ');

/** A message text that is a pure function of (seed, n): the generator never has to keep texts in memory. */
export function messageText(seed: number, n: number): string {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35)) >>> 0;
  const next = () => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
  };
  const count = 2 + (next() % 12);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(WORDS[next() % WORDS.length]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}${next() % 3 === 0 ? '?' : '.'}`;
}
