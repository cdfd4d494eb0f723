/**
 * What-if treaties (issue 9, item 2): variants applied to small hand-built scenarios, the names
 * that find an alliance (and the near matches an error lists), and the alliance[…] / state[…]
 * sweep keys through the experiment reader and the plan.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildPlan } from '../../src/experiment/plan.js';
import type { Scenario } from '../../src/model/types.js';
import { experimentFromData, loadInput } from '../../src/scenario/experiment.js';
import { parseScenario } from '../../src/scenario/load.js';
import { applyVariant, describeVariant, type Variant } from '../../src/scenario/variants.js';
import { findAlliance, parseRefText } from '../../src/scenario/variants-match.js';

const BASE = `
name: Base
states:
  - { id: AAA, capability: 0.30, greatPower: true }
  - { id: BBB, capability: 0.25, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.10 }
  - { id: EEE, capability: 0.20, greatPower: true }
borders: [[AAA, CCC], [BBB, DDD], [CCC, DDD]]
alliances:
  - { name: Northern Pact, type: defense, members: [AAA, CCC], nonprovocation: true, cow: 7, atop: 1007 }
  - { name: "COW 9: BBB–DDD", type: offense, members: [BBB, DDD], reliability: 0.9, cow: 9 }
  - { name: Corwen guarantee, type: defense, members: [BBB, CCC], guarantors: [BBB], cow: 9 }
  - { name: Eastern entente, type: entente, members: [EEE, AAA] }
crisis: { initiator: DDD, target: CCC }
`;

const base = (): Scenario => parseScenario(BASE, 'base.yaml');

/** Applies a variant given as plain data (as read from a file) at scenarios[0].variants[0]. */
const apply = (variant: Omit<Variant, 'name'> & { name?: string }, scenario = base()) =>
  applyVariant(scenario, { name: 'v', ...variant } as Variant, 'exp.yaml', ['scenarios', 0, 'variants', 0]);

