// The importer's treaty rules on a small data folder written here, row by row, so that every
// expected alliance can be read off the rows by hand: ATOP decides for the members it codes and
// COW for the rest, each ATOP obligation becomes a promise with its own conditions, a weaker
// promise of the same kind is dropped where a stronger one applies as widely, and the dates.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alliance, Scenario } from '../../src/model/types.js';
import { ATOP_COLUMNS } from '../../src/scenario/cow/files.js';
import { importCow } from '../../src/scenario/cow/index.js';

// Five states: AAA 10, BBB 20, CCC 30, DDD 40, EEE 50 (EEE leaves the system in 1899).
const STATES = [
  'stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday',
  'AAA,10,Avalon,1816,1,1,2016,12,31',
  'BBB,20,Brigant,1816,1,1,2016,12,31',
  'CCC,30,Corwen,1816,1,1,2016,12,31',
  'DDD,40,Dunmere,1816,1,1,2016,12,31',
  'EEE,50,Elmet,1816,1,1,1899,12,31',
];

/** A COW member row: treaty, ccode, start and end (yyyy-mm-dd or ''), flags d n na e. */
function cowRow(id: number, ccode: number, start: string, end: string, flags: string): string {
  const [sy, sm, sd] = start.split('-');
  const [ey, em, ed] = end === '' ? ['', '', ''] : end.split('-');
  return [
    id,
    ccode,
    Number(sd),
    Number(sm),
    sy,
    ed === '' ? '' : Number(ed),
    em === '' ? '' : Number(em),
    ey,
    ...flags.split(' '),
  ].join(',');
}

/** An ATOP member row: every column 0 but the ones given. */
function atopRow(values: Record<string, string | number>): string {
  return ATOP_COLUMNS.map((c) => String(values[c] ?? (c === 'cow4id' ? '' : 0))).join(',');
}

const DAY = '1900-06-15';
const inForce = { yrent: 1890, moent: 1, dayent: 1, yrexit: 0, moexit: 0, dayexit: 0 };

const COW = [
  'version4id,ccode,mem_st_day,mem_st_month,mem_st_year,mem_end_day,mem_end_month,mem_end_year,defense,neutrality,nonaggression,entente',
  // Treaty 1, COW only: AAA and BBB promise defense, CCC nothing (it is guaranteed).
  cowRow(1, 10, '1890-01-01', '', '1 0 0 0'),
  cowRow(1, 20, '1890-01-01', '', '1 0 0 0'),
  cowRow(1, 30, '1890-01-01', '', '0 0 0 0'),
  // Treaty 2, also in ATOP (atopid 200): COW has AAA, BBB and DDD in force; ATOP codes AAA
  // (its phase ended: out) and BBB, and adds CCC; DDD is COW's alone (COW decides: entente).
  cowRow(2, 10, '1890-01-01', '', '1 0 0 0'),
  cowRow(2, 20, '1890-01-01', '', '1 0 0 0'),
  cowRow(2, 40, '1890-01-01', '', '0 0 0 1'),
  // Treaty 3, COW only: ends on the day (COW end dates are the last day in force), and a member
  // outside the system (EEE).
  cowRow(3, 10, '1890-01-01', DAY, '0 1 0 0'),
  cowRow(3, 40, '1890-01-01', DAY, '0 1 0 0'),
  cowRow(3, 50, '1890-01-01', DAY, '0 1 0 0'),
  // Treaty 4, COW only: ended the day before.
  cowRow(4, 10, '1890-01-01', '1900-06-14', '1 0 0 0'),
  cowRow(4, 20, '1890-01-01', '1900-06-14', '1 0 0 0'),
];

