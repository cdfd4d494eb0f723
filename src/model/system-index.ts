/**
 * What the simulator derives from a compiled system once per (system, parameters), so that a
 * run only looks things up: each commitment's rule as bits, who is obliged to whom (reverse
 * CSR), who watches a named adversary, and per border entry its mirror, invasion chance and
 * the neighbour's promises not to fight.
 */
import {
  type CompiledSystem,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  KIND_NONAGGRESSION,
} from './types.js';

// Each commitment's rule (section 1), as bits: when it binds, and its terms.
/** Offense: binds once the partner is at war. */
export const RULE_OFFENSE = 0;
/** Defense or entente: binds once the partner is attacked. */
export const RULE_ON_ATTACK = 1;
/** Neutrality or non-aggression: a promise not to fight, binding while the partner is at war. */
export const RULE_NOT_TO_FIGHT = 2;
/** The bits above. */
export const RULE_KIND = 3;
/** Nonprovocation toward the initiator: never binds for this crisis. */
export const RULE_PROVOKER = 4;
/** The pact names adversaries: binds only while one fights opposite the partner. */
export const RULE_CONDITIONED = 8;

/** Neutrality and non-aggression: promises not to fight the partner (binding while it is at war). */
export function promisesNotToFight(kind: number): boolean {
  return kind === KIND_NEUTRALITY || kind === KIND_NONAGGRESSION;
}

/** Fills rule[c] with commitment c's RULE_* bits; returns whether any binds on attack (defense, entente). */
export function commitmentRules(sys: CompiledSystem, rule: Uint8Array): boolean {
  let onAttack = false;
  for (let c = 0; c < sys.commitmentCount; c++) {
    const kind = sys.commitmentKind[c]!;
    let r = RULE_OFFENSE;
    if (kind === KIND_DEFENSE || kind === KIND_ENTENTE) {
      onAttack = true;
      r = RULE_ON_ATTACK;
    } else if (promisesNotToFight(kind)) r = RULE_NOT_TO_FIGHT;
    if (sys.commitmentNonprovocation[c] === 1 && sys.commitmentPartner[c] === sys.initiator)
      r |= RULE_PROVOKER;
    const a = sys.commitmentAlliance[c]!;
    if (sys.adversaryStart[a + 1]! > sys.adversaryStart[a]!) r |= RULE_CONDITIONED;
    rule[c] = r;
  }
  return onAttack;
}

/**
 * Reverse index: for each state k, the commitments j → k, list[start[k] .. start[k+1]-1], and
 * beside each its obligor j in `obligors` (read in the same order as the list). `scratch` holds
 * at least n numbers.
 */
export function indexObligors(
  sys: CompiledSystem,
  start: Int32Array,
  list: Int32Array,
  obligors: Int32Array,
  scratch: Int32Array,
): void {
  const n = sys.n;
  start.fill(0, 0, n + 1);
  for (let c = 0; c < sys.commitmentCount; c++) start[sys.commitmentPartner[c]! + 1]!++;
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  scratch.set(start.subarray(0, n));
  for (let j = 0; j < n; j++) {
    for (let c = sys.commitmentStart[j]!; c < sys.commitmentStart[j + 1]!; c++) {
      const x = scratch[sys.commitmentPartner[c]!]!++;
      list[x] = c;
      obligors[x] = j;
    }
  }
}

/**
 * For each state x, the obligors of commitments whose pact names x as an adversary: the
 * returned list from start[x] to start[x+1]-1.
 */
export function indexAdversaryWatchers(sys: CompiledSystem, start: Int32Array): Int32Array {
  const n = sys.n;
  start.fill(0, 0, n + 1);
  if (sys.adversaryIndex.length === 0) return EMPTY;
  const each = (visit: (x: number, j: number) => void) => {
    for (let j = 0; j < n; j++) {
      for (let c = sys.commitmentStart[j]!; c < sys.commitmentStart[j + 1]!; c++) {
        const a = sys.commitmentAlliance[c]!;
        for (let x = sys.adversaryStart[a]!; x < sys.adversaryStart[a + 1]!; x++)
          visit(sys.adversaryIndex[x]!, j);
      }
    }
  };
  each((x) => start[x + 1]!++);
  for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
  const list = new Int32Array(start[n]!);
  const fill = start.slice(0, n);
  each((x, j) => {
    list[fill[x]!++] = j;
  });
  return list;
}

const EMPTY = new Int32Array(0);

/** Per border entry b (j's neighbour i, in the system's borderIndex). */
export interface BorderIndex {
  /** The entry of i whose neighbour is j. */
  mirror: Int32Array;
  /** invasionHazard · C_i / (C_i + C_j), 0 for a total of 0. */
  invasionChance: Float64Array;
  /** i's neutrality and non-aggression commitments to j: promiseList[promiseStart[b] .. promiseStart[b+1]-1], in commitment order. */
  promiseStart: Int32Array;
  promiseList: Int32Array;
}

/**
 * The border index of `sys`, in `reuse`'s arrays where they are large enough (compile lists
 * every border both ways, so every entry has a mirror).
 */
export function indexBorders(sys: CompiledSystem, invasionHazard: number, reuse?: BorderIndex): BorderIndex {
  const entries = sys.borderIndex.length;
  const start = sys.borderStart;
  const neighbour = sys.borderIndex;
  const cap = sys.capability;
  const big = reuse !== undefined && reuse.mirror.length >= entries;
  const mirror = big ? reuse.mirror : new Int32Array(entries);
  const invasionChance = big ? reuse.invasionChance : new Float64Array(entries);
  const promiseStart = big ? reuse.promiseStart : new Int32Array(entries + 1);
  promiseStart.fill(0, 0, entries + 1);
  const promisedTo = (i: number, j: number, visit: (c: number) => void) => {
    for (let c = sys.commitmentStart[i]!; c < sys.commitmentStart[i + 1]!; c++)
      if (sys.commitmentPartner[c] === j && promisesNotToFight(sys.commitmentKind[c]!)) visit(c);
  };
  for (let j = 0; j < sys.n; j++) {
    for (let b = start[j]!; b < start[j + 1]!; b++) {
      const i = neighbour[b]!;
      let m = -1;
      for (let e = start[i]!; e < start[i + 1]!; e++) if (neighbour[e] === j) m = e;
      if (m < 0) throw new Error(`border ${j}-${i} is listed one way only`);
      mirror[b] = m;
      const total = cap[i]! + cap[j]!;
      invasionChance[b] = total > 0 ? (invasionHazard * cap[i]!) / total : 0;
      promisedTo(i, j, () => promiseStart[b + 1]!++);
    }
  }
  for (let b = 0; b < entries; b++) promiseStart[b + 1]! += promiseStart[b]!;
  const promiseList = new Int32Array(promiseStart[entries]!);
  for (let j = 0; j < sys.n; j++) {
    for (let b = start[j]!; b < start[j + 1]!; b++) {
      let x = promiseStart[b]!;
      promisedTo(neighbour[b]!, j, (c) => {
        promiseList[x++] = c;
      });
    }
  }
  return { mirror, invasionChance, promiseStart, promiseList };
}
