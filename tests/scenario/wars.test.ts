import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseWars, readWars } from '../../src/scenario/wars.js';

const DATA = join(import.meta.dirname, '../../data/wars');
const HEADER = 'war_label,start_date,init_a_ccode,init_a_side,init_b_ccode,joiners';

describe('wars files', () => {
  it('reads the development wars as COW lists them, Germany twice in the Latvian war', () => {
    const wars = readWars(join(DATA, 'development_wars.csv'));
    expect(wars).toHaveLength(83);
    const latvia = wars.find((w) => w.label === '1918 Latvian Liberation')!;
    // RUS (365) is init_a on COW side 2; Germany joined side 1 (with Latvia) on 1918-12-07
    // and side 2 (against it) on 1919-04-16: first entry on the target's side.
    expect(latvia).toMatchObject({
      initiatorCcode: 365,
      targetCcode: 367,
      startDate: '1918-12-02',
      year: 1918,
    });
    expect(latvia.joiners.find((j) => j.ccode === 255)).toEqual({
      ccode: 255,
      abb: 'GMY',
      side: 2,
      date: '1918-12-07',
      later: [{ side: 1, date: '1919-04-16' }],
    });
    expect(latvia.joiners.filter((j) => j.ccode === 255)).toHaveLength(1);
    // 61 joiner entries in 83 wars (SOURCES.md): 60 states, Germany's two entries one joiner.
    expect(wars.reduce((n, w) => n + w.joiners.length, 0)).toBe(60);
  });

  it('takes the earliest entry as the first, whatever the order the file lists them in', () => {
    const [war] = parseWars(
      `${HEADER}\nX,1900-01-01,1,1,2,5:EEE:side1:1900-05-01;5:EEE:side2:1900-02-01;6:FFF:side2:1900-03-01\n`,
      'w.csv',
    );
    expect(war!.joiners).toEqual([
      { ccode: 5, abb: 'EEE', side: 2, date: '1900-02-01', later: [{ side: 1, date: '1900-05-01' }] },
      { ccode: 6, abb: 'FFF', side: 2, date: '1900-03-01', later: [] },
    ]);
  });

  it('maps COW sides to the model: init_a_side is the initiator side (1)', () => {
    const [war] = parseWars(`${HEADER}\nX,1900-01-01,1,2,2,5:EEE:side2:1900-05-01;6:FFF:side1\n`, 'w.csv');
    expect(war!.joiners.map((j) => [j.ccode, j.side, j.date])).toEqual([
      [5, 1, '1900-05-01'],
      [6, 2, ''],
    ]);
  });

  it('needs no init_b_side, but checks it when it is there', () => {
    expect(() => parseWars(`${HEADER},init_b_side\nX,1900-01-01,1,1,2,,1\n`, 'w.csv')).toThrow(
      /w\.csv: line 2, column init_b_side: expected the other COW side than init_a_side \(2\)/,
    );
    expect(parseWars(`${HEADER},init_b_side\nX,1900-01-01,1,1,2,,2\n`, 'w.csv')).toHaveLength(1);
  });

  it('refuses a missing column, a bad entry, an initial belligerent as joiner and a repeated label', () => {
    const bad = (text: string) => {
      try {
        parseWars(text, 'w.csv');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(bad('war_label,start_date\nX,1900-01-01\n')).toMatch(
      /missing columns "init_a_ccode", "init_a_side"/,
    );
    expect(bad(`${HEADER}\nX,1900-01-01,1,1,2,5-EEE\n`)).toMatch(/line 2, column joiners: expected entries/);
    expect(bad(`${HEADER}\nX,1900-01-01,1,1,2,1:AAA:side1\n`)).toMatch(
      /joiners other than the initial belligerents/,
    );
    expect(bad(`${HEADER}\nX,1900-01-01,1,1,2,\nX,1901-01-01,1,1,2,\n`)).toMatch(/line 3, column war_label/);
  });
});
