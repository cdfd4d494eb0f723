/**
 * runs.csv rows, formatted straight from a batch's Float64Array (RUN_FIELDS per run) into
 * bytes, inside the worker that ran the batch. csv-stringify writes every other file; here it
 * would need an object per run and caps the file at ~60,000 rows/s, while a run takes ~1.5 µs.
 * Writing digits into one reused buffer makes no string per row, so the worker's heap stays
 * flat however many rows pass. The bytes are those csv-stringify writes for the same rows (a
 * test compares them): the only text cell, the scenario name, is quoted by csv-stringify itself
 * once per cell; every other cell is a number written by formatCell's rules.
 */
import { stringify } from 'csv-stringify/sync';
import { OUTCOME_FIELDS, RUN_FIELDS } from '../model/outcome.js';
import { csvText, formatCell } from './csv.js';

/** runs.csv columns: the cell, its scenario, the run within the cell, then the outcome table. */
export const RUNS_COLUMNS: readonly string[] = ['cell', 'scenario', 'run', ...RUN_FIELDS];

/** The header line of runs.csv. */
export function runsHeader(): string {
  return csvText([...RUNS_COLUMNS], []);
}

/** The first two cells of a cell's rows, `cell,scenario,`, quoted and neutralised as csv-stringify does. */
export function runsRowPrefix(cell: number, scenario: string): string {
  return stringify([[String(cell), formatCell(scenario), '']], { record_delimiter: 'unix' }).slice(0, -1);
}

/** Fields written as whole numbers (counts and 0/1 outcomes); the others go through formatCell. */
const WHOLE = OUTCOME_FIELDS.map((f) => f.kind !== 'share');
const COMMA = 44;
const NEWLINE = 10;
const MINUS = 45;
const ZERO = 48;

/**
 * Bytes appended into a buffer: one given (a slot shared with the main thread) or its own;
 * when full it moves to a larger buffer of its own.
 */
export class RowBytes {
  length = 0;
  private readonly digits = new Uint8Array(24);

  constructor(public buffer: Uint8Array = new Uint8Array(1 << 16)) {}

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  /** Text of ASCII characters only (what formatCell makes of a number). */
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buffer[this.length++] = s.charCodeAt(i);
  }

  /** A whole number as String(v) writes it (|v| < 2^53; -0 as 0). */
  int(v: number): void {
    this.room(24);
    if (v < 0) {
      this.buffer[this.length++] = MINUS;
      v = -v;
    }
    let n = 0;
    do {
      const q = Math.floor(v / 10);
      this.digits[n++] = ZERO + (v - 10 * q);
      v = q;
    } while (v > 0);
    while (n > 0) this.buffer[this.length++] = this.digits[--n]!;
  }

  /** `length` bytes of `from`, from `start`. */
  copy(from: Uint8Array, start: number, length: number): void {
    this.room(length);
    for (let i = 0; i < length; i++) this.buffer[this.length++] = from[start + i]!;
  }

  byte(b: number): void {
    this.room(1);
    this.buffer[this.length++] = b;
  }
}

/**
 * The cells of the share fields as bytes, by value: formatCell's path for a fraction (to 12
 * significant digits and back to a string) is most of a row's cost, and a run's shares repeat
 * (initiator_expected_win is one value per cell; capability_share, in 1914, takes about 15,000
 * values over 200,000 runs, the most common far more often than the rest). A direct-mapped
 * table in typed arrays allocated once: a value takes the slot its bits hash to, replacing
 * what was there. Not a Map of buffers: every entry would be a young object surviving into
 * the old generation, and V8 answered that survival by growing its young generation (1M runs
 * of 1914 with --runs-csv, peak memory 115 → 157 MB).
 */
class ShareCells {
  private static readonly SLOTS = 4096;
  /** formatCell of a finite number is at most this long (it writes 12 significant digits). */
  private static readonly WIDTH = 32;
  private readonly keys = new Float64Array(ShareCells.SLOTS).fill(Number.NaN);
  private readonly lengths = new Uint8Array(ShareCells.SLOTS);
  private readonly text = new Uint8Array(ShareCells.SLOTS * ShareCells.WIDTH);
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  /** Appends the cell of finite share v (NaN, never equal, marks an empty slot). */
  append(out: RowBytes, v: number): void {
    this.bits[0] = v;
    const slot = Math.imul(this.words[0]! ^ this.words[1]!, 0x9e3779b1) >>> 20;
    const at = slot * ShareCells.WIDTH;
    // -0 === 0, and both are written "0".
    if (this.keys[slot] !== v) {
      const cell = formatCell(v);
      if (cell.length > ShareCells.WIDTH) {
        out.ascii(cell);
        return;
      }
      for (let i = 0; i < cell.length; i++) this.text[at + i] = cell.charCodeAt(i);
      this.lengths[slot] = cell.length;
      this.keys[slot] = v;
    }
    out.copy(this.text, at, this.lengths[slot]!);
  }
}

const shares = new ShareCells();

/** Appends the rows of runs `first`, `first` + 1, … of one cell (`prefix`: runsRowPrefix's bytes). */
export function appendRunRows(out: RowBytes, prefix: Uint8Array, first: number, runs: Float64Array): void {
  const width = RUN_FIELDS.length;
  for (let o = 0, run = first; o < runs.length; o += width, run++) {
    out.bytes(prefix);
    out.int(run);
    for (let k = 0; k < width; k++) {
      out.byte(COMMA);
      const v = runs[o + k]!;
      // A whole number prints as formatCell would print it; anything else (a bug in a count,
      // NaN) takes formatCell's own path and its refusal of NaN and Infinity.
      if (WHOLE[k] && Number.isSafeInteger(v)) out.int(v);
      else if (Number.isFinite(v)) shares.append(out, v);
      else out.ascii(formatCell(v));
    }
    out.byte(NEWLINE);
  }
}

/** The rows as text (for tests and the bench; the worker keeps bytes). */
export function formatRunRows(prefix: string, first: number, runs: Float64Array): string {
  const out = new RowBytes();
  appendRunRows(out, Buffer.from(prefix), first, runs);
  return Buffer.from(out.buffer.buffer, 0, out.length).toString('utf8');
}