const ATOP = [
  ATOP_COLUMNS.join(','),
  // ATOP 200 = COW 2.
  atopRow({
    atopid: 200,
    cow4id: 2,
    member: 10,
    yrent: 1890,
    moent: 1,
    dayent: 1,
    yrexit: 1895,
    moexit: 3,
    dayexit: 1,
    defense: 1,
  }),
  atopRow({ atopid: 200, cow4id: 2, member: 20, ...inForce, defense: 1, defconpr: 1 }),
  atopRow({ atopid: 200, cow4id: 2, member: 30, ...inForce, defense: 1, defconpr: 1 }),
  // ATOP 300, no COW number: every kind of term.
  // AAA: offense against DDD covers its defense against DDD (unprovoked); consultation kept
  // (it has no adversary: wider); neutrality if attacked; non-aggression kept beside it.
  atopRow({
    atopid: 300,
    member: 10,
    ...inForce,
    offense: 1,
    offcoadv: 1,
    defense: 1,
    defcoadv: 1,
    defconpr: 1,
    consul: 1,
    neutral: 1,
    neucoatt: 1,
    nonagg: 1,
    statthr1: 40,
  }),
  // BBB: defense, no condition, covers its consultation; the same neutrality and non-aggression.
  atopRow({
    atopid: 300,
    member: 20,
    ...inForce,
    defense: 1,
    consul: 1,
    neutral: 1,
    neucoatt: 1,
    nonagg: 1,
    statthr1: 40,
  }),
  // ATOP 400: defense against a state outside the system (left out), consultation on a named
  // location (conditional), and a member whose promises vary by partner (obvary: conditional).
  atopRow({
    atopid: 400,
    member: 10,
    ...inForce,
    defense: 1,
    defcoadv: 1,
    consul: 1,
    concoloc: 1,
    statthr1: 50,
  }),
  atopRow({
    atopid: 400,
    member: 30,
    ...inForce,
    defense: 1,
    defcoadv: 1,
    consul: 1,
    concoloc: 1,
    obvary: 1,
    statthr1: 50,
  }),
  // ATOP 500: defense against an adversary it does not name (defcoadv, statthr 0): conditional.
  // It exits on the day: ATOP exit dates are the first day out, so the phase after it counts.
  atopRow({
    atopid: 500,
    member: 20,
    yrent: 1890,
    moent: 1,
    dayent: 1,
    yrexit: 1900,
    moexit: 6,
    dayexit: 15,
    offense: 1,
  }),
  atopRow({
    atopid: 500,
    member: 40,
    yrent: 1890,
    moent: 1,
    dayent: 1,
    yrexit: 1900,
    moexit: 6,
    dayexit: 15,
    offense: 1,
  }),
  atopRow({ atopid: 500, member: 20, yrent: 1900, moent: 6, dayent: 15, defense: 1, defcoadv: 1 }),
  atopRow({ atopid: 500, member: 40, yrent: 1900, moent: 6, dayent: 15, defense: 1, defcoadv: 1 }),
];

let dir: string;
let scenario: Scenario;
let header: string;
let comments: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-treaties-'));
  mkdirSync(join(dir, 'cow'));
  mkdirSync(join(dir, 'atop'));
  const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  write('cow/states2016.csv', STATES);
  write('cow/majors2016.csv', [
    'ccode,styear,stmonth,stday,endyear,endmonth,endday',
    '40,1816,1,1,2016,12,31',
  ]);
  write('cow/NMC-60-abridged.csv', [
    'ccode,year,cinc',
    '10,1900,0.1',
    '20,1900,0.2',
    '30,1900,0.3',
    '40,1900,0.4',
  ]);
  write('cow/contdir.csv', ['statelno,statehno,conttype,begin,end', '10,20,1,181601,201612']);
  write('cow/alliance_v4.1_by_member.csv', COW);
  write('atop/atop_v4.01_member_level.csv', ATOP);
  const imported = importCow({ year: 1900, date: DAY, initiator: 'AAA', target: 'BBB', dataDir: dir });
  ({ scenario, header } = imported);
  comments = imported.allianceComments;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const of = (prefix: string): Alliance[] => scenario.alliances.filter((a) => a.name.startsWith(prefix));

