import { type CompiledSystem, KIND_NEUTRALITY, KIND_NONAGGRESSION, KIND_OFFENSE } from './types.js';

/**
 * MODEL.md section 0: the initiator's expected chance of prevailing, w. It looks one move
 * ahead: with only A and B at war (B attacked, A the provoker), state j is expected on side s
 * with probability π_s(j) = [1 − Π_{T_s}(1 − r)] · Π_{T_other}(1 − r) · o_s(j), where T_s are
 * j's commitments that would be triggered toward side s and o_s(j) the chance that no
 * neutrality or non-aggression commitment of j closes side s. Then
 * E_s = C_(A or B) + Σ π_s(j) C_j and w = E_1^κ / (E_1^κ + E_2^κ), ½ when both are 0.
 *
 * `reliability` is per commitment, conditionalFactor already applied (Simulator.load).
 * Choice: a pact with named adversaries counts only if one of them is the state on the other
 * side of the crisis (B for a promise to A, A for a promise to B): only A and B are at war.
 */
export function expectedChanceOfPrevailing(
  sys: CompiledSystem,
  reliability: Float64Array,
  decisiveness: number,
): number {
  const A = sys.initiator;
  const B = sys.target;
  const cap = sys.capability;
  let e1 = cap[A]!;
  let e2 = cap[B]!;
  for (let j = 0; j < sys.n; j++) {
    if (j === A || j === B) continue;
    // none1/none2: chance that none of j's triggered promises toward side 1/2 is kept;
    // open1/open2: chance that no binding neutrality promise closes side 1/2.
    let none1 = 1;
    let none2 = 1;
    let open1 = 1;
    let open2 = 1;
    let any = false;
    for (let c = sys.commitmentStart[j]!; c < sys.commitmentStart[j + 1]!; c++) {
      const k = sys.commitmentPartner[c]!;
      if (k !== A && k !== B) continue;
      if (!adversaryAtWar(sys, c, k === A ? B : A)) continue;
      const kind = sys.commitmentKind[c]!;
      const keep = 1 - reliability[c]!;
      if (kind === KIND_NEUTRALITY || kind === KIND_NONAGGRESSION) {
        if (sys.commitmentNonprovocation[c] === 1 && k === A) continue;
        // A promise not to fight k closes the side opposite k.
        if (k === A) open2 *= keep;
        else open1 *= keep;
        any = true;
        continue;
      }
      // Only B is attacked, so defense and entente promises are triggered toward B only.
      if (kind !== KIND_OFFENSE && k === A) continue;
      if (k === A) none1 *= keep;
      else none2 *= keep;
      any = true;
    }
    if (!any) continue;
    e1 += (1 - none1) * none2 * open1 * cap[j]!;
    e2 += (1 - none2) * none1 * open2 * cap[j]!;
  }
  return prevailChance(e1, e2, decisiveness);
}

/** C_1^κ / (C_1^κ + C_2^κ), ½ when both are 0 (MODEL.md sections 0 and 7). */
export function prevailChance(c1: number, c2: number, kappa: number): number {
  if (c1 === 0 && c2 === 0) return 0.5;
  if (kappa === 1) return c1 / (c1 + c2);
  const a = c1 ** kappa;
  const b = c2 ** kappa;
  return a + b > 0 ? a / (a + b) : 0.5;
}

/** Whether commitment c's pact has no named adversaries, or names `enemy`. */
function adversaryAtWar(sys: CompiledSystem, c: number, enemy: number): boolean {
  const a = sys.commitmentAlliance[c]!;
  const from = sys.adversaryStart[a]!;
  const to = sys.adversaryStart[a + 1]!;
  if (from === to) return true;
  for (let x = from; x < to; x++) if (sys.adversaryIndex[x] === enemy) return true;
  return false;
}
