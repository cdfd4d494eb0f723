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

export type BooleanField = NamesOf<'boolean'>;
export type CountField = NamesOf<'count'>;
export type ShareField = NamesOf<'share'>;

/** A fresh outcome record (every count 0, every 0/1 outcome false). */
export function emptyOutcome(): RunOutcome {
  const out: Record<string, number | boolean> = {};
  for (const f of OUTCOME_FIELDS) out[f.name] = f.kind === 'boolean' ? false : 0;
  return out as RunOutcome;
}
