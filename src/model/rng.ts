/**
 * Per-run random streams. Each run's generator state is derived by hashing
 * (master seed, cell, run, stream) with MurmurHash3 (x86, 32-bit), so a run's draws depend on
 * nothing but those numbers: not on the worker, the batch or the runs before it. Adjacent run
 * indices give unrelated states because every input bit avalanches through the hash.
 * The draws themselves come from xoshiro128** (Blackman and Vigna), seeded with four such
 * hashes; a RunRng is allocated once and reseeded per run, so the hot loop allocates nothing.
 */

/** Streams of one run: the escalation model draws from MODEL, a per-run generated system from SYSTEM. */
export const STREAM_MODEL = 0;
export const STREAM_SYSTEM = 1;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's scrambling of one input word, which does not depend on the hash so far. */
function scramble(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

/** MurmurHash3's step for one word already scrambled. */
function mixScrambled(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixWord(h: number, k: number): number {
  return mixScrambled(h, scramble(k));
}

function finalize(h: number, byteLength: number): number {
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3_x86_32 of 32-bit words taken as little-endian bytes (reference vectors in tests). */
export function murmur3Words(words: ArrayLike<number>, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) h = mixWord(h, words[i]! | 0);
  return finalize(h, words.length * 4);
}

/** Splits a master seed (a safe non-negative integer) into its low and high 32-bit words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`seed must be a safe non-negative integer, got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
}

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** A reusable xoshiro128** generator whose state is derived from (seed, cell, run, stream). */
export class RunRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed = 0, cell = 0, run = 0, stream = STREAM_MODEL) {
    this.reseed(seed, cell, run, stream);
  }

  /** Moves this generator to the start of the stream of (seed, cell, run, stream). */
  reseed(seed: number, cell: number, run: number, stream = STREAM_MODEL): void {
    // The four words hash the same inputs under four seeds: each input is scrambled once.
    const lo = scramble(seed >>> 0);
    const hi = scramble(Math.floor(seed / 0x100000000) >>> 0);
    const c = scramble(cell);
    const r = scramble(run);
    const st = scramble(stream);
    this.s0 = hashState(lo, hi, c, r, st, 0x9e3779b9);
    this.s1 = hashState(lo, hi, c, r, st, 0x85ebca6b);
    this.s2 = hashState(lo, hi, c, r, st, 0xc2b2ae35);
    this.s3 = hashState(lo, hi, c, r, st, 0x27d4eb2f);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Sets the raw xoshiro128** state (for reference vectors). */
  setState(a: number, b: number, c: number, d: number): void {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution: u < p is true with probability p for p in {0, 1} exactly. */
  uniform(): number {
    return this.nextUint32() * TWO_POW_MINUS_32;
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (multiply-shift; bias below 2^-32 · n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** MurmurHash3 with seed `salt` of the five words (seed low, seed high, cell, run, stream), each given scrambled. */
function hashState(lo: number, hi: number, cell: number, run: number, stream: number, salt: number): number {
  let h = salt;
  h = mixScrambled(h, lo);
  h = mixScrambled(h, hi);
  h = mixScrambled(h, cell);
  h = mixScrambled(h, run);
  h = mixScrambled(h, stream);
  return finalize(h, 20) | 0;
}