/** The InputError message a call throws (fails the test if it throws none or another error). */
function errorOf(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('applyVariant', () => {
  it('adds an alliance after the others and names the scenario "<scenario> / <variant>"', () => {
    const s = apply({
      name: 'bound',
      add: [{ name: 'New pact', type: 'defense', members: ['EEE', 'CCC'], reliability: 0.6 }],
    });
    expect(s.name).toBe('Base / bound');
    expect(s.alliances.map((a) => a.name)).toEqual([
      'Northern Pact',
      'COW 9: BBB–DDD',
      'Corwen guarantee',
      'Eastern entente',
      'New pact',
    ]);
    expect(s.alliances[4]).toEqual({
      name: 'New pact',
      type: 'defense',
      members: ['EEE', 'CCC'],
      reliability: 0.6,
    });
  });

  it('removes alliances by name, by COW and ATOP number and by a loosely typed name', () => {
    expect(apply({ remove: ['Eastern entente'] }).alliances.map((a) => a.name)).toEqual([
      'Northern Pact',
      'COW 9: BBB–DDD',
      'Corwen guarantee',
    ]);
    expect(apply({ remove: [{ cow: 7 }] }).alliances[0]!.name).toBe('COW 9: BBB–DDD');
    expect(apply({ remove: [{ atop: 1007 }] }).alliances[0]!.name).toBe('COW 9: BBB–DDD');
    // A hyphen for the en dash, another case: still one alliance, so it is the one meant.
    expect(apply({ remove: ['cow 9: bbb-ddd'] }).alliances.map((a) => a.name)).toEqual([
      'Northern Pact',
      'Corwen guarantee',
      'Eastern entente',
    ]);
  });

  it('changes terms, and null drops one (reliability back to its default, guarantors gone)', () => {
    const s = apply({
      change: {
        'Eastern entente': { type: 'defense', reliability: 0.95, conditional: true, adversaries: ['DDD'] },
        'Corwen guarantee': { guarantors: null, nonprovocation: true },
        'COW 9: BBB–DDD': { reliability: null, members: ['BBB', 'DDD', 'EEE'] },
      },
    });
    expect(s.alliances[3]).toEqual({
      name: 'Eastern entente',
      type: 'defense',
      members: ['EEE', 'AAA'],
      reliability: 0.95,
      conditional: true,
      adversaries: ['DDD'],
    });
    expect(s.alliances[2]).toEqual({
      name: 'Corwen guarantee',
      type: 'defense',
      members: ['BBB', 'CCC'],
      nonprovocation: true,
      cow: 9,
    });
    expect(s.alliances[1]).toEqual({
      name: 'COW 9: BBB–DDD',
      type: 'offense',
      members: ['BBB', 'DDD', 'EEE'],
      cow: 9,
    });
    // cow=N names a treaty where only text fits (a mapping key).
    expect(apply({ change: { 'cow=7': { reliability: 0.4 } } }).alliances[0]!.reliability).toBe(0.4);
  });

  it('removes and adds borders in either order of the pair, and changes states', () => {
    const s = apply({
      removeBorders: [['DDD', 'CCC']],
      addBorders: [['EEE', 'DDD']],
      states: { EEE: { capability: 0.5, greatPower: false }, CCC: { greatPower: true } },
    });
    expect(s.borders).toEqual([
      ['AAA', 'CCC'],
      ['BBB', 'DDD'],
      ['EEE', 'DDD'],
    ]);
    expect(s.states.find((x) => x.id === 'EEE')).toEqual({
      id: 'EEE',
      name: 'EEE',
      capability: 0.5,
      greatPower: false,
    });
    expect(s.states.find((x) => x.id === 'CCC')).toEqual({
      id: 'CCC',
      name: 'CCC',
      capability: 0.05,
      greatPower: true,
    });
  });

  it('leaves the original scenario as it was', () => {
    const original = base();
    const copy = structuredClone(original);
    apply(
      {
        remove: ['Northern Pact'],
        change: { 'Eastern entente': { reliability: 1 } },
        removeBorders: [['AAA', 'CCC']],
        states: { AAA: { capability: 1 } },
      },
      original,
    );
    expect(original).toEqual(copy);
  });

  it('describes each edit by the alliance names the scenario uses', () => {
    const variant = {
      name: 'v',
      remove: [{ cow: 7 }],
      change: { 'Eastern entente': { type: 'defense', reliability: 0.9 } },
      add: [{ name: 'New pact', type: 'defense', members: ['EEE', 'CCC'] }],
      addBorders: [['EEE', 'DDD']],
      states: { EEE: { capability: 0.5 } },
    } as Variant;
    expect(describeVariant(base(), variant)).toEqual([
      'removes "Northern Pact"',
      'changes "Eastern entente" (type defense, reliability 0.9)',
      'adds "New pact" (defense: EEE–CCC)',
      'adds borders EEE–DDD',
      'changes EEE (capability 0.5)',
    ]);
  });
});

describe('errors name the file, the place, and the near matches', () => {
  it('an unknown name lists the nearest names, the likeliest first', () => {
    const m = errorOf(() => apply({ remove: ['Northern Pakt'] }));
    expect(m).toMatch(
      /^exp\.yaml: scenarios\[0\]\.variants\[0\]\.remove\[0\]: no alliance named "Northern Pakt"; nearest: "Northern Pact", /,
    );
    expect(m.split('\n')).toHaveLength(1);
  });

  it('a name built from member names finds the alliance of those members', () => {
    // "Eastern" is a word of the name; "Avalon" would begin like no word, "AAA" is a member id.
    const m = errorOf(() => apply({ change: { 'EEE-AAA treaty': { reliability: 1 } } }));
    expect(m).toContain(
      'scenarios[0].variants[0].change.EEE-AAA treaty: no alliance named "EEE-AAA treaty"; nearest: "Eastern entente"',
    );
  });

  it('an unknown COW number lists the nearest numbers', () => {
    const m = errorOf(() => apply({ remove: [{ cow: 8 }] }));
    expect(m).toBe(
      'exp.yaml: scenarios[0].variants[0].remove[0]: no alliance has cow 8; nearest: cow 7 ("Northern Pact"), cow 9 ("COW 9: BBB–DDD"), cow 9 ("Corwen guarantee")',
    );
  });

  it('an ambiguous COW number or name lists what it names', () => {
    expect(errorOf(() => apply({ remove: [{ cow: 9 }] }))).toBe(
      'exp.yaml: scenarios[0].variants[0].remove[0]: cow 9 names 2 alliances ("COW 9: BBB–DDD", "Corwen guarantee"); expected exactly one: name it by its full name',
    );
    const twice = base();
    twice.alliances.push({ ...twice.alliances[3]! });
    expect(errorOf(() => apply({ remove: ['Eastern entente'] }, twice))).toContain(
      'remove[0]: "Eastern entente" names 2 alliances',
    );
  });

  it('an unknown state id in an added alliance, a changed one, a border or a state', () => {
    expect(errorOf(() => apply({ add: [{ name: 'X', type: 'defense', members: ['AAA', 'ZZZ'] }] }))).toBe(
      `exp.yaml: scenarios[0].variants[0].add[0].members[1]: unknown state id "ZZZ"; expected one of the scenario's state ids`,
    );
    expect(errorOf(() => apply({ change: { 'Northern Pact': { adversaries: ['QQQ'] } } }))).toContain(
      'change.Northern Pact.adversaries[0]: unknown state id "QQQ"',
    );
    expect(errorOf(() => apply({ addBorders: [['AAA', 'QQQ']] }))).toContain(
      'addBorders[0][1]: unknown state id "QQQ"',
    );
    expect(errorOf(() => apply({ states: { QQQ: { capability: 1 } } }))).toContain(
      'states.QQQ: unknown state id "QQQ"',
    );
  });

  it('a border that is not there, or is there already', () => {
    expect(errorOf(() => apply({ removeBorders: [['AAA', 'BBB']] }))).toBe(
      'exp.yaml: scenarios[0].variants[0].removeBorders[0]: the scenario has no border between AAA and BBB',
    );
    expect(errorOf(() => apply({ addBorders: [['CCC', 'AAA']] }))).toContain(
      'addBorders[0]: CCC and AAA already share a border',
    );
  });

  it('an alliance both removed and changed, or removed twice', () => {
    expect(
      errorOf(() => apply({ remove: ['Northern Pact'], change: { 'cow=7': { reliability: 1 } } })),
    ).toContain('change.cow=7: "Northern Pact" is also removed');
    expect(errorOf(() => apply({ remove: ['Northern Pact', { atop: 1007 }] }))).toContain(
      'remove[1]: "Northern Pact" is removed twice',
    );
  });

  it('what only the whole scenario shows is reported on the alliance by name', () => {
    expect(errorOf(() => apply({ change: { 'Corwen guarantee': { guarantors: ['BBB', 'CCC'] } } }))).toBe(
      'exp.yaml: scenarios[0].variants[0] ("v"): alliance "Corwen guarantee".guarantors: every member is a guarantor; expected at least one protected (non-guarantor) member',
    );
  });
});

describe('parseRefText and findAlliance', () => {
  it('reads cow=N and atop=N as numbers and anything else as a name', () => {
    expect(parseRefText('cow=64')).toEqual({ cow: 64 });
    expect(parseRefText(' ATOP = 1030 ')).toEqual({ atop: 1030 });
    expect(parseRefText('COW 64: GMY–AUH')).toBe('COW 64: GMY–AUH');
  });

  it('prefers an exact name to a loose one', () => {
    const s = base();
    s.alliances.push({ name: 'northern pact', type: 'entente', members: ['AAA', 'BBB'] });
    expect(findAlliance(s, 'northern pact')).toBe(4);
    expect(findAlliance(s, 'Northern Pact')).toBe(0);
    expect(findAlliance(s, 'NORTHERN PACT')).toMatch(/names 2 alliances/);
  });
});

describe('experiment files with variants and treaty sweeps', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-variants-'));
    writeFileSync(join(dir, 'base.yaml'), BASE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (data: Record<string, unknown>) => experimentFromData(data, join(dir, 'exp.yaml'));

  it('puts each variant beside the original, renamed by the entry, in order', () => {
    const spec = read({
      scenarios: [
        {
          file: 'base.yaml',
          name: 'B',
          variants: [
            { name: 'no pact', remove: ['Northern Pact'] },
            { name: 'firm', change: { 'Eastern entente': { type: 'defense' } } },
          ],
        },
      ],
    });
    expect(spec.scenarios.map((s) => (s.kind === 'file' ? s.scenario.name : ''))).toEqual([
      'B',
      'B / no pact',
      'B / firm',
    ]);
    const variant = spec.scenarios[1]!;
    expect(variant.kind === 'file' && variant.variant).toEqual({
      of: 'B',
      name: 'no pact',
      changes: ['removes "Northern Pact"'],
    });
  });

  it('refuses variants named twice, unknown keys and a missing file', () => {
    expect(
      errorOf(() => read({ scenarios: [{ file: 'base.yaml', variants: [{ name: 'a' }, { name: 'a' }] }] })),
    ).toContain('exp.yaml: scenarios[0].variants[1].name: variant "a" is named twice');
    expect(
      errorOf(() => read({ scenarios: [{ file: 'base.yaml', variants: [{ name: 'a', drop: [] }] }] })),
    ).toContain('scenarios[0].variants[0]: unknown key "drop"; expected one of name, add, remove, change');
    expect(errorOf(() => read({ scenarios: [{ file: 'nothere.yaml' }] }))).toContain(
      'scenarios[0].file: scenario file "nothere.yaml" does not exist',
    );
  });

  it('a treaty sweep sets that alliance per cell and no model parameter', () => {
    const spec = read({
      scenarios: [{ file: 'base.yaml', variants: [{ name: 'rich', states: { EEE: { capability: 0.4 } } }] }],
      sweep: { 'alliance[Eastern entente].reliability': [0.2, 0.9], 'state[AAA].capability': [0.5] },
    });
    const plan = buildPlan(spec, { runs: 10, seed: 1, version: 'test' });
    expect(plan.sweepKeys).toEqual(['alliance[Eastern entente].reliability', 'state[AAA].capability']);
    expect(plan.cells.map((c) => c.scenario)).toEqual(['Base', 'Base', 'Base / rich', 'Base / rich']);
    const fixed = plan.cells.map((c) => (c.system.kind === 'fixed' ? c.system.scenario : undefined)!);
    expect(fixed.map((s) => s.alliances[3]!.reliability)).toEqual([0.2, 0.9, 0.2, 0.9]);
    expect(fixed.map((s) => s.states[0]!.capability)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(fixed.map((s) => s.states[4]!.capability)).toEqual([0.2, 0.2, 0.4, 0.4]);
    // The file's other alliances and the model parameters are as without the sweep.
    expect(fixed[0]!.alliances[1]!.reliability).toBe(0.9);
    expect(plan.cells[0]!.params).toEqual(
      buildPlan(read({ scenarios: ['base.yaml'] }), { runs: 10, seed: 1, version: 'test' }).cells[0]!.params,
    );
    // The plan's scenario objects are copies: the file's scenario is untouched.
    expect(
      spec.scenarios[0]!.kind === 'file' && spec.scenarios[0]!.scenario.alliances[3]!.reliability,
    ).toBeUndefined();
  });

  it('treaty sweep keys work in a Latin hypercube like any range', () => {
    const spec = read({
      scenarios: ['base.yaml'],
      sweep: { 'alliance[cow=7].reliability': { from: 0.2, to: 0.4 } },
      design: { lhs: 4 },
    });
    const plan = buildPlan(spec, { runs: 10, seed: 3, version: 'test' });
    for (const c of plan.cells) {
      const r = c.point['alliance[cow=7].reliability']!;
      expect(r).toBeGreaterThanOrEqual(0.2);
      expect(r).toBeLessThanOrEqual(0.4);
      expect(c.system.kind === 'fixed' && c.system.scenario.alliances[0]!.reliability).toBe(r);
    }
  });

  it('refuses a treaty sweep that names no alliance, a field it cannot set, values out of range, a generator or a variant without it', () => {
    const sweep = (key: string, value: unknown, scenarios: unknown[] = ['base.yaml']) =>
      errorOf(() => read({ scenarios, sweep: { [key]: value } }));
    expect(sweep('alliance[Northern Pakt].reliability', [0.5])).toContain(
      'exp.yaml: sweep.alliance[Northern Pakt].reliability: no alliance named "Northern Pakt"; nearest: "Northern Pact"',
    );
    expect(sweep('alliance[Northern Pact].type', [1])).toContain(
      'a sweep can set alliance[…].reliability, not "type"',
    );
    expect(sweep('alliance[Northern Pact].reliability', { from: 0.5, to: 1.5, step: 0.5 })).toContain(
      'expected values within a reliability from 0 to 1, got 1.5',
    );
    expect(sweep('state[AAA].capability', [-1])).toContain('expected values within a capability ≥ 0, got -1');
    expect(sweep('state[QQQ].capability', [1])).toContain('unknown state id "QQQ" in scenario "Base"');
    expect(
      sweep(
        'alliance[Northern Pact].reliability',
        [0.5],
        ['base.yaml', { generator: 'blocs', states: 10, tightness: 0.5 }],
      ),
    ).toContain('scenarios[1] is a generator');
    expect(
      sweep(
        'alliance[Northern Pact].reliability',
        [0.5],
        [{ file: 'base.yaml', variants: [{ name: 'gone', remove: ['Northern Pact'] }] }],
      ),
    ).toMatch(/: no alliance named "Northern Pact"; nearest: .* \(in scenario "Base \/ gone"\)$/);
  });
});

describe('the ready-made what-if experiment', () => {
  it('names alliances that europe-1914.yaml has (a re-import that renames them breaks it here)', () => {
    const spec = loadInput('configs/july-1914-what-if.yaml');
    const names = spec.scenarios.map((s) => (s.kind === 'file' ? s.scenario.name : ''));
    expect(names).toHaveLength(10);
    expect(names[1]).toBe('July 1914 / Russia bound to Serbia');
    const base = spec.scenarios[0]!.kind === 'file' ? spec.scenarios[0]!.scenario : undefined;
    const noDual = spec.scenarios[2]!.kind === 'file' ? spec.scenarios[2]!.scenario : undefined;
    expect(noDual!.alliances).toHaveLength(base!.alliances.length - 1);
    expect(noDual!.alliances.some((a) => a.name === 'COW 64: GMY–AUH')).toBe(false);
  });
});
