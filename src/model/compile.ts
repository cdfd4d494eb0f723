import {
  type Alliance,
  type AllianceType,
  type CompiledSystem,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  KIND_NONAGGRESSION,
  KIND_OFFENSE,
  type Scenario,
} from './types.js';

const KIND_OF: Record<AllianceType, number> = {
  defense: KIND_DEFENSE,
  offense: KIND_OFFENSE,
  neutrality: KIND_NEUTRALITY,
  nonaggression: KIND_NONAGGRESSION,
  entente: KIND_ENTENTE,
};

/**
 * Whether member `obligor` of an alliance promises member `partner` (MODEL.md, Alliances): every
 * ordered pair of distinct members, or for a guarantee only guarantor → protected member. The
 * one place that says who promises whom (compile and the backtest's naive rule use it).
 */
export function promises(alliance: Pick<Alliance, 'guarantors'>, obligor: string, partner: string): boolean {
  if (obligor === partner) return false;
  const g = alliance.guarantors;
  return g === undefined || g.length === 0 || (g.includes(obligor) && !g.includes(partner));
}

/**
 * Turns a validated scenario into flat typed arrays: states become indices in file order,
 * borders an adjacency list, alliances one commitment per ordered pair of members (for a
 * guarantee, guarantor → protected member only), grouped by obligor.
 */
export function compile(scenario: Scenario): CompiledSystem {
  const n = scenario.states.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(scenario.states[i]!.id, i);
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`compile: unknown state id ${id} (scenario not validated?)`);
    return i;
  };

  const capability = new Float64Array(n);
  const greatPower = new Uint8Array(n);
  let totalCapability = 0;
  let greatPowerCount = 0;
  for (let i = 0; i < n; i++) {
    const s = scenario.states[i]!;
    capability[i] = s.capability;
    totalCapability += s.capability;
    if (s.greatPower) {
      greatPower[i] = 1;
      greatPowerCount++;
    }
  }

  // Borders: both directions, then sorted per state and de-duplicated (CSR layout).
  const pairs = scenario.borders;
  const degree = new Int32Array(n + 1);
  const ends = new Int32Array(pairs.length * 2);
  for (let p = 0; p < pairs.length; p++) {
    const i = at(pairs[p]![0]);
    const j = at(pairs[p]![1]);
    ends[2 * p] = i;
    ends[2 * p + 1] = j;
    if (i === j) continue;
    degree[i + 1]!++;
    degree[j + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const raw = new Int32Array(degree[n]!);
  const fill = degree.slice(0, n);
  for (let p = 0; p < pairs.length; p++) {
    const i = ends[2 * p]!;
    const j = ends[2 * p + 1]!;
    if (i === j) continue;
    raw[fill[i]!++] = j;
    raw[fill[j]!++] = i;
  }
  const borderStart = new Int32Array(n + 1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    borderStart[i] = kept;
    const row = raw.subarray(degree[i]!, degree[i + 1]!).sort();
    for (let x = 0; x < row.length; x++) if (x === 0 || row[x] !== row[x - 1]) raw[kept++] = row[x]!;
  }
  borderStart[n] = kept;

  // Commitments: count per obligor, then fill in alliance order (CSR layout).
  const alliances = scenario.alliances;
  const memberIndex = alliances.map((a) => a.members.map(at));
  const promised = (ai: number, x: number, y: number): boolean =>
    promises(alliances[ai]!, alliances[ai]!.members[x]!, alliances[ai]!.members[y]!);
  const commitmentStart = new Int32Array(n + 1);
  for (let ai = 0; ai < alliances.length; ai++) {
    const members = memberIndex[ai]!;
    for (let x = 0; x < members.length; x++) {
      for (let y = 0; y < members.length; y++) if (promised(ai, x, y)) commitmentStart[members[x]! + 1]!++;
    }
  }
  for (let j = 0; j < n; j++) commitmentStart[j + 1]! += commitmentStart[j]!;
  const m = commitmentStart[n]!;
  const commitmentPartner = new Int32Array(m);
  const commitmentKind = new Uint8Array(m);
  const commitmentNonprovocation = new Uint8Array(m);
  const commitmentReliability = new Float64Array(m);
  const commitmentAlliance = new Int32Array(m);
  const commitmentConditional = new Uint8Array(m);
  const next = commitmentStart.slice(0, n);
  for (let ai = 0; ai < alliances.length; ai++) {
    const a = alliances[ai]!;
    const members = memberIndex[ai]!;
    const kind = KIND_OF[a.type];
    const reliability = a.reliability ?? Number.NaN;
    for (let x = 0; x < members.length; x++) {
      for (let y = 0; y < members.length; y++) {
        if (!promised(ai, x, y)) continue;
        const c = next[members[x]!]!++;
        commitmentPartner[c] = members[y]!;
        commitmentKind[c] = kind;
        commitmentNonprovocation[c] = a.nonprovocation ? 1 : 0;
        commitmentReliability[c] = reliability;
        commitmentAlliance[c] = ai;
        commitmentConditional[c] = a.conditional ? 1 : 0;
      }
    }
  }

  // Named adversaries per alliance (CSR by alliance index).
  const adversaryStart = new Int32Array(alliances.length + 1);
  for (let ai = 0; ai < alliances.length; ai++)
    adversaryStart[ai + 1] = adversaryStart[ai]! + (alliances[ai]!.adversaries?.length ?? 0);
  const adversaryIndex = new Int32Array(adversaryStart[alliances.length]!);
  for (let ai = 0; ai < alliances.length; ai++)
    (alliances[ai]!.adversaries ?? []).forEach((id, x) => {
      adversaryIndex[adversaryStart[ai]! + x] = at(id);
    });

  return {
    n,
    ids: scenario.states.map((s) => s.id),
    capability,
    greatPower,
    greatPowerCount,
    totalCapability,
    initiator: at(scenario.crisis.initiator),
    target: at(scenario.crisis.target),
    borderStart,
    borderIndex: raw.slice(0, kept),
    commitmentStart,
    commitmentPartner,
    commitmentKind,
    commitmentNonprovocation,
    commitmentReliability,
    commitmentAlliance,
    commitmentConditional,
    adversaryStart,
    adversaryIndex,
    commitmentCount: m,
  };
}
