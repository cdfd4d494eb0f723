/**
 * The cells of a COW or ATOP table as numbers, flags and dates, and the one rule for the days
 * a row is in force; a bad cell names its file, line and column.
 */
import { InputError } from '../../errors.js';
import type { Table } from './files.js';

// Days are compared as whole numbers yyyymmdd.

/** The day a system is taken on. */
export interface Day {
  text: string;
  /** yyyymmdd */
  key: number;
}

/**
 * The days a row is in force, [from, until) as yyyymmdd keys: every data set's dates go
 * through Cells.window, so "in force on this day" means the same everywhere.
 */
export interface Window {
  from: number;
  until: number;
}

/** Whether a row is in force on the day. */
export function inForce(window: Window, day: Day): boolean {
  return window.from <= day.key && day.key < window.until;
}

/** Date columns of a row: year, month, day. */
export type DateColumns = readonly [year: string, month: string, day: string];

/** Reads whole numbers, flags and dates from a table, naming file, line and column when one is bad. */
export class Cells {
  constructor(private readonly table: Table) {}

  /** Throws the InputError for a bad cell: `FILE: line N, column C: expected …, found "…"`. */
  fail(i: number, column: string, expected: string): never {
    const value = this.table.rows[i]![column] ?? '';
    throw new InputError(
      `${this.table.path}: line ${this.table.lines[i]}, column ${column}: expected ${expected}, found "${value}"`,
    );
  }

  /** A whole number (required). */
  int(i: number, column: string): number {
    const v = this.table.rows[i]![column] ?? '';
    if (!/^-?\d+$/.test(v))
      this.fail(i, column, v === '' ? 'a whole number, not an empty cell' : 'a whole number');
    return Number(v);
  }

  /** A whole number, or undefined for an empty cell. */
  optInt(i: number, column: string): number | undefined {
    return (this.table.rows[i]![column] ?? '') === '' ? undefined : this.int(i, column);
  }

  /** A decimal number (required). */
  num(i: number, column: string): number {
    const v = this.table.rows[i]![column] ?? '';
    const x = Number(v);
    if (v === '' || !Number.isFinite(x)) this.fail(i, column, 'a number');
    return x;
  }

  /** A 0/1 flag; the COW alliance files leave a few flags empty, which count as 0. */
  flag(i: number, column: string): boolean {
    const v = this.table.rows[i]![column] ?? '';
    if (v === '' || v === '0') return false;
    if (v === '1') return true;
    return this.fail(i, column, 'a flag 0 or 1');
  }

  text(i: number, column: string): string {
    return this.table.rows[i]![column] ?? '';
  }

  /**
   * The days a row is in force, from its start and end date columns. `end` is either the last
   * day in force (COW) or the first day out (ATOP's exit, which is the next phase's entry). An
   * empty or 0 end year is an open end (in force when the data end); an empty or 0 day counts
   * as the whole month (from its first day, to its last).
   */
  window(i: number, start: DateColumns, end: DateColumns, endIs: 'last day in' | 'first day out'): Window {
    const from =
      this.int(i, start[0]) * 10000 + this.int(i, start[1]) * 100 + Math.max(1, this.day(i, start[2]));
    const endYear = this.optInt(i, end[0]);
    if (endYear === undefined || endYear === 0) return { from, until: Number.POSITIVE_INFINITY };
    const d = this.day(i, end[2]);
    const month = endYear * 10000 + this.int(i, end[1]) * 100;
    // Day 32 is past every day of the month, so an unknown day keeps the whole month in.
    const until = d === 0 ? month + 32 : endIs === 'last day in' ? month + d + 1 : month + d;
    return { from, until };
  }

  private day(i: number, column: string): number {
    return this.optInt(i, column) ?? 0;
  }
}
