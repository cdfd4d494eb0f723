import { numberOf, type ResultFolder, type Table } from '../read-results.js';

/** The outcomes charted against swept parameters, in words, with how to get their 95 % interval. */
export interface Outcome {
  /** Its summary.csv column. */
  column: string;
  /** In words, for titles. */
  label: string;
  /** Short, for the axis. */
  axis: string;
  /** A share (0–1, drawn as a percentage) or a mean. */
  share: boolean;
  /** Drawn only where some cell ran with this parameter above 0 (else the outcome is 0 throughout). */
  needs?: string;
}

/** The main outcomes of a sweep (p_deterred is drawn only where summary.csv has the column). */
export const MAIN_OUTCOMES: readonly Outcome[] = [
  {
    column: 'p_contained',
    label: 'Chance the war stays between initiator and target',
    axis: 'P(contained)',
    share: true,
  },
  {
    column: 'p_great_power_war',
    label: 'Chance of great powers fighting on both sides',
    axis: 'P(great-power war)',
    share: true,
  },
  {
    column: 'p_world_war',
    label: 'Chance of a world war (every great power at war)',
    axis: 'P(world war)',
    share: true,
  },
  {
    column: 'participants_mean',
    label: 'Mean number of states at war',
    axis: 'States at war (mean)',
    share: false,
  },
  {
    column: 'p_deterred',
    label: 'Chance the initiator is deterred (no war)',
    axis: 'P(deterred)',
    share: true,
    needs: 'deterrence',
  },
];

/** Per-run outcomes in words (compare.csv's `outcome` column); an unknown name is shown as it is. */
const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  contained: 'war stays contained',
  great_power_war: 'great-power war',
  world_war: 'world war',
  mediated: 'war ended by mediation',
  initiator_prevails: 'initiator prevails',
  war: 'war breaks out',
  deterred: 'initiator deterred',
  participants: 'states at war',
  participants_initiator_side: "states on the initiator's side",
  participants_target_side: "states on the target's side",
  great_powers: 'great powers at war',
  steps: 'length of the war (steps)',
  commitments_triggered: 'commitments triggered',
  commitments_honored: 'commitments honoured',
  abandonments: 'abandonments',
  entrapments: 'entrapments',
  buck_passes: 'states passing the buck',
  cross_pressured: 'states cross-pressured',
};

/** An outcome's name in words. */
export function outcomeLabel(name: string): string {
  return OUTCOME_WORDS[name] ?? name;
}

/** Parameters and generator fields in words (axis titles); an unknown name is shown as it is. */
const PARAMETER_WORDS: Readonly<Record<string, string>> = {
  'reliability.defense': 'Reliability of defense pacts',
  'reliability.offense': 'Reliability of offense pacts',
  'reliability.entente': 'Reliability of ententes',
  'reliability.neutrality': 'Reliability of neutrality pacts',
  'reliability.nonaggression': 'Reliability of non-aggression pacts',
  conditionalFactor: 'Reliability factor of conditional promises',
  deterrence: 'Weight of deterrence',
  invasionHazard: 'Invasion hazard per step',
  offenseDominance: 'Share perceiving offense dominance (δ)',
  sufficiency: 'Sufficiency of a side',
  borderHazard: 'Border hazard per step',
  balanceHazard: 'Balancing hazard per step',
  hegemonyShare: 'Hegemony threshold (share of capability)',
  settlement: 'Settlement hazard per step',
  mediation: 'Weight of mediation',
  decisiveness: 'Decisiveness (κ)',
  maxSteps: 'Longest war (steps)',
  tightness: 'Tightness of the alliance system (τ)',
  states: 'States in the system',
  blocs: 'Blocs',
  greatPowers: 'Great powers',
  systemSeed: 'System seed',
};

/** A parameter's axis title: words, then its name as in files. */
export function parameterLabel(name: string): string {
  const words = PARAMETER_WORDS[name];
  return words ? `${words} [${name}]` : name;
}

/** A parameter in words only (its name where there are none). */
export function parameterWords(name: string): string {
  return PARAMETER_WORDS[name] ?? name;
}

/** The swept names of a folder: its manifest's, else summary.csv's columns between scenario and runs. */
export function sweepKeys(folder: ResultFolder, summary: Table): string[] {
  if (folder.manifest?.sweep) return folder.manifest.sweep;
  const from = summary.columns.indexOf('scenario') + 1;
  const to = summary.columns.indexOf('runs');
  return from > 0 && to > from ? summary.columns.slice(from, to) : [];
}

/** Each cell's name in charts: `cell 3: scenario, name = value, …` (scenario only without a sweep). */
export function cellLabels(folder: ResultFolder): Map<number, string> {
  const labels = new Map<number, string>();
  const summary = folder.table('summary.csv');
  if (!summary) return labels;
  const keys = sweepKeys(folder, summary);
  for (const row of summary.rows) {
    const cell = numberOf(row.cell);
    if (cell === undefined) continue;
    const point = keys.map((k) => `${k} = ${row[k] ?? ''}`).join(', ');
    labels.set(cell, `${cell}: ${row.scenario ?? ''}${point ? `, ${point}` : ''}`);
  }
  return labels;
}

/** A folder's chart-name prefix (`a-` for side A of a comparison) and title suffix. */
export function folderNaming(folder: ResultFolder): { prefix: string; suffix: string } {
  if (folder.label === '') return { prefix: '', suffix: '' };
  const name = folder.manifest?.name;
  return { prefix: `${folder.path}-`, suffix: ` (${folder.label}${name ? `: ${name}` : ''})` };
}

/** A name made safe for a file: lower case letters, digits and dashes. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
