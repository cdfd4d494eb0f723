/** The COW alliance types (ATOP consultation maps to entente); non-aggression is its own type (v2). */
export type AllianceType = 'defense' | 'offense' | 'neutrality' | 'nonaggression' | 'entente';

export const ALLIANCE_TYPES: readonly AllianceType[] = [
  'defense',
  'offense',
  'neutrality',
  'nonaggression',
  'entente',
];

/** A member of the state system. Capability is on any scale: only shares matter. */
export interface State {
  id: string;
  name: string;
  capability: number;
  greatPower: boolean;
  ccode?: number;
}

/** A treaty; it becomes one commitment per ordered pair of members (or guarantor → protected). */
export interface Alliance {
  name: string;
  type: AllianceType;
  members: string[];
  reliability?: number;
  nonprovocation?: boolean;
  guarantors?: string[];
  /** The pact applies only while one of these states fights on the side opposite the partner. */
  adversaries?: string[];
  /** A condition the model cannot check: kept with reliability × conditionalFactor. */
  conditional?: boolean;
  /** The treaty's number in COW's alliance data and in ATOP, where known (to name it in variants). */
  cow?: number;
  atop?: number;
}

/** At step 0 the initiator attacks the target. */
export interface Crisis {
  initiator: string;
  target: string;
}

/** Model parameters of MODEL.md; nested where the dotted name is nested (`reliability.defense`). */
export interface ModelParams {
  reliability: {
    defense: number;
    offense: number;
    entente: number;
    neutrality: number;
    nonaggression: number;
  };
  conditionalFactor: number;
  deterrence: number;
  invasionHazard: number;
  offenseDominance: number;
  sufficiency: number;
  borderHazard: number;
  balanceHazard: number;
  hegemonyShare: number;
  settlement: number;
  mediation: number;
  decisiveness: number;
  maxSteps: number;
}

/** One state system and one crisis, as read from a scenario file (ids, not indices). */
export interface Scenario {
  name: string;
  states: State[];
  borders: [string, string][];
  alliances: Alliance[];
  crisis: Crisis;
  params?: Partial<Omit<ModelParams, 'reliability'>> & { reliability?: Partial<ModelParams['reliability']> };
}

/** Commitment kinds as stored in CompiledSystem.commitmentKind. */
export const KIND_DEFENSE = 0;
export const KIND_OFFENSE = 1;
export const KIND_NEUTRALITY = 2;
export const KIND_ENTENTE = 3;
export const KIND_NONAGGRESSION = 4;

/**
 * A scenario compiled for the hot loop: states are indices 0..n-1 in file order, and
 * commitments are grouped by obligor (CSR layout: those of state j are
 * commitmentStart[j] .. commitmentStart[j+1]-1).
 */
export interface CompiledSystem {
  n: number;
  ids: string[];
  capability: Float64Array;
  greatPower: Uint8Array;
  greatPowerCount: number;
  totalCapability: number;
  initiator: number;
  target: number;
  /** Neighbours of state j: borderIndex[borderStart[j] .. borderStart[j+1]-1], ascending. */
  borderStart: Int32Array;
  borderIndex: Int32Array;
  /** Commitments of obligor j: commitmentStart[j] .. commitmentStart[j+1]-1. */
  commitmentStart: Int32Array;
  /** The protected partner k of each commitment j → k. */
  commitmentPartner: Int32Array;
  commitmentKind: Uint8Array;
  /** 1 when the alliance carries the nonprovocation clause. */
  commitmentNonprovocation: Uint8Array;
  /** Reliability of each commitment; NaN means "the default of its type" (resolved per cell). */
  commitmentReliability: Float64Array;
  commitmentAlliance: Int32Array;
  /** 1 when the alliance is `conditional` (reliability × conditionalFactor). */
  commitmentConditional: Uint8Array;
  /**
   * Named adversaries of each alliance (v2): alliance a applies only while one of
   * adversaryIndex[adversaryStart[a] .. adversaryStart[a+1]-1] fights opposite the partner;
   * an empty range means no such condition.
   */
  adversaryStart: Int32Array;
  adversaryIndex: Int32Array;
  commitmentCount: number;
}

/** How a state came to be at war, as recorded per run. */
export const ENTRY_NONE = 0;
export const ENTRY_INITIAL = 1;
export const ENTRY_OBLIGATION = 2;
export const ENTRY_BORDER = 3;
export const ENTRY_BALANCING = 4;
export const ENTRY_INVASION = 5;

export type { RunOutcome } from './outcome.js';
