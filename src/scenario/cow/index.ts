/**
 * `entangle import cow`: the state system of the Correlates of War and ATOP data on one day,
 * as a scenario. files.ts finds and reads the data, cells.ts its cells and the days a row is in
 * force, members.ts the states and borders on the day, treaties.ts the treaties in force and
 * obligations.ts what each member promises, alliances.ts turns them into the model's
 * alliances, header.ts says where everything came from.
 */
import { InputError } from '../../errors.js';
import type { Scenario } from '../../model/types.js';
import { treatyAlliances } from './alliances.js';
import type { Day } from './cells.js';
import { DEFAULT_DATA_DIR, readTables } from './files.js';
import { buildHeader } from './header.js';
import { abbreviations, crisisState, landBorders, systemMembers } from './members.js';
import { treatiesInForce } from './treaties.js';

export { DEFAULT_DATA_DIR } from './files.js';

/** What to import: the state system on one day, and who attacks whom. */
export interface CowImportOptions {
  /** The year of the capability (CINC) values; also the year of the default date. */
  year: number;
  /** The day the system is taken on, YYYY-MM-DD inside `year`; default July 1 of `year`. */
  date?: string;
  /** The attacking state: a COW abbreviation (`AUH`) or country code (`300`). */
  initiator: string;
  /** The attacked state, likewise. */
  target: string;
  /** Folder holding cow/ and atop/ (or the files themselves); default the project's data/. */
  dataDir?: string;
  /** Scenario name; default one built from the date and the crisis. */
  name?: string;
}

/** An imported scenario, its comment header, and one comment per alliance (its sources). */
export interface CowImport {
  scenario: Scenario;
  header: string;
  allianceComments: string[];
}

/**
 * Builds the state system of the COW data on one day: every system member with its CINC of
 * `year`, great-power status and land borders on that day, and every treaty in force with each
 * member's promises as ATOP (else COW) codes them. User mistakes and bad files throw InputError.
 */
export function importCow(opts: CowImportOptions): CowImport {
  const day = parseDay(opts);
  const tables = readTables(opts.dataDir ?? DEFAULT_DATA_DIR);
  const { states, byCcode, notes } = systemMembers(tables, day, opts.year);
  const borders = landBorders(tables.contiguity, day, byCcode);
  const treaties = treatiesInForce(tables.alliances, tables.atop, {
    day,
    byCcode,
    abbreviations: abbreviations(tables.states),
    notes,
  });
  const imported = treaties.flatMap(treatyAlliances);

  const initiator = crisisState(opts.initiator, 'initiator', states, tables.states, day);
  const target = crisisState(opts.target, 'target', states, tables.states, day);
  if (initiator.id === target.id) {
    throw new InputError(
      `--target: "${opts.target}" is the initiator ${initiator.id}; expected two different states`,
    );
  }

  const scenario: Scenario = {
    name:
      opts.name ??
      `COW state system on ${day.text}: ${initiator.name} (${initiator.id}) attacks ${target.name} (${target.id})`,
    states,
    borders,
    alliances: imported.map((a) => a.alliance),
    crisis: { initiator: initiator.id, target: target.id },
  };
  const header = buildHeader({
    year: opts.year,
    day,
    dataDir: opts.dataDir,
    tables,
    scenario,
    treaties,
    notes,
    initiator,
    target,
  });
  return { scenario, header, allianceComments: imported.map((a) => a.comment) };
}

function parseDay(opts: CowImportOptions): Day {
  if (!Number.isInteger(opts.year) || opts.year < 1 || opts.year > 9999) {
    throw new InputError(`--year: ${opts.year}: expected a year, e.g. 1914`);
  }
  // July 1 sits in the middle of the year the CINC values describe.
  const text = opts.date ?? `${String(opts.year).padStart(4, '0')}-07-01`;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const valid = m !== null && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!valid) throw new InputError(`--date: "${text}": expected a calendar date YYYY-MM-DD, e.g. 1914-07-28`);
  if (y !== opts.year) {
    throw new InputError(
      `--date: ${text} is not in --year ${opts.year}; expected a date in that year (or leave --year to match it)`,
    );
  }
  return { text, key: y * 10000 + mo * 100 + d };
}
