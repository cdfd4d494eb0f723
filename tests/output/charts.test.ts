/**
 * The chart kinds as pure functions of a results folder: folders written here by hand (CSV text
 * with numbers chosen so that every expected value can be worked out on paper) are read back,
 * turned into Vega-Lite specs, and each spec is drawn headless without a warning.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibration } from '../../src/output/charts/calibration.js';
import { compareDifferences } from '../../src/output/charts/compare-differences.js';
import { CHART_KINDS, type Chart } from '../../src/output/charts/index.js';
import { stateEntry } from '../../src/output/charts/state-entry.js';
import { sweepOutcomes } from '../../src/output/charts/sweep-outcomes.js';
import { warSizes } from '../../src/output/charts/war-sizes.js';
import { readResults } from '../../src/output/read-results.js';
import { renderSvg } from '../../src/output/report-render.js';

const root = mkdtempSync(join(tmpdir(), 'entangle-charts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A results folder holding the given files (name → text). */
function folder(files: Record<string, string>): string {
  const dir = join(root, `f${folders++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The inline data of a spec (top level or first layer that has it). */
function values(chart: Chart): Record<string, unknown>[] {
  const spec = chart.spec as { data?: { values: Record<string, unknown>[] } };
  return spec.data?.values ?? [];
}

/** summary.csv of a sweep of offenseDominance over two scenarios (only the columns charts read). */
const SWEEP_SUMMARY = [
  'cell,scenario,offenseDominance,runs,seed,p_contained,p_contained_lo,p_contained_hi,p_great_power_war,p_great_power_war_lo,p_great_power_war_hi,p_world_war,p_world_war_lo,p_world_war_hi,p_deterred,p_deterred_lo,p_deterred_hi,participants_mean,participants_sd',
  '0,tight,0,400,1,0.1,0.07,0.13,0.8,0.76,0.84,0.5,0.45,0.55,0,0,0.0095,9,2',
  '1,tight,0.5,400,1,0.2,0.16,0.24,0.7,0.65,0.74,0.4,0.35,0.45,0,0,0.0095,8,2',
  '2,tight,1,400,1,0.3,0.26,0.35,0.6,0.55,0.65,0.3,0.26,0.35,0,0,0.0095,7,2',
  '3,loose,0,400,1,0.6,0.55,0.65,0.1,0.07,0.13,0,0,0.0095,0,0,0.0095,3,1',
  '4,loose,0.5,400,1,0.65,0.6,0.7,0.1,0.07,0.13,0,0,0.0095,0,0,0.0095,3,1',
  '5,loose,1,400,1,0.7,0.65,0.74,0.1,0.07,0.13,0,0,0.0095,0,0,0.0095,3,1',
].join('\n');

const paramsCsv = (deterrence: number) =>
  [
    'cell,scenario,deterrence,offenseDominance',
    ...[0, 1, 2, 3, 4, 5].map((c) => `${c},x,${deterrence},0.5`),
  ].join('\n');

describe('outcomes across a sweep', () => {
  const results = readResults(folder({ 'summary.csv': SWEEP_SUMMARY, 'params.csv': paramsCsv(0) }));
  const charts = sweepOutcomes.charts(results);

  it('draws each main outcome against the swept parameter, leaving out P(deterred) when nothing can deter', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'sweep-p-contained-by-offensedominance',
      'sweep-p-great-power-war-by-offensedominance',
      'sweep-p-world-war-by-offensedominance',
      'sweep-participants-mean-by-offensedominance',
    ]);
    const deterring = readResults(folder({ 'summary.csv': SWEEP_SUMMARY, 'params.csv': paramsCsv(0.5) }));
    expect(sweepOutcomes.charts(deterring).map((c) => c.name)).toContain(
      'sweep-p-deterred-by-offensedominance',
    );
  });

  it('carries the Wilson interval of summary.csv as the band, one line per scenario', () => {
    const contained = charts[0]!;
    expect(values(contained).map((v) => [v.scenario, v.x, v.y, v.lo, v.hi])).toEqual([
      ['tight', 0, 0.1, 0.07, 0.13],
      ['tight', 0.5, 0.2, 0.16, 0.24],
      ['tight', 1, 0.3, 0.26, 0.35],
      ['loose', 0, 0.6, 0.55, 0.65],
      ['loose', 0.5, 0.65, 0.6, 0.7],
      ['loose', 1, 0.7, 0.65, 0.74],
    ]);
    const spec = JSON.stringify(contained.spec);
    expect(spec).toContain('"mark":{"type":"area"');
    expect(spec).toContain('"field":"scenario"');
    expect(spec).not.toContain('loess');
  });

  it('gives a mean the normal interval mean ± 1.96·sd/√runs', () => {
    // tight, δ = 0: mean 9, sd 2, 400 runs → half-width 1.959964 · 2 / 20 = 0.1959964.
    const mean = values(charts[3]!)[0]!;
    expect(mean.y).toBe(9);
    expect(mean.lo as number).toBeCloseTo(8.8040036, 6);
    expect(mean.hi as number).toBeCloseTo(9.1959964, 6);
  });

  it('draws a Latin hypercube as points with intervals and a loess trend', () => {
    const lhs = [
      'cell,scenario,offenseDominance,borderHazard,runs,p_contained,p_contained_lo,p_contained_hi',
      '0,s,0.1,0.03,100,0.5,0.4,0.6',
      '1,s,0.5,0.01,100,0.4,0.3,0.5',
      '2,s,0.9,0.02,100,0.3,0.2,0.4',
    ].join('\n');
    const drawn = sweepOutcomes.charts(readResults(folder({ 'summary.csv': lhs })));
    expect(drawn.map((c) => c.name)).toEqual([
      'sweep-p-contained-by-offensedominance',
      'sweep-p-contained-by-borderhazard',
    ]);
    expect(JSON.stringify(drawn[0]!.spec)).toContain('"loess":"y"');
  });

  it('gives a grid of two parameters one panel per value of the other', () => {
    const grid = [
      'cell,scenario,offenseDominance,borderHazard,runs,p_contained,p_contained_lo,p_contained_hi',
      '0,s,0,0.01,100,0.5,0.4,0.6',
      '1,s,0,0.02,100,0.4,0.3,0.5',
      '2,s,1,0.01,100,0.3,0.2,0.4',
      '3,s,1,0.02,100,0.2,0.1,0.3',
    ].join('\n');
    const drawn = sweepOutcomes.charts(readResults(folder({ 'summary.csv': grid })));
    const byOd = drawn[0]!;
    expect(JSON.stringify(byOd.spec)).toContain('"facet":{"field":"panel"');
    expect(new Set(values(byOd).map((v) => v.panel))).toEqual(
      new Set(['borderHazard = 0.01', 'borderHazard = 0.02']),
    );
  });

  it('draws nothing for a folder without a sweep', () => {
    const plain = ['cell,scenario,runs,p_contained,p_contained_lo,p_contained_hi', '0,s,10,0.5,0.2,0.8'].join(
      '\n',
    );
    expect(sweepOutcomes.charts(readResults(folder({ 'summary.csv': plain })))).toEqual([]);
  });
});

describe('war sizes', () => {
  const sizes = (cells: number) =>
    [
      'cell,participants,runs,share',
      ...Array.from({ length: cells }, (_, c) => [`${c},2,3,0.75`, `${c},5,1,0.25`]).flat(),
    ].join('\n');

  it('one cell: bars of each size spanning size ± 0.45, with the share of runs', () => {
    const [chart] = warSizes.charts(readResults(folder({ 'sizes.csv': sizes(1) })));
    expect(values(chart!).map((v) => [v.size, v.from, v.to, v.share])).toEqual([
      [2, 1.55, 2.45, 0.75],
      [5, 4.55, 5.45, 0.25],
    ]);
    expect(JSON.stringify(chart!.spec)).not.toContain('facet');
  });

  it('a few cells: one panel each; many: one heat table of cells × size', () => {
    const few = warSizes.charts(readResults(folder({ 'sizes.csv': sizes(3) })))[0]!;
    expect(JSON.stringify(few.spec)).toContain('"facet"');
    const many = warSizes.charts(readResults(folder({ 'sizes.csv': sizes(20) })))[0]!;
    expect(JSON.stringify(many.spec)).not.toContain('"facet"');
    expect(JSON.stringify(many.spec)).toContain('"mark":{"type":"rect"}');
  });
});

describe("states' chance of entering", () => {
  const joiners = (cells: number) =>
    [
      'cell,scenario,state,state_name,p_enters,p_initiator_side,p_target_side,mean_entry_step',
      ...Array.from({ length: cells }, (_, c) => [
        `${c},s,AVL,Avalon,0.3,0.1,0.2,2`,
        `${c},s,BRG,Brigant,1,1,0,0`,
        `${c},s,S07,S07,0.6,0.6,0,3`,
      ]).flat(),
    ].join('\n');

  it('one cell: bars per state and side, named "name (id)", sorted by the chance of entering', () => {
    const [chart] = stateEntry.charts(readResults(folder({ 'joiners.csv': joiners(1) })));
    const v = values(chart!);
    expect(v.map((r) => [r.state, r.side, r.share])).toEqual([
      ['Avalon (AVL)', "on the initiator's side", 0.1],
      ['Avalon (AVL)', "on the target's side", 0.2],
      ['Brigant (BRG)', "on the initiator's side", 1],
      ['Brigant (BRG)', "on the target's side", 0],
      ['S07', "on the initiator's side", 0.6],
      ['S07', "on the target's side", 0],
    ]);
    expect(JSON.stringify(chart!.spec)).toContain('"sort":{"field":"total","op":"max","order":"descending"}');
  });

  it('several cells: a heat table of states × cells', () => {
    const [chart] = stateEntry.charts(readResults(folder({ 'joiners.csv': joiners(3) })));
    expect(values(chart!)).toHaveLength(9);
    expect(JSON.stringify(chart!.spec)).toContain('"mark":{"type":"rect"}');
  });
});

describe('differences of a comparison', () => {
  const compare = [
    'cell,scenario_a,scenario_b,outcome,statistic,a,b,difference,difference_lo,difference_hi,excludes_zero,runs_a,runs_b',
    '0,tight,loose,contained,share,0.1,0.6,0.5,0.45,0.55,1,1000,1000',
    '0,tight,loose,war,share,1,1,0,0,0,0,1000,1000',
    '0,tight,loose,deterred,share,0,0,0,0,0,0,1000,1000',
    '0,tight,loose,participants,mean,9,3,-6,-6.3,-5.7,1,1000,1000',
    '0,tight,loose,entrapments,mean,0,0,0,,,0,1000,1000',
  ].join('\n');
  const charts = compareDifferences.charts(readResults(folder({ 'compare.csv': compare })));

  it('draws shares and means apart, leaving out what is certain on both sides', () => {
    expect(charts.map((c) => c.name)).toEqual(['compare-shares', 'compare-means']);
    expect(values(charts[0]!).map((v) => [v.outcome, v.difference, v.lo, v.hi, v.differs])).toEqual([
      ['war stays contained', 0.5, 0.45, 0.55, 'interval excludes 0'],
    ]);
    expect(values(charts[1]!).map((v) => [v.outcome, v.difference, v.lo, v.hi])).toEqual([
      ['states at war', -6, -6.3, -5.7],
    ]);
  });
});

describe('calibration', () => {
  it('plots observed against predicted share per bin, with a Wilson interval from n', () => {
    const csv = [
      'bin_lo,bin_hi,predicted_mean,observed_share,n',
      '0,0.2,0.05,0.1,10',
      '0.8,1,0.9,0.8,5',
      '0.4,0.6,0.5,0,0',
    ].join('\n');
    const [chart] = calibration.charts(readResults(folder({ 'calibration.csv': csv })));
    const points = (chart!.spec as { layer: { data: { values: Record<string, number>[] } }[] }).layer[1]!.data
      .values;
    // The empty bin is left out. 1 of 10: Wilson 95 % interval [0.01787, 0.40415].
    expect(points.map((p) => [p.predicted, p.observed, p.n])).toEqual([
      [0.05, 0.1, 10],
      [0.9, 0.8, 5],
    ]);
    expect(points[0]!.lo).toBeCloseTo(0.01787, 4);
    expect(points[0]!.hi).toBeCloseTo(0.40415, 4);
  });

  it('draws nothing when a column it needs is missing', () => {
    const csv = ['bin_lo,bin_hi,predicted,observed_share,n', '0,0.2,0.05,0.1,10'].join('\n');
    expect(calibration.charts(readResults(folder({ 'calibration.csv': csv })))).toEqual([]);
  });
});

describe('every kind, drawn', () => {
  it('renders to SVG with marks and without a warning from vega-lite or vega', async () => {
    const dir = folder({
      'summary.csv': SWEEP_SUMMARY,
      'params.csv': paramsCsv(0.5),
      'sizes.csv': 'cell,participants,runs,share\n0,2,3,0.75\n0,5,1,0.25\n1,2,4,1',
      'joiners.csv':
        'cell,scenario,state,state_name,p_enters,p_initiator_side,p_target_side,mean_entry_step\n0,s,A,Aa,1,1,0,0\n1,s,A,Aa,0.5,0.5,0,1',
      'calibration.csv':
        'bin_lo,bin_hi,predicted_mean,observed_share,n,war\n0,0.5,0.2,0.25,8,w1\n0.5,1,0.7,0.5,4,w2',
    });
    const results = readResults(dir);
    const charts = CHART_KINDS.flatMap((k) => k.charts(results));
    expect(charts.length).toBeGreaterThanOrEqual(8);
    for (const chart of charts) {
      const { svg, warnings } = await renderSvg(chart.spec);
      expect(warnings, chart.name).toEqual([]);
      expect(svg, chart.name).toMatch(/^<svg /);
      expect(svg, chart.name).toMatch(/class="mark-(rect|line|area|symbol|rule|text)/);
      expect(chart.name).toMatch(/^[a-z0-9-]+$/);
    }
    expect(new Set(charts.map((c) => c.name)).size).toBe(charts.length);
  });
});
