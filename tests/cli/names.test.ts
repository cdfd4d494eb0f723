/**
 * States found as a historian types them (src/scenario/state-names.ts) and what the data
 * cover (src/scenario/cow-coverage.ts), through `entangle import cow` as a user runs it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../src/scenario/cow.js';
import { cowCoverage, cowStates } from '../../src/scenario/cow-coverage.js';
import { findState, type StateRecord, stateNameOn } from '../../src/scenario/state-names.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('stateNameOn', () => {
  it('names a state as it was called on the day where COW uses a later name', () => {
    expect(stateNameOn(345, 'Yugoslavia', '1914-07-28')).toBe('Serbia');
    expect(stateNameOn(345, 'Yugoslavia', '1925-01-01')).toBe('Kingdom of Serbs, Croats and Slovenes');
    expect(stateNameOn(345, 'Yugoslavia', '1950-06-24')).toBe('Yugoslavia');
    expect(stateNameOn(345, 'Yugoslavia', '2010-01-01')).toBe('Serbia');
    expect(stateNameOn(255, 'Germany', '1866-06-15')).toBe('Prussia');
    expect(stateNameOn(255, 'Germany', '1871-01-18')).toBe('Germany');
    expect(stateNameOn(640, 'Turkey', '1914-07-28')).toBe('Ottoman Empire');
    expect(stateNameOn(640, 'Turkey', '1950-06-24')).toBe('Turkey');
    expect(stateNameOn(365, 'Russia', '1914-07-28')).toBe('Russia');
    expect(stateNameOn(365, 'Russia', '1950-06-24')).toBe('Soviet Union');
    expect(stateNameOn(300, 'Austria-Hungary', '1866-06-15')).toBe('Austria');
    expect(stateNameOn(300, 'Austria-Hungary', '1914-07-28')).toBe('Austria-Hungary');
    expect(stateNameOn(220, 'France', '1914-07-28')).toBe('France');
  });
});

describe('findState on the shipped states file', () => {
  let states: StateRecord[];
  beforeAll(() => {
    states = cowStates(DEFAULT_DATA_DIR);
  });
  const member = (q: string, date: string) => {
    const m = findState(q, states, date);
    return m.kind === 'member' ? m.state.id : m.kind;
  };

  it('by COW abbreviation or country code, in any case', () => {
    expect(member('YUG', '1914-07-28')).toBe('YUG');
    expect(member('yug', '1914-07-28')).toBe('YUG');
    expect(member('345', '1914-07-28')).toBe('YUG');
    expect(member(' 300 ', '1914-07-28')).toBe('AUH');
  });

  it('by the names a historian types for the day, in any case, with or without accents and hyphens', () => {
    expect(member('Serbia', '1914-07-28')).toBe('YUG');
    expect(member('austria hungary', '1914-07-28')).toBe('AUH');
    expect(member('Austria', '1914-07-28')).toBe('AUH');
    expect(member('Prussia', '1866-06-15')).toBe('GMY');
    expect(member('Ottoman Empire', '1914-07-28')).toBe('TUR');
    expect(member('Russia', '1950-06-24')).toBe('RUS');
    expect(member('USSR', '1950-06-24')).toBe('RUS');
    expect(member('Soviet Union', '1962-10-22')).toBe('RUS');
    expect(member('Great Britain', '1914-07-28')).toBe('UKG');
    expect(member('Württemberg', '1866-06-15')).toBe('WRT');
    expect(member('wurttemberg', '1866-06-15')).toBe('WRT');
    expect(member('North Korea', '1950-06-24')).toBe('PRK');
  });

  it('takes a historical name only for its day: USSR in 1914 is no one', () => {
    const m = findState('USSR', states, '1914-07-28');
    expect(m.kind).toBe('none');
  });

  it('says when the state named is not in the system on the day', () => {
    const m = findState('Poland', states, '1914-07-28');
    expect(m.kind).toBe('not a member');
    expect(m.kind === 'not a member' && m.state.id).toBe('POL');
  });

  it('suggests the nearest members when nothing fits: an abbreviation, a name of another day, a typo', () => {
    const nearest = (q: string, date: string) => {
      const m = findState(q, states, date);
      return m.kind === 'none' ? m.nearest.map((s) => s.id) : [m.kind];
    };
    expect(nearest('SRB', '1914-07-28')).toEqual(['YUG']);
    expect(nearest('Prussia', '1914-07-28')).toEqual(['GMY']);
    expect(nearest('Britian', '1914-07-28')).toEqual(['UKG']);
    expect(nearest('Austria-Hungray', '1914-07-28')).toEqual(['AUH']);
    expect(nearest('Atlantis', '1914-07-28')).toEqual([]);
  });
});

describe('cowCoverage', () => {
  it('finds the years of each shipped file, and that together they cover 1816 to 2012 (the alliances end there)', () => {
    const c = cowCoverage(DEFAULT_DATA_DIR);
    // Read off the files: states 1816–2016, NMC 1816–2016, contiguity 181601–201612,
    // COW alliances 1816–2012, ATOP 1815–2016.
    expect({ from: c.from, to: c.to }).toEqual({ from: 1816, to: 2012 });
    const years = Object.fromEntries(c.files.map((f) => [f.file, [f.from, f.to]]));
    expect(years).toEqual({
      'cow/states2016.csv': [1816, 2016],
      'cow/NMC-60-abridged.csv': [1816, 2016],
      'cow/contdir.csv': [1816, 2016],
      'cow/alliance_v4.1_by_member.csv': [1816, 2012],
      'atop/atop_v4.01_member_level.csv': [1815, 2016],
    });
  });
});

describe.concurrent('entangle import cow, by name', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-names-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'dist/cli.js'), ...args],
        { cwd: ROOT },
        (err, stdout, stderr) => {
          const code = err ? ((err as { code?: unknown }).code as number) : 0;
          resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
        },
      );
    });
  }

  it('takes Austria-Hungary and Serbia by name, and names them so in the scenario', async () => {
    const out = join(dir, 'july.yaml');
    const { code, stderr } = await cli(
      'import',
      'cow',
      '--date',
      '1914-07-28',
      '--year',
      '1914',
      '--initiator',
      'Austria-Hungary',
      '--target',
      'serbia',
      '--out',
      out,
    );
    expect(code, stderr).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('Austria-Hungary (AUH) attacks Serbia (YUG)');
    expect(yaml).toMatch(/crisis: \{ initiator: AUH, target: YUG \}|initiator: AUH[\s\S]*target: YUG/);
    expect(yaml).toContain('{ id: YUG, name: Serbia,');
    expect(yaml).toContain('{ id: TUR, name: Ottoman Empire,');
  });

  it('suggests YUG (Serbia) for SRB, in one line, exit code 2, nothing written', async () => {
    const out = join(dir, 'srb.yaml');
    const { code, stderr } = await cli(
      'import',
      'cow',
      '--year',
      '1914',
      '--initiator',
      'AUH',
      '--target',
      'SRB',
      '--out',
      out,
    );
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--target: "SRB": no member of the state system on 1914-07-01');
    expect(stderr).toContain('did you mean YUG (Serbia)?');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a year the alliance data do not reach, naming the range and the file', async () => {
    for (const year of ['2015', '2020']) {
      const { code, stderr } = await cli(
        'import',
        'cow',
        '--year',
        year,
        '--initiator',
        'USA',
        '--target',
        'CUB',
        '--out',
        join(dir, `${year}.yaml`),
      );
      expect(code).toBe(2);
      expect(stderr).toContain(`--year ${year}: outside the data, which together cover 1816 to 2012`);
      expect(stderr).toContain('cow/alliance_v4.1_by_member.csv');
      expect(stderr).toContain('expected a day from 1816-01-01 to 2012-12-31');
    }
    const early = await cli(
      'import',
      'cow',
      '--date',
      '1815-06-18',
      '--year',
      '1815',
      '--initiator',
      'FRN',
      '--target',
      'UKG',
      '--out',
      join(dir, 'waterloo.yaml'),
    );
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('--date 1815-06-18: outside the data');
    expect(readdirSync(dir).filter((f) => /^(2015|2020|waterloo)/.test(f))).toEqual([]);
  });

  it('says a state named is not in the system that day, and when it was', async () => {
    const { code, stderr } = await cli(
      'import',
      'cow',
      '--year',
      '1914',
      '--initiator',
      'Germany',
      '--target',
      'Poland',
      '--out',
      join(dir, 'pl.yaml'),
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--target: "Poland": POL (Poland) is not in the state system on 1914-07-01 (a member 1918-11-03 to 1939-09-27',
    );
  });
});
