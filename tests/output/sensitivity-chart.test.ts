/**
 * The sensitivity chart's specification: which bars it draws from sensitivity.csv rows (in
 * memory or read back as text) and how it lays them out. Rendering is the report's business.
 */
import { describe, expect, it } from 'vitest';
import { sensitivityBars, sensitivityChart } from '../../src/output/charts/sensitivity.js';

const sobolRows = [
  {
    scenario: 'A',
    output: 'p_world_war',
    parameter: 'settlement',
    S1: 0.5,
    S1_lo: 0.4,
    S1_hi: 0.6,
    ST: 0.7,
    ST_lo: 0.6,
    ST_hi: 0.8,
  },
  {
    scenario: 'A',
    output: 'p_world_war',
    parameter: 'decisiveness',
    S1: -0.01,
    S1_lo: -0.05,
    S1_hi: 0.03,
    ST: 0.02,
    ST_lo: 0.01,
    ST_hi: 0.03,
  },
  // A constant output has no indices: nothing to draw.
  { scenario: 'A', output: 'p_deterred', parameter: 'settlement', S1: undefined, ST: undefined },
];

describe('the sensitivity chart', () => {
  it('draws S1 and ST of each parameter with their intervals, in the rows’ order', () => {
    expect(sensitivityBars(sobolRows)).toEqual([
      {
        scenario: 'A',
        output: 'p_world_war',
        parameter: 'settlement',
        index: 'S1 (first order)',
        value: 0.5,
        lo: 0.4,
        hi: 0.6,
      },
      {
        scenario: 'A',
        output: 'p_world_war',
        parameter: 'settlement',
        index: 'ST (total)',
        value: 0.7,
        lo: 0.6,
        hi: 0.8,
      },
      {
        scenario: 'A',
        output: 'p_world_war',
        parameter: 'decisiveness',
        index: 'S1 (first order)',
        value: -0.01,
        lo: -0.05,
        hi: 0.03,
      },
      {
        scenario: 'A',
        output: 'p_world_war',
        parameter: 'decisiveness',
        index: 'ST (total)',
        value: 0.02,
        lo: 0.01,
        hi: 0.03,
      },
    ]);
  });

  it('reads rows read back from the CSV file (text cells, empty for none)', () => {
    const text = [
      {
        scenario: 'A',
        output: 'p_war',
        parameter: 'x',
        S1: '0.25',
        S1_lo: '',
        S1_hi: '0.5',
        ST: '',
        ST_lo: '',
        ST_hi: '',
      },
    ];
    expect(sensitivityBars(text)).toEqual([
      {
        scenario: 'A',
        output: 'p_war',
        parameter: 'x',
        index: 'S1 (first order)',
        value: 0.25,
        lo: null,
        hi: 0.5,
      },
    ]);
  });

  it('draws mu_star for a Morris design', () => {
    const rows = [
      {
        scenario: 'A',
        output: 'p_war',
        parameter: 'x',
        mu: -2,
        mu_star: 3,
        sigma: 1,
        mu_star_lo: 2,
        mu_star_hi: 4,
      },
    ];
    expect(sensitivityBars(rows)).toEqual([
      { scenario: 'A', output: 'p_war', parameter: 'x', index: 'μ*', value: 3, lo: 2, hi: 4 },
    ]);
  });

  it('is one panel per output, and one column per scenario when there are several', () => {
    /** The value at a path inside the specification. */
    const at = (spec: unknown, ...path: (string | number)[]) =>
      path.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], spec);
    const spec = sensitivityChart(sobolRows, { title: 'July 1914' });
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.title).toBe('July 1914');
    expect(at(spec, 'data', 'values')).toHaveLength(4);
    expect(at(spec, 'facet', 'row', 'field')).toBe('output');
    expect(at(spec, 'facet', 'column')).toBeUndefined();
    expect(at(spec, 'spec', 'layer', 0, 'mark', 'type')).toBe('bar');
    expect(at(spec, 'spec', 'layer', 0, 'encoding', 'x', 'field')).toBe('value');
    expect(at(spec, 'spec', 'layer', 1, 'encoding', 'x', 'field')).toBe('lo');
    expect(at(spec, 'spec', 'layer', 1, 'encoding', 'x2', 'field')).toBe('hi');
    const two = sensitivityChart([...sobolRows, { ...sobolRows[0]!, scenario: 'B' }]);
    expect(at(two, 'facet', 'column', 'field')).toBe('scenario');
  });
});
