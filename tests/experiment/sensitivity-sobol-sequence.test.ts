/**
 * The Sobol sequence against published values: the direction numbers and points of SciPy's
 * scipy.stats.qmc.Sobol(d, scramble=False, bits=32) (SciPy 1.17, built on the same Joe–Kuo
 * file new-joe-kuo-6.21201), copied here as printed by SciPy; and the net property that makes
 * the sequence worth using, for the scrambled sequence too.
 */
import { describe, expect, it } from 'vitest';
import {
  directionNumbers,
  SOBOL_MAX_DIMENSIONS,
  SobolSequence,
  sobolPoints,
} from '../../src/experiment/sobol-sequence.js';

describe('Sobol direction numbers', () => {
  it('match SciPy’s for whole dimensions, up to the last one shipped', () => {
    // Sobol(256, scramble=False, bits=32)._sv[d - 1]: all 32 numbers, so the recurrence past
    // the s initial ones is checked too.
    const scipy: Record<number, number[]> = {
      2: [
        2147483648, 3221225472, 2684354560, 4026531840, 2281701376, 3422552064, 2852126720, 4278190080,
        2155872256, 3233808384, 2694840320, 4042260480, 2290614272, 3435921408, 2863267840, 4294901760,
        2147516416, 3221274624, 2684395520, 4026593280, 2281736192, 3422604288, 2852170240, 4278255360,
        2155905152, 3233857728, 2694881440, 4042322160, 2290649224, 3435973836, 2863311530, 4294967295,
      ],
      7: [
        2147483648, 3221225472, 2684354560, 3489660928, 1476395008, 2483027968, 1040187392, 3808428032,
        3196059648, 599785472, 505413632, 4077912064, 1182269440, 1736704000, 2017853440, 2221342720,
        3329785856, 2810494976, 3628507136, 1416089600, 2658719744, 864310272, 3863387648, 3076993792,
        553150080, 272922560, 4167467040, 1148698640, 1719673080, 2009075780, 2149644390, 3222291575,
      ],
      100: [
        2147483648, 1073741824, 2684354560, 1342177280, 1476395008, 335544320, 1509949440, 1962934272,
        1820327936, 2277507072, 3697278976, 4134535168, 3413639168, 1266941952, 3529900032, 2030501888,
        2194112512, 4175740928, 2646188032, 152555520, 3403679744, 347079680, 2207792640, 2117341440,
        3346923648, 2784172096, 2908327328, 950533296, 2113408056, 4181986412, 3263573446, 1488403325,
      ],
      256: [
        2147483648, 1073741824, 536870912, 1342177280, 2550136832, 201326592, 1778384896, 2231369728,
        813694976, 3619684352, 2061500416, 2632974336, 871890944, 2793144320, 288751616, 604307456,
        3457449984, 185712640, 461725696, 2622058496, 2124449792, 3999159296, 3082324480, 2496812288,
        3044444800, 1185633344, 4065593568, 1707054192, 1304815944, 2011637348, 408945034, 3526361403,
      ],
    };
    expect(SOBOL_MAX_DIMENSIONS).toBe(256);
    for (const [dim, expected] of Object.entries(scipy))
      expect([...directionNumbers(Number(dim))], `dimension ${dim}`).toEqual(expected);
    // The first dimension is van der Corput's: 2^31, 2^30, …, 1.
    expect([...directionNumbers(1)]).toEqual(Array.from({ length: 32 }, (_, k) => 2 ** (31 - k)));
    expect(() => directionNumbers(257)).toThrow(RangeError);
  });
});

describe('Sobol points', () => {
  it('begin as the published sequence does', () => {
    // Sobol(6, scramble=False).random(8)
    expect(sobolPoints(8, 6).map((p) => [...p])).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25, 0.75, 0.75],
      [0.25, 0.75, 0.75, 0.75, 0.25, 0.25],
      [0.375, 0.375, 0.625, 0.875, 0.375, 0.125],
      [0.875, 0.875, 0.125, 0.375, 0.875, 0.625],
      [0.625, 0.125, 0.875, 0.625, 0.625, 0.875],
      [0.125, 0.625, 0.375, 0.125, 0.125, 0.375],
    ]);
  });

  it('agree with SciPy deep into the sequence and in high dimensions', () => {
    // Sobol(256, scramble=False, bits=32).random(16384)[i, d]
    const points = sobolPoints(16384, 256);
    const expected: [number, number, number][] = [
      [777, 31, 0.8994140625],
      [1000, 199, 0.8427734375],
      [1000, 255, 0.2490234375],
      [12345, 63, 0.46563720703125],
      [12345, 127, 0.64251708984375],
      [16383, 255, 0.65032958984375],
    ];
    for (const [i, d, x] of expected) expect(points[i]![d], `point ${i}, coordinate ${d}`).toBe(x);
  });

  it('stratify every coordinate: the first 2^m points fall one in each interval of width 2^-m', () => {
    // The (0, m, 1)-net property of each one-dimensional projection, scrambled or not.
    for (const scramble of [undefined, { seed: 5 }]) {
      const points = sobolPoints(256, 20, scramble);
      for (let d = 0; d < 20; d++) {
        const seen = new Set(points.map((p) => Math.floor(p[d]! * 256)));
        expect(seen.size, `dimension ${d + 1}, scramble ${JSON.stringify(scramble)}`).toBe(256);
      }
    }
  });

  it('scramble reproducibly from the seed, and differently for another seed', () => {
    const a = sobolPoints(64, 8, { seed: 11 });
    expect(sobolPoints(64, 8, { seed: 11 })).toEqual(a);
    expect(sobolPoints(64, 8, { seed: 12 })).not.toEqual(a);
    // A scrambled sequence does not start at the origin.
    expect([...a[0]!].some((x) => x !== 0)).toBe(true);
    for (const p of a) for (const x of p) expect(x >= 0 && x < 1).toBe(true);
  });

  it('refuse more dimensions than the direction numbers cover', () => {
    expect(() => new SobolSequence(257)).toThrow(RangeError);
    expect(() => new SobolSequence(0)).toThrow(RangeError);
  });
});
