import {
  type AllianceType,
  type CompiledSystem,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  KIND_OFFENSE,
  type Scenario,
} from './types.js';

const KIND_OF: Record<AllianceType, number> = {
  defense: KIND_DEFENSE,
  offense: KIND_OFFENSE,
  neutrality: KIND_NEUTRALITY,
  entente: KIND_ENTENTE,
};

/**
 * Turns a validated scenario into flat typed arrays: states become indices in file order,
 * borders an adjacency list, alliances one commitment per ordered pair of members (for a
 * guarantee, guarantor → protected member only), grouped by obligor.
 */
export function compile(scenario: Scenario): CompiledSystem {
  const n = scenario.states.length;
  const index = new Map<string, number>();
  scenario.states.forEach((s, i) => index.set(s.id, i));
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`compile: unknown state id ${id} (scenario not validated?)`);
    return i;
  };

  const capability = Float64Array.from(scenario.states, (s) => s.capability);
  const greatPower = Uint8Array.from(scenario.states, (s) => (s.greatPower ? 1 : 0));
  let totalCapability = 0;
  for (let i = 0; i < n; i++) totalCapability += capability[i]!;

  const neighbours: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of scenario.borders) {
    const i = at(a);
    const j = at(b);
    if (i === j) continue;
    neighbours[i]!.add(j);
    neighbours[j]!.add(i);
  }
  const borderStart = new Int32Array(n + 1);
  const borderList: number[] = [];
  for (let i = 0; i < n; i++) {
    borderStart[i] = borderList.length;
    borderList.push(...[...neighbours[i]!].sort((x, y) => x - y));
  }
  borderStart[n] = borderList.length;

  type Edge = { obligor: number; partner: number; kind: number; nonprov: number; reliability: number; alliance: number };
  const byObligor: Edge[][] = Array.from({ length: n }, () => []);
  scenario.alliances.forEach((a, ai) => {
    const members = a.members.map(at);
    const guarantors = a.guarantors && a.guarantors.length > 0 ? new Set(a.guarantors.map(at)) : null;
    for (const j of members) {
      for (const k of members) {
        if (j === k) continue;
        if (guarantors && (!guarantors.has(j) || guarantors.has(k))) continue;
        byObligor[j]!.push({
          obligor: j,
          partner: k,
          kind: KIND_OF[a.type],
          nonprov: a.nonprovocation ? 1 : 0,
          reliability: a.reliability ?? Number.NaN,
          alliance: ai,
        });
      }
    }
  });
  const edges = byObligor.flat();
  const m = edges.length;
  const commitmentStart = new Int32Array(n + 1);
  let c = 0;
  for (let j = 0; j < n; j++) {
    commitmentStart[j] = c;
    c += byObligor[j]!.length;
  }
  commitmentStart[n] = c;

  return {
    n,
    ids: scenario.states.map((s) => s.id),
    capability,
    greatPower,
    greatPowerCount: greatPower.reduce((s, g) => s + g, 0),
    totalCapability,
    initiator: at(scenario.crisis.initiator),
    target: at(scenario.crisis.target),
    borderStart,
    borderIndex: Int32Array.from(borderList),
    commitmentStart,
    commitmentPartner: Int32Array.from(edges, (e) => e.partner),
    commitmentKind: Uint8Array.from(edges, (e) => e.kind),
    commitmentNonprovocation: Uint8Array.from(edges, (e) => e.nonprov),
    commitmentReliability: Float64Array.from(edges, (e) => e.reliability),
    commitmentAlliance: Int32Array.from(edges, (e) => e.alliance),
    commitmentCount: m,
  };
}
