import { describe, expect, it } from 'vitest';
import { murmur3Words, RunRng, STREAM_MODEL, STREAM_SYSTEM } from '../../src/model/rng.js';
import { chiSquareGof, pearson } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Independent references, written with BigInt so that no 32-bit trick is shared with src/.

const M32 = 0xffffffffn;
const rotl = (x: bigint, r: number): bigint => ((x << BigInt(r)) | (x >> BigInt(32 - r))) & M32;

/** MurmurHash3_x86_32 over bytes, straight from Appleby's reference C (tail and all). */
function murmurBytesRef(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51n;
  const c2 = 0x1b873593n;
  let h = BigInt(seed >>> 0);
  const nblocks = Math.floor(bytes.length / 4);
  for (let i = 0; i < nblocks; i++) {
    let k =
      BigInt(bytes[4 * i]!) |
      (BigInt(bytes[4 * i + 1]!) << 8n) |
      (BigInt(bytes[4 * i + 2]!) << 16n) |
      (BigInt(bytes[4 * i + 3]!) << 24n);
    k = (k * c1) & M32;
    k = rotl(k, 15);
    k = (k * c2) & M32;
    h ^= k;
    h = rotl(h, 13);
    h = (h * 5n + 0xe6546b64n) & M32;
  }
  const tail = nblocks * 4;
  let k1 = 0n;
  const rem = bytes.length & 3;
  if (rem >= 3) k1 ^= BigInt(bytes[tail + 2]!) << 16n;
  if (rem >= 2) k1 ^= BigInt(bytes[tail + 1]!) << 8n;
  if (rem >= 1) {
    k1 ^= BigInt(bytes[tail]!);
    k1 = (k1 * c1) & M32;
    k1 = rotl(k1, 15);
    k1 = (k1 * c2) & M32;
    h ^= k1;
  }
  h ^= BigInt(bytes.length);
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & M32;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & M32;
  h ^= h >> 16n;
  return Number(h);
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Little-endian 32-bit words of a byte string whose length is a multiple of 4. */
function toWords(bytes: Uint8Array): number[] {
  const w: number[] = [];
  for (let i = 0; i < bytes.length; i += 4)
    w.push((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  return w;
}

/** xoshiro128** from the reference C code (Blackman and Vigna), in BigInt. */
function* xoshiroRef(a: number, b: number, c: number, d: number): Generator<number> {
  const s = [BigInt(a >>> 0), BigInt(b >>> 0), BigInt(c >>> 0), BigInt(d >>> 0)];
  for (;;) {
    const result = (rotl((s[1]! * 5n) & M32, 7) * 9n) & M32;
    const t = (s[1]! << 9n) & M32;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11);
    yield Number(result);
  }
}

// Published MurmurHash3_x86_32 test vectors (as collected with the SMHasher verification value
// and widely reproduced, e.g. the "MurmurHash3 test vectors" StackOverflow answer).
const PUBLISHED: [Uint8Array, number, number][] = [
  [latin1(''), 0, 0],
  [latin1(''), 1, 0x514e28b7],
  [latin1(''), 0xffffffff, 0x81f16f39],
  [latin1('\0\0\0\0'), 0, 0x2362f9de],
  [latin1('aaaa'), 0x9747b28c, 0x5a97808a],
  [latin1('aaa'), 0x9747b28c, 0x283e0130],
  [latin1('aa'), 0x9747b28c, 0x5d211726],
  [latin1('a'), 0x9747b28c, 0x7fa09ea6],
  [latin1('abcd'), 0x9747b28c, 0xf0478627],
  [latin1('abc'), 0x9747b28c, 0xc84a62dd],
  [latin1('ab'), 0x9747b28c, 0x74875592],
  [latin1('Hello, world!'), 0x9747b28c, 0x24884cba],
  [utf8('ππππππππ'), 0x9747b28c, 0xd58063c1],
  [latin1('abc'), 0, 0xb3dd93fa],
  [latin1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), 0, 0xee925b90],
  [latin1('The quick brown fox jumps over the lazy dog'), 0x9747b28c, 0x2fa826cd],
  [latin1('\xff\xff\xff\xff'), 0, 0x76293b50],
  [latin1('\x21\x43\x65\x87'), 0, 0xf55b516b],
  [latin1('\x21\x43\x65\x87'), 0x5082edee, 0x2362f9de],
  [latin1('\x21\x43\x65'), 0, 0x7e4a8634],
  [latin1('\x21\x43'), 0, 0xa0f7b07a],
  [latin1('\x21'), 0, 0x72661cf4],
  [latin1('\0\0\0'), 0, 0x85f0b427],
  [latin1('\0\0'), 0, 0x30f4c306],
  [latin1('\0'), 0, 0x514e28b7],
];

describe('murmur3Words', () => {
  it('the byte-wise reference reproduces the published vectors (validates the reference)', () => {
    for (const [bytes, seed, want] of PUBLISHED) expect(murmurBytesRef(bytes, seed)).toBe(want);
  });

  it('matches the published vectors for whole-word inputs', () => {
    expect(murmur3Words([0x61616161], 0x9747b28c)).toBe(0x5a97808a); // "aaaa"
    expect(murmur3Words([0x64636261], 0x9747b28c)).toBe(0xf0478627); // "abcd"
    let checked = 0;
    for (const [bytes, seed, want] of PUBLISHED) {
      if (bytes.length % 4 !== 0) continue;
      expect(murmur3Words(toWords(bytes), seed)).toBe(want);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('matches the byte-wise reference on random word arrays and seeds', () => {
    let x = 12345;
    const next = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x ^ (x >>> 13)) >>> 0;
    };
    for (let trial = 0; trial < 300; trial++) {
      const len = trial % 9;
      const w = Array.from({ length: len }, next);
      const seed = next();
      const bytes = new Uint8Array(len * 4);
      w.forEach((v, i) => {
        for (let b = 0; b < 4; b++) bytes[4 * i + b] = (v >>> (8 * b)) & 0xff;
      });
      expect(murmur3Words(w, seed)).toBe(murmurBytesRef(bytes, seed));
    }
  });
});

describe('xoshiro128**', () => {
  it('gives the reference outputs from state (1, 2, 3, 4)', () => {
    const rng = new RunRng();
    rng.setState(1, 2, 3, 4);
    expect(rng.nextUint32()).toBe(11520);
    expect(rng.nextUint32()).toBe(0);
    // Third output by hand: s = (7, 0, 1026, 12288) → (12295, 1029, 1029, 25165824), result
    // rotl(1029·5, 7)·9 = 5145·128·9.
    expect(rng.nextUint32()).toBe(5927040);
  });

  it('matches the reference C code for many outputs from several states', () => {
    const states: [number, number, number, number][] = [
      [1, 2, 3, 4],
      [0xffffffff, 0x80000000, 0x7fffffff, 1],
      [0xdeadbeef, 0x01234567, 0x89abcdef, 0xcafebabe],
    ];
    for (const st of states) {
      const rng = new RunRng();
      rng.setState(...st);
      const ref = xoshiroRef(...st);
      for (let i = 0; i < 2000; i++) expect(rng.nextUint32()).toBe(ref.next().value);
    }
  });

  it('uniform() is nextUint32 / 2^32, in [0, 1)', () => {
    const a = new RunRng(7, 0, 0);
    const b = new RunRng(7, 0, 0);
    let min = 1;
    let max = 0;
    let mismatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = a.uniform();
      if (u !== b.nextUint32() / 2 ** 32) mismatches++;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(mismatches).toBe(0);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // The largest possible output maps below 1.
    expect(0xffffffff * 2 ** -32).toBeLessThan(1);
  });

  it('uniform() is uniform: chi-square over 100 bins of 100,000 draws', () => {
    const rng = new RunRng(2024, 3, 5);
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 100_000; i++) counts[Math.floor(rng.uniform() * 100)]!++;
    const res = chiSquareGof(counts, new Array<number>(100).fill(0.01));
    expect(res.p).toBeGreaterThan(0.001);
  });
});

describe('RunRng streams', () => {
  const N = 20_000;
  // For independent uniforms the sample correlation of N pairs has sd 1/√N; ±4/√N is a 4σ band
  // (false alarm ≈ 6e-5 per check at a fixed seed), while any real dependence between
  // neighbouring streams (e.g. a weak hash) shows up far outside it.
  const band = 4 / Math.sqrt(N);

  const first = (seed: number, cell: number, run: number, stream = STREAM_MODEL): number => {
    const r = new RunRng();
    r.reseed(seed, cell, run, stream);
    return r.nextUint32();
  };

  it('reseed is deterministic and depends on every input, including the high seed word', () => {
    const a = new RunRng();
    const b = new RunRng();
    a.reseed(99, 2, 3);
    for (let i = 0; i < 10; i++) a.nextUint32();
    a.reseed(99, 2, 3);
    b.reseed(99, 2, 3);
    for (let i = 0; i < 50; i++) expect(a.nextUint32()).toBe(b.nextUint32());
    const base = first(99, 2, 3);
    expect(first(99 + 2 ** 32, 2, 3)).not.toBe(base);
    expect(first(99, 3, 3)).not.toBe(base);
    expect(first(99, 2, 4)).not.toBe(base);
    expect(first(99, 2, 3, STREAM_SYSTEM)).not.toBe(base);
    expect(new RunRng(99, 2, 3).nextUint32()).toBe(base);
  });

  it('neighbouring run indices give uncorrelated first draws', () => {
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    for (let r = 0; r < N; r++) {
      x[r] = first(1914, 0, 2 * r) / 2 ** 32;
      y[r] = first(1914, 0, 2 * r + 1) / 2 ** 32;
    }
    expect(Math.abs(pearson(x, y))).toBeLessThan(band);
  });

  it('neighbouring cells and streams give uncorrelated first draws', () => {
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    const z = new Float64Array(N);
    for (let r = 0; r < N; r++) {
      x[r] = first(5, 7, r) / 2 ** 32;
      y[r] = first(5, 8, r) / 2 ** 32;
      z[r] = first(5, 7, r, STREAM_SYSTEM) / 2 ** 32;
    }
    expect(Math.abs(pearson(x, y))).toBeLessThan(band);
    expect(Math.abs(pearson(x, z))).toBeLessThan(band);
  });

  it('seeds differing by one give uncorrelated first draws', () => {
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    for (let s = 0; s < N; s++) {
      x[s] = first(2 * s, 0, 0) / 2 ** 32;
      y[s] = first(2 * s + 1, 0, 0) / 2 ** 32;
    }
    expect(Math.abs(pearson(x, y))).toBeLessThan(band);
  });

  it('every bit of the first draw is balanced over runs, and flips half the time between neighbouring runs', () => {
    // Each bit count is Binomial(N, ½): sd √N/2; a 4.5σ band over 64 checks keeps the family-wise
    // false-alarm rate near 4e-4, while a stuck or biased bit (e.g. 55 %) lies far outside.
    const tol = 4.5 * (Math.sqrt(N) / 2);
    const ones = new Array<number>(32).fill(0);
    const flips = new Array<number>(32).fill(0);
    let prev = first(42, 0, 0);
    for (let r = 1; r <= N; r++) {
      const v = first(42, 0, r);
      const d = (v ^ prev) >>> 0;
      for (let b = 0; b < 32; b++) {
        ones[b]! += (v >>> b) & 1;
        flips[b]! += (d >>> b) & 1;
      }
      prev = v;
    }
    for (let b = 0; b < 32; b++) {
      expect(Math.abs(ones[b]! - N / 2)).toBeLessThan(tol);
      expect(Math.abs(flips[b]! - N / 2)).toBeLessThan(tol);
    }
  });

  it('first draws over runs are uniform (chi-square, 64 bins)', () => {
    const counts = new Array<number>(64).fill(0);
    for (let r = 0; r < N; r++) counts[first(3, 1, r) >>> 26]!++;
    expect(chiSquareGof(counts, new Array<number>(64).fill(1 / 64)).p).toBeGreaterThan(0.001);
  });
});
