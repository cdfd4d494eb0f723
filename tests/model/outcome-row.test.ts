import { describe, expect, it } from 'vitest';
import {
  BOOLEAN_FIELDS,
  emptyOutcome,
  OUTCOME_FIELDS,
  outcomeRow,
  RUN_FIELDS,
} from '../../src/model/outcome.js';

// outcomeRow spells the table out by hand (for speed): every field must land at its own column.
describe('outcomeRow', () => {
  it('writes each field at its position in RUN_FIELDS, booleans as 1/0', () => {
    const out = emptyOutcome() as unknown as Record<string, number | boolean>;
    // Distinct values: a count or share field gets 100 + its position; every boolean true.
    OUTCOME_FIELDS.forEach((f, i) => {
      out[f.name] = f.kind === 'boolean' ? true : 100 + i;
    });
    const row = new Float64Array(RUN_FIELDS.length + 3).fill(-1);
    outcomeRow(out as never, row, 2);
    expect(row[0]).toBe(-1);
    expect(row[1]).toBe(-1);
    expect(row[RUN_FIELDS.length + 2]).toBe(-1);
    OUTCOME_FIELDS.forEach((f, i) => {
      expect(row[2 + i], f.name).toBe(f.kind === 'boolean' ? 1 : 100 + i);
    });
    // And false booleans as 0 (a boolean written as its value would still be 1 above).
    for (const f of BOOLEAN_FIELDS) out[f] = false;
    outcomeRow(out as never, row, 0);
    for (const f of BOOLEAN_FIELDS) expect(row[RUN_FIELDS.indexOf(f)], f).toBe(0);
  });

  it('starts from an empty outcome with every field of the table, in order, each 0 or false', () => {
    const out = emptyOutcome() as unknown as Record<string, number | boolean>;
    expect(Object.keys(out)).toEqual(RUN_FIELDS);
    for (const f of OUTCOME_FIELDS) expect(out[f.name], f.name).toBe(f.kind === 'boolean' ? false : 0);
  });
});
