/**
 * The per-run outcome of MODEL.md, as one table: the order is runs.csv's column order, and the
 * kind says how a cell summarises the field (summary.ts, aggregate.ts):
 * - `count`: a whole number ≥ 0, kept as a histogram (mean, sd, exact quantiles, max);
 * - `boolean`: 0/1, kept as a count of runs where it holds (share with a Wilson interval);
 * - `share`: a real number, kept as its sum per batch (mean only).
 */
export const OUTCOME_FIELDS = [
  { name: 'participants', kind: 'count' },
  { name: 'participants_initiator_side', kind: 'count' },
  { name: 'participants_target_side', kind: 'count' },
  { name: 'great_powers', kind: 'count' },
  { name: 'great_power_war', kind: 'boolean' },
  { name: 'world_war', kind: 'boolean' },
  { name: 'capability_share', kind: 'share' },
  { name: 'steps', kind: 'count' },
  { name: 'contained', kind: 'boolean' },
  { name: 'mediated', kind: 'boolean' },
  { name: 'initiator_prevails', kind: 'boolean' },
  { name: 'war', kind: 'boolean' },
  { name: 'deterred', kind: 'boolean' },
  { name: 'commitments_triggered', kind: 'count' },
  { name: 'commitments_honored', kind: 'count' },
  { name: 'abandonments', kind: 'count' },
  { name: 'entrapments', kind: 'count' },
  { name: 'buck_passes', kind: 'count' },
  { name: 'cross_pressured', kind: 'count' },
  { name: 'initiator_expected_win', kind: 'share' },
] as const;

export type OutcomeField = (typeof OUTCOME_FIELDS)[number];
export type OutcomeKind = OutcomeField['kind'];
type NamesOf<K extends OutcomeKind> = Extract<OutcomeField, { kind: K }>['name'];

/** The per-run outcome of MODEL.md, one row of runs.csv. */
export type RunOutcome = { [F in OutcomeField as F['name']]: F['kind'] extends 'boolean' ? boolean : number };

function namesOf<K extends OutcomeKind>(kind: K): readonly NamesOf<K>[] {
  return OUTCOME_FIELDS.filter((f) => f.kind === kind).map((f) => f.name as NamesOf<K>);
}

/** runs.csv columns after `cell, run`. */
export const RUN_FIELDS: readonly OutcomeField['name'][] = OUTCOME_FIELDS.map((f) => f.name);
/** 0/1 outcomes, in table order. */
export const BOOLEAN_FIELDS = namesOf('boolean');
/** Counts, in table order. */
export const COUNT_FIELDS = namesOf('count');
/** Real-valued outcomes summarised by their mean, in table order. */
export const SHARE_FIELDS = namesOf('share');

/**
 * Writes `out` as numbers (booleans 1/0) into row[at .. at + RUN_FIELDS.length - 1], in table
 * order. Spelled out field by field because a loop over the names (out[name]) is a keyed load
 * per field, about as costly per run as a small system's whole simulation step; a test checks
 * this against OUTCOME_FIELDS.
 */
export function outcomeRow(out: RunOutcome, row: Float64Array, at: number): void {
  row[at] = out.participants;
  row[at + 1] = out.participants_initiator_side;
  row[at + 2] = out.participants_target_side;
  row[at + 3] = out.great_powers;
  row[at + 4] = out.great_power_war ? 1 : 0;
  row[at + 5] = out.world_war ? 1 : 0;
  row[at + 6] = out.capability_share;
  row[at + 7] = out.steps;
  row[at + 8] = out.contained ? 1 : 0;
  row[at + 9] = out.mediated ? 1 : 0;
  row[at + 10] = out.initiator_prevails ? 1 : 0;
  row[at + 11] = out.war ? 1 : 0;
  row[at + 12] = out.deterred ? 1 : 0;
  row[at + 13] = out.commitments_triggered;
  row[at + 14] = out.commitments_honored;
  row[at + 15] = out.abandonments;
  row[at + 16] = out.entrapments;
  row[at + 17] = out.buck_passes;
  row[at + 18] = out.cross_pressured;
  row[at + 19] = out.initiator_expected_win;
}

export type BooleanField = NamesOf<'boolean'>;
export type CountField = NamesOf<'count'>;
export type ShareField = NamesOf<'share'>;

/**
 * A fresh outcome record (every count 0, every 0/1 outcome false), spelled out as one literal
 * so that every record has the same fixed shape: the first one built field by field from the
 * table (out[name] = …) was a hash table in V8, a lookup for each field written or read. A
 * test checks it against the table.
 */
export function emptyOutcome(): RunOutcome {
  return {
    participants: 0,
    participants_initiator_side: 0,
    participants_target_side: 0,
    great_powers: 0,
    great_power_war: false,
    world_war: false,
    capability_share: 0,
    steps: 0,
    contained: false,
    mediated: false,
    initiator_prevails: false,
    war: false,
    deterred: false,
    commitments_triggered: 0,
    commitments_honored: 0,
    abandonments: 0,
    entrapments: 0,
    buck_passes: 0,
    cross_pressured: 0,
    initiator_expected_win: 0,
  };
}
