/**
 * Which states a run of the model could bring into a war at all: the backtest's way to tell a
 * predicted chance of exactly 0 that is only rare (a long chain the runs did not hit) from
 * one that no path of the model can give (MODEL.md, sections 1–4).
 */
import { promises } from '../model/compile.js';
import type { ModelParams, Scenario } from '../model/types.js';

/**
 * The states some sequence of the model's paths could bring into the war, from the two
 * initial belligerents: a promise of defense, offense or entente with a chance above 0 of being
 * kept to a state that can be at war (and, with named adversaries, one of them able to be at
 * war); a land border with such a state while the border or invasion hazard is above 0; and,
 * for a great power, balancing while the states that can be at war hold more than
 * `hegemonyShare` of the system's capability. Sides, triggers, closed sides and the number of
 * steps are ignored, so the set is never smaller than the truth: a state outside it cannot
 * enter in any run.
 */
export function reachableStates(scenario: Scenario, params: ModelParams): Set<string> {
  const reached = new Set([scenario.crisis.initiator, scenario.crisis.target]);
  const capability = new Map(scenario.states.map((s) => [s.id, s.capability]));
  let total = 0;
  for (const s of scenario.states) total += s.capability;
  const neighbours = new Map<string, string[]>();
  for (const [a, b] of scenario.borders) {
    neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), a]);
  }
  const entry = scenario.alliances.filter((a) => {
    if (a.type !== 'defense' && a.type !== 'offense' && a.type !== 'entente') return false;
    const r = (a.reliability ?? params.reliability[a.type]) * (a.conditional ? params.conditionalFactor : 1);
    return r > 0;
  });
  for (let changed = true; changed; ) {
    changed = false;
    let atWar = 0;
    for (const id of reached) atWar += capability.get(id) ?? 0;
    for (const s of scenario.states) {
      if (reached.has(s.id)) continue;
      const byTreaty = entry.some(
        (a) =>
          a.members.includes(s.id) &&
          (a.adversaries === undefined || a.adversaries.some((x) => reached.has(x))) &&
          a.members.some((k) => reached.has(k) && promises(a, s.id, k)),
      );
      const byBorder =
        (params.borderHazard > 0 || params.invasionHazard > 0) &&
        (neighbours.get(s.id) ?? []).some(
          (i) => reached.has(i) && (params.borderHazard > 0 || (capability.get(i) ?? 0) > 0),
        );
      const byBalancing =
        s.greatPower && params.balanceHazard > 0 && atWar > params.hegemonyShare * total && total > 0;
      if (byTreaty || byBorder || byBalancing) {
        reached.add(s.id);
        changed = true;
      }
    }
  }
  return reached;
}