describe('importCow: treaties as the data code them', () => {
  it('makes a guarantee of a member that promises nothing, its guarantors also bound to each other', () => {
    expect(of('COW 1:')).toEqual([
      {
        name: 'COW 1: AAA–BBB–CCC (defense among AAA–BBB)',
        type: 'defense',
        members: ['AAA', 'BBB'],
        cow: 1,
      },
      {
        name: 'COW 1: AAA–BBB–CCC (defense by AAA–BBB)',
        type: 'defense',
        members: ['AAA', 'BBB', 'CCC'],
        guarantors: ['AAA', 'BBB'],
        cow: 1,
      },
    ]);
  });

  it('lets ATOP decide for the members it codes (dates and promises) and COW for the others', () => {
    // AAA: ATOP's phase ended in 1895, so out although COW has it in force; BBB and CCC: ATOP's
    // defense, unprovoked; DDD: COW's entente, COW's dates.
    expect(of('COW 2:')).toEqual([
      {
        name: 'COW 2: BBB–DDD–CCC (defense among BBB–CCC)',
        type: 'defense',
        members: ['BBB', 'CCC'],
        nonprovocation: true,
        cow: 2,
        atop: 200,
      },
      {
        name: 'COW 2: BBB–DDD–CCC (defense by BBB–CCC)',
        type: 'defense',
        members: ['BBB', 'DDD', 'CCC'],
        nonprovocation: true,
        guarantors: ['BBB', 'CCC'],
        cow: 2,
        atop: 200,
      },
      {
        name: 'COW 2: BBB–DDD–CCC (entente by DDD)',
        type: 'entente',
        members: ['BBB', 'DDD', 'CCC'],
        guarantors: ['DDD'],
        cow: 2,
        atop: 200,
      },
    ]);
    expect(header).toContain(
      'COW 2: AAA (10) in force in COW but no ATOP phase on 1900-06-15, left out (ATOP decides).',
    );
  });

  it('reads every ATOP obligation as its own promise: adversaries, non-provocation, conditions', () => {
    expect(of('ATOP 300:')).toEqual([
      {
        name: 'ATOP 300: AAA–BBB (offense by AAA)',
        type: 'offense',
        members: ['AAA', 'BBB'],
        guarantors: ['AAA'],
        adversaries: ['DDD'],
        atop: 300,
      },
      {
        name: 'ATOP 300: AAA–BBB (defense by BBB)',
        type: 'defense',
        members: ['AAA', 'BBB'],
        guarantors: ['BBB'],
        atop: 300,
      },
      {
        name: 'ATOP 300: AAA–BBB (entente by AAA)',
        type: 'entente',
        members: ['AAA', 'BBB'],
        guarantors: ['AAA'],
        atop: 300,
      },
      {
        name: 'ATOP 300: AAA–BBB',
        type: 'neutrality',
        members: ['AAA', 'BBB'],
        nonprovocation: true,
        atop: 300,
      },
      {
        name: 'ATOP 300: AAA–BBB (nonaggression)',
        type: 'nonaggression',
        members: ['AAA', 'BBB'],
        atop: 300,
      },
    ]);
    const offense = scenario.alliances.findIndex((a) => a.name === 'ATOP 300: AAA–BBB (offense by AAA)');
    expect(comments[offense]).toBe('ATOP 300 offense: offcoadv (statthr1 40 = DDD)');
    const neutrality = scenario.alliances.findIndex((a) => a.name === 'ATOP 300: AAA–BBB');
    expect(comments[neutrality]).toBe('ATOP 300 neutral: neucoatt');
  });

  it('leaves out a promise against states outside the system; other conditions make it conditional', () => {
    expect(of('ATOP 400:')).toEqual([
      {
        name: 'ATOP 400: AAA–CCC',
        type: 'entente',
        members: ['AAA', 'CCC'],
        conditional: true,
        atop: 400,
      },
    ]);
    expect(header.replace(/\s+/g, ' ')).toContain(
      'ATOP 400: defense of AAA (10), CCC (30) only against statthr1 50, not in the state system on 1900-06-15: left out.',
    );
  });

  it('makes a promise against an adversary the treaty does not name conditional', () => {
    expect(of('ATOP 500:')).toEqual([
      { name: 'ATOP 500: BBB–DDD', type: 'defense', members: ['BBB', 'DDD'], conditional: true, atop: 500 },
    ]);
  });

  it('counts a COW end date as the last day in force and leaves out members outside the system', () => {
    expect(of('COW 3:')).toEqual([
      { name: 'COW 3: AAA–DDD', type: 'neutrality', members: ['AAA', 'DDD'], cow: 3 },
    ]);
    expect(header).toContain('COW 3: EEE (50) not in the state system on 1900-06-15, left out.');
    expect(of('COW 4:')).toEqual([]);
  });

  it('counts the treaties in the header: coded by both, by COW only, by ATOP only', () => {
    // COW 2 by both; COW 1 and 3 by COW only; ATOP 300, 400, 500 by ATOP only.
    expect(header).toContain('from 6 treaties (1 coded by COW and ATOP, 2 by COW only,');
    expect(header).toContain('3 by ATOP only)');
  });
});
