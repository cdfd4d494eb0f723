import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { expandGrid, expandRange, latinHypercube } from '../../src/experiment/grid.js';

describe('expandRange', () => {
  it('gives exact decimals, without floating-point drift', () => {
    // toEqual on numbers is Object.is: 0.30000000000000004 would fail.
    expect(expandRange({ from: 0, to: 1, step: 0.1 })).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
    expect(expandRange({ from: 0.5, to: 0.9, step: 0.1 })).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(expandRange({ from: 0.05, to: 0.2, step: 0.05 })).toEqual([0.05, 0.1, 0.15, 0.2]);
    expect(expandRange({ from: -0.3, to: 0.3, step: 0.15 })).toEqual([-0.3, -0.15, 0, 0.15, 0.3]);
    expect(expandRange({ from: 1e-7, to: 5e-7, step: 1e-7 })).toEqual([1e-7, 2e-7, 3e-7, 4e-7, 5e-7]);
    expect(expandRange({ from: 10, to: 50, step: 20 })).toEqual([10, 30, 50]);
  });

  it('includes to only when a whole number of steps reaches it', () => {
    expect(expandRange({ from: 0, to: 1, step: 0.3 })).toEqual([0, 0.3, 0.6, 0.9]);
    expect(expandRange({ from: 1, to: 10, step: 4 })).toEqual([1, 5, 9]);
    expect(expandRange({ from: 0.1, to: 0.35, step: 0.1 })).toEqual([0.1, 0.2, 0.3]);
    expect(expandRange({ from: 0.2, to: 0.2, step: 0.1 })).toEqual([0.2]);
    expect(expandRange({ from: 0, to: 0.05, step: 0.1 })).toEqual([0]);
  });

  it('rejects bad ranges with an InputError naming the file and path', () => {
    const bad: [unknown, RegExp][] = [
      [{ from: 0, to: 1, step: 0 }, /^exp\.yaml: sweep\.settlement\.step: expected a step > 0/],
      [{ from: 0, to: 1, step: -0.1 }, /^exp\.yaml: sweep\.settlement\.step: expected a step > 0/],
      [
        { from: 1, to: 0, step: 0.1 },
        /^exp\.yaml: sweep\.settlement: empty range: to \(0\) is below from \(1\)/,
      ],
      [{ from: 'a', to: 1, step: 0.1 }, /^exp\.yaml: sweep\.settlement\.from: expected a number, got "a"/],
      [{ from: 0, to: Number.NaN, step: 0.1 }, /^exp\.yaml: sweep\.settlement\.to: expected a number/],
      [{ from: 0, to: 1 }, /^exp\.yaml: sweep\.settlement\.step: expected a step/],
      [{ from: 0, to: 1, step: 1e-9 }, /more than 100000/],
    ];
    for (const [range, message] of bad) {
      const run = () => expandRange(range as never, 'exp.yaml', ['sweep', 'settlement']);
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
    }
  });
});

describe('expandGrid', () => {
  it('gives every combination, first key outermost', () => {
    expect(
      expandGrid({ offenseDominance: [0.2, 0.8], 'reliability.defense': { from: 0.5, to: 0.7, step: 0.1 } }),
    ).toEqual([
      { offenseDominance: 0.2, 'reliability.defense': 0.5 },
      { offenseDominance: 0.2, 'reliability.defense': 0.6 },
      { offenseDominance: 0.2, 'reliability.defense': 0.7 },
      { offenseDominance: 0.8, 'reliability.defense': 0.5 },
      { offenseDominance: 0.8, 'reliability.defense': 0.6 },
      { offenseDominance: 0.8, 'reliability.defense': 0.7 },
    ]);
    expect(expandGrid({ a: [1, 2], b: [3], c: [4, 5] })).toEqual([
      { a: 1, b: 3, c: 4 },
      { a: 1, b: 3, c: 5 },
      { a: 2, b: 3, c: 4 },
      { a: 2, b: 3, c: 5 },
    ]);
    expect(expandGrid({ c: [4, 5], a: [1, 2] }).map((p) => Object.keys(p))).toEqual([
      ['c', 'a'],
      ['c', 'a'],
      ['c', 'a'],
      ['c', 'a'],
    ]);
    expect(expandGrid({ c: [4, 5], a: [1, 2] })).toEqual([
      { c: 4, a: 1 },
      { c: 4, a: 2 },
      { c: 5, a: 1 },
      { c: 5, a: 2 },
    ]);
  });

  it('is one empty point for an empty sweep, and the list itself for one key', () => {
    expect(expandGrid({})).toEqual([{}]);
    expect(expandGrid({ settlement: [0.3, 0.1, 0.2] })).toEqual([
      { settlement: 0.3 },
      { settlement: 0.1 },
      { settlement: 0.2 },
    ]);
  });

  it('rejects empty lists, non-numbers and bad ranges with their path', () => {
    expect(() => expandGrid({ settlement: [] }, 'e.yaml')).toThrow(
      /^e\.yaml: sweep\.settlement: expected at least one value/,
    );
    expect(() => expandGrid({ settlement: [0.1, 'x' as never] }, 'e.yaml')).toThrow(
      /^e\.yaml: sweep\.settlement\[1\]: expected a number/,
    );
    expect(() => expandGrid({ settlement: { from: 0, to: 1, step: 0 } }, 'e.yaml')).toThrow(
      /^e\.yaml: sweep\.settlement\.step:/,
    );
  });
});

describe('latinHypercube', () => {
  const ranges = {
    offenseDominance: { from: 0, to: 1 },
    'reliability.defense': { from: 0.5, to: 0.9 },
    maxSteps: { from: 10, to: 50 },
  };

  it('hits each of the n strata of every parameter exactly once', () => {
    for (const n of [1, 2, 7, 50]) {
      const points = latinHypercube(ranges, n, 1914);
      expect(points).toHaveLength(n);
      for (const [key, { from, to }] of Object.entries(ranges)) {
        const strata = points.map((p) => {
          const x = p[key]!;
          expect(x).toBeGreaterThanOrEqual(from);
          expect(x).toBeLessThanOrEqual(to);
          return Math.min(n - 1, Math.floor(((x - from) / (to - from)) * n));
        });
        expect([...strata].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });

  it('is reproducible from its seed and different for another seed', () => {
    expect(latinHypercube(ranges, 20, 7)).toEqual(latinHypercube(ranges, 20, 7));
    const a = latinHypercube(ranges, 20, 7);
    const b = latinHypercube(ranges, 20, 8);
    expect(a).not.toEqual(b);
    // Not just the pairing: the points inside the strata move too.
    expect(a.map((p) => p.offenseDominance).sort()).not.toEqual(b.map((p) => p.offenseDominance).sort());
  });

  it('pairs strata across parameters at random (not along the diagonal)', () => {
    const points = latinHypercube({ x: { from: 0, to: 1 }, y: { from: 0, to: 1 } }, 200, 3);
    const sx = points.map((p) => Math.floor(p.x! * 200));
    const sy = points.map((p) => Math.floor(p.y! * 200));
    expect(sx.filter((s, i) => s === sy[i]).length).toBeLessThan(10);
  });

  it('rejects a bad number of points and empty ranges', () => {
    expect(() => latinHypercube(ranges, 0, 1, 'e.yaml')).toThrow(InputError);
    expect(() => latinHypercube({ x: { from: 1, to: 0 } }, 5, 1, 'e.yaml')).toThrow(
      /^e\.yaml: sweep\.x: empty range/,
    );
  });
});
