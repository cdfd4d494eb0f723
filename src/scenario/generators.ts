/**
 * The `blocs` generator of MODEL.md ("Systems: tight and loose"): comparable state systems made
 * from a few numbers, from two rigid blocs (tightness 1, Europe 1914) to a loose web of
 * conditional, overlapping and cross-cutting ties (tightness 0).
 *
 * Geography. States S01..SNN sit on a ring, each bordering the two nearest states on either
 * side (4 neighbours), so contagion spreads along the ring. The ring is cut into `blocs`
 * contiguous regions of near-equal size (region r starts at floor(r·N/B)); a state that joins a
 * bloc joins its region's bloc, so blocs are contiguous and meet at frontiers.
 *
 * Crisis. The initiator is the last state of region 1 and the target the first state of region
 * 2: two minor states facing each other across the frontier between blocs 1 and 2. Both always
 * belong to their blocs.
 *
 * Great powers. Great power k goes to region k mod B (skipping full regions), spread evenly
 * over the region's positions other than the crisis states. They always belong to their bloc
 * (they are its core) and get the `greatPowers` largest capability draws, shuffled among them.
 *
 * With τ = tightness, in this order of draws (one stream, so a seed fixes the system;
 * probabilities 0 and 1 consume no draw):
 * - capabilities: N iid draws; the G largest go to the great powers and the others to the
 *   minor states, each group in draw order over its positions (the draws are exchangeable, so
 *   each great power is equally likely to get any of the G largest); scaled to sum to 1 and
 *   rounded to 6 significant digits;
 * - membership: each other minor state joins its region's bloc with probability 0.3 + 0.7τ;
 * - bloc pacts: each pair i < j (state order) in the same bloc is allied with probability
 *   0.2 + 0.8τ, by a `defense` pact with probability 0.4 + 0.6τ, otherwise an `entente`;
 * - cross-cutting ties: each pair not in the same bloc (different blocs, or either unaligned)
 *   is tied with probability 1.5·(1 − τ)/(N − 1) (about 1.5·(1 − τ) ties per state at most),
 *   by a `neutrality` pact or an `entente` with equal probability (drawn by geometric skips
 *   over these pairs, which is the same distribution as one draw per pair, with fewer draws);
 * - every defense or entente pact carries `nonprovocation` with probability 0.6·(1 − τ);
 * - explicit reliability (unless `reliability: false`): defense 0.55 + 0.4τ (0.55 → 0.95),
 *   entente 0.3 + 0.4τ (0.3 → 0.7); both equal the model's defaults (0.75, 0.5) at τ = 0.5.
 *   Neutrality pacts never trigger, so they get none. Explicit values override the
 *   reliability.* parameters: a sweep over those needs `reliability: false`.
 * So τ = 1 gives every state in a bloc, every within-bloc pair allied by a defense pact without
 * nonprovocation (reliability 0.95) and no tie across blocs; τ = 0 leaves about half the states
 * unaligned, a fifth of within-bloc pairs allied, mostly by conditional ententes, and about
 * 1.5 cross-cutting ties per state.
 */
import { RunRng, STREAM_SYSTEM } from '../model/rng.js';
import {
  type Alliance,
  type AllianceType,
  type CompiledSystem,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  type Scenario,
  type State,
} from '../model/types.js';

/** How capabilities are drawn before scaling to shares: Pareto (x_m = 1), uniform on (0, 1], or all equal. */
export type CapabilitySpec =
  | { distribution: 'pareto'; shape?: number }
  | { distribution: 'uniform' }
  | { distribution: 'equal' };

/** A `blocs` scenario entry of an experiment file, or the options of `entangle generate blocs`. */
export interface BlocsSpec {
  generator: 'blocs';
  states: number;
  /** Number of blocs (regions); default 2. */
  blocs?: number;
  /** Default round(states / 5), at most states − 2. */
  greatPowers?: number;
  /** Default Pareto with shape 1.5; a bare name means that distribution with its defaults. */
  capability?: CapabilitySpec | CapabilitySpec['distribution'];
  tightness: number;
  /** Seed of the fixed system; default DEFAULT_SYSTEM_SEED. Ignored when perRun. */
  systemSeed?: number;
  /** Draw a new system for every run (from the run's own SYSTEM stream). */
  perRun?: boolean;
  /** False leaves pacts without explicit reliability, so the reliability.* parameters apply. */
  reliability?: boolean;
  name?: string;
}

/** The system seed used when a spec names none. */
export const DEFAULT_SYSTEM_SEED = 1;
/** Default shape of the Pareto capability distribution (heavy-tailed, as real capability shares are). */
export const DEFAULT_PARETO_SHAPE = 1.5;
/** Largest `states` accepted: generation visits every pair of states. */
export const MAX_GENERATED_STATES = 2000;

/** The default number of great powers for `states` states. */
export function defaultGreatPowers(states: number): number {
  return Math.max(0, Math.min(states - 2, Math.round(states / 5)));
}

/** The parts of a generated system fixed by (states, blocs, great powers): built once, shared. */
interface Layout {
  n: number;
  blocs: number;
  greatPowers: number;
  ids: string[];
  names: string[];
  /** Region (bloc if aligned) of each state. */
  region: Int32Array;
  /** 1 for great powers, 2 for the crisis states (both always aligned), 0 otherwise. */
  role: Uint8Array;
  greatPowerPositions: Int32Array;
  minorPositions: Int32Array;
  initiator: number;
  target: number;
  borders: [string, string][];
  /** The same as compile() derives: 1 for great powers; borders as CSR, neighbours ascending. */
  greatPower: Uint8Array;
  borderStart: Int32Array;
  borderIndex: Int32Array;
  /** Alliance names by i·n + j, filled as used (null for large n, where names are built each time). */
  pairNames: (string | undefined)[] | null;
  /** Bloc membership as CSR: members of bloc b are blocMembers[blocStart[b] .. blocStart[b+1]-1]. */
  blocStart: Int32Array;
  blocMembers: Int32Array;
  /** Position of each aligned state in blocMembers. */
  blocRank: Int32Array;
  /** Backing store of generateBlocsCompiled's results when reused. */
  outBuffer: ArrayBuffer;
  /** Scratch space for one generation (callers are single-threaded). */
  draws: Float64Array;
  sorted: Float64Array;
  share: Float64Array;
  bloc: Int32Array;
  fill: Int32Array;
  pactA: Int32Array;
  pactB: Int32Array;
  pactKind: Uint8Array;
  pactNonprovocation: Uint8Array;
}

const layoutCache = new Map<string, Layout>();
const layoutBySpec = new WeakMap<object, Layout>();

function layoutFor(n: number, blocs: number, greatPowers: number): Layout {
  const key = `${n}/${blocs}/${greatPowers}`;
  let layout = layoutCache.get(key);
  if (layout === undefined) {
    layout = buildLayout(n, blocs, greatPowers);
    // Sweeps over many sizes should not grow the cache without bound.
    if (layoutCache.size >= 64) layoutCache.clear();
    layoutCache.set(key, layout);
  }
  return layout;
}

function buildLayout(n: number, blocs: number, greatPowers: number): Layout {
  if (!Number.isInteger(n) || n < 4)
    throw new RangeError(`blocs generator: states must be an integer >= 4, got ${n}`);
  if (!Number.isInteger(blocs) || blocs < 2 || blocs * 2 > n)
    throw new RangeError(`blocs generator: bad blocs ${blocs} for ${n} states`);
  if (!Number.isInteger(greatPowers) || greatPowers < 0 || greatPowers > n - 2) {
    throw new RangeError(`blocs generator: bad greatPowers ${greatPowers} for ${n} states`);
  }
  const width = Math.max(2, String(n).length);
  const ids = Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(width, '0')}`);
  const names = Array.from({ length: n }, (_, i) => `State ${i + 1}`);
  const start = Array.from({ length: blocs + 1 }, (_, r) => Math.floor((r * n) / blocs));
  const region = new Int32Array(n);
  for (let r = 0; r < blocs; r++) for (let i = start[r]!; i < start[r + 1]!; i++) region[i] = r;
  const initiator = start[1]! - 1;
  const target = start[1]!;
  const role = new Uint8Array(n);
  role[initiator] = 2;
  role[target] = 2;

  // Round-robin over regions, skipping those without room left.
  const candidates = start.slice(0, blocs).map((s, r) => {
    const out: number[] = [];
    for (let i = s; i < start[r + 1]!; i++) if (role[i] === 0) out.push(i);
    return out;
  });
  const perRegion = new Array<number>(blocs).fill(0);
  for (let k = 0, r = 0; k < greatPowers; r = (r + 1) % blocs) {
    if (perRegion[r]! < candidates[r]!.length) {
      perRegion[r]!++;
      k++;
    }
  }
  const gp: number[] = [];
  for (let r = 0; r < blocs; r++) {
    const c = candidates[r]!;
    const g = perRegion[r]!;
    for (let i = 0; i < g; i++) gp.push(c[Math.floor(((i + 0.5) * c.length) / g)]!);
  }
  gp.sort((a, b) => a - b);
  for (const i of gp) role[i] = 1;
  const minor: number[] = [];
  for (let i = 0; i < n; i++) if (role[i] !== 1) minor.push(i);

  const seen = new Set<number>();
  const borders: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    for (const d of [1, 2]) {
      const j = (i + d) % n;
      const a = Math.min(i, j);
      const b = Math.max(i, j);
      if (a === b || seen.has(a * n + b)) continue;
      seen.add(a * n + b);
      borders.push(Object.freeze([ids[a]!, ids[b]!]) as [string, string]);
    }
  }
  borders.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  Object.freeze(borders);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const key of seen) {
    const a = Math.floor(key / n);
    const b = key % n;
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  const borderStart = new Int32Array(n + 1);
  const borderList: number[] = [];
  for (let i = 0; i < n; i++) {
    borderStart[i] = borderList.length;
    borderList.push(...neighbours[i]!.sort((x, y) => x - y));
  }
  borderStart[n] = borderList.length;
  const greatPower = new Uint8Array(n);
  for (const i of gp) greatPower[i] = 1;
  const pactCapacity = 4 * n;

  return {
    n,
    blocs,
    greatPowers,
    ids,
    names,
    region,
    role,
    greatPowerPositions: Int32Array.from(gp),
    minorPositions: Int32Array.from(minor),
    initiator,
    target,
    borders,
    greatPower,
    borderStart,
    borderIndex: Int32Array.from(borderList),
    pairNames: n <= 256 ? new Array<string | undefined>(n * n) : null,
    draws: new Float64Array(n),
    sorted: new Float64Array(n),
    share: new Float64Array(n),
    bloc: new Int32Array(n),
    fill: new Int32Array(n),
    pactA: new Int32Array(pactCapacity),
    pactB: new Int32Array(pactCapacity),
    pactKind: new Uint8Array(pactCapacity),
    pactNonprovocation: new Uint8Array(pactCapacity),
    outBuffer: new ArrayBuffer(0),
    blocStart: new Int32Array(blocs + 1),
    blocMembers: new Int32Array(n),
    blocRank: new Int32Array(n),
  };
}

const POW10 = Float64Array.from({ length: 23 }, (_, e) => 10 ** e);

/** Rounds a share to 6 significant digits, so generated files stay readable and reproduce the system exactly. */
function round6(x: number): number {
  if (!(x > 0 && x <= 1)) return x;
  let e = 5;
  while (e < 22 && x * POW10[e]! < 1e5) e++;
  return Math.round(x * POW10[e]!) / POW10[e]!;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** The k-th largest of `values` (1 <= k <= length), using `scratch` (at least as long) as workspace. */
function kthLargest(values: Float64Array, k: number, scratch: Float64Array): number {
  const n = values.length;
  if (n > 64) {
    scratch.set(values);
    scratch.sort();
    return scratch[n - k]!;
  }
  // The k largest so far, ascending in scratch[0 .. k-1]: for the few dozen states of a typical
  // system, far fewer moves than sorting everything (most draws fall below scratch[0]).
  for (let i = 0; i < k; i++) {
    const x = values[i]!;
    let j = i - 1;
    while (j >= 0 && scratch[j]! > x) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = x;
  }
  for (let i = k; i < n; i++) {
    const x = values[i]!;
    if (x <= scratch[0]!) continue;
    let j = 1;
    while (j < k && scratch[j]! < x) {
      scratch[j - 1] = scratch[j]!;
      j++;
    }
    scratch[j - 1] = x;
  }
  return scratch[0]!;
}

/** The τ-dependent probabilities and reliabilities of the generator (see the module comment). */
export function blocsRates(tightness: number, states: number) {
  const t = tightness;
  // Written as 1 − c·(1 − τ) so that τ = 1 gives exactly 1 (certain, and no draw).
  return {
    inBloc: 1 - 0.7 * (1 - t),
    withinAllied: 1 - 0.8 * (1 - t),
    defense: 1 - 0.6 * (1 - t),
    nonprovocation: 0.6 * (1 - t),
    crossTie: Math.min(1, (1.5 * (1 - t)) / (states - 1)),
    crossNeutrality: 0.5,
    reliabilityDefense: round4(0.55 + 0.4 * t),
    reliabilityEntente: round4(0.3 + 0.4 * t),
  };
}

/** True with probability p; probabilities 0 and 1 consume no draw, so τ = 1 systems are cheap. */
function chance(p: number, rng: RunRng): boolean {
  if (p >= 1) return true;
  if (p <= 0) return false;
  return rng.uniform() < p;
}

/** Failures before the next success of Bernoulli(p) trials, 0 < p < 1, given log1p(−p). */
function geometricSkip(log1mp: number, rng: RunRng): number {
  const k = Math.floor(Math.log(1 - rng.uniform()) / log1mp);
  return Math.min(k, 0x3fffffff);
}

function growPacts(layout: Layout): void {
  const size = layout.pactA.length * 2;
  const a = new Int32Array(size);
  a.set(layout.pactA);
  const b = new Int32Array(size);
  b.set(layout.pactB);
  const kind = new Uint8Array(size);
  kind.set(layout.pactKind);
  const np = new Uint8Array(size);
  np.set(layout.pactNonprovocation);
  layout.pactA = a;
  layout.pactB = b;
  layout.pactKind = kind;
  layout.pactNonprovocation = np;
}

function pushPact(
  layout: Layout,
  m: number,
  a: number,
  b: number,
  kind: number,
  nonprovocation: boolean,
): void {
  if (m === layout.pactA.length) growPacts(layout);
  layout.pactA[m] = a;
  layout.pactB[m] = b;
  layout.pactKind[m] = kind;
  layout.pactNonprovocation[m] = nonprovocation ? 1 : 0;
}

function layoutOf(spec: BlocsSpec): Layout {
  let layout = layoutBySpec.get(spec);
  const n = spec.states;
  const blocs = spec.blocs ?? 2;
  const g = spec.greatPowers ?? defaultGreatPowers(n);
  if (layout === undefined || layout.n !== n || layout.blocs !== blocs || layout.greatPowers !== g) {
    layout = layoutFor(n, blocs, g);
    layoutBySpec.set(spec, layout);
  }
  return layout;
}

/**
 * Makes every draw of one system into the layout's scratch arrays (shares, bloc, pacts) and
 * returns the number of pacts: bloc pacts first, then cross-cutting ties, each in pair order.
 */
function drawSystem(spec: BlocsSpec, rng: RunRng, layout: Layout): number {
  const t = spec.tightness;
  if (!(t >= 0 && t <= 1)) throw new RangeError(`blocs generator: tightness must be in [0, 1], got ${t}`);
  const n = layout.n;
  const g = layout.greatPowers;
  const rates = blocsRates(t, n);
  const { region, role, draws, bloc, share } = layout;

  // Capabilities: the g largest draws go to the great powers. The draws are exchangeable, so
  // keeping their draw order within each group (a stable partition) is as good as shuffling.
  const cap = spec.capability ?? 'pareto';
  const dist = typeof cap === 'string' ? cap : cap.distribution;
  const gpPos = layout.greatPowerPositions;
  const minorPos = layout.minorPositions;
  if (dist === 'equal') {
    share.fill(round6(1 / n));
  } else {
    const shape =
      typeof cap === 'object' && cap.distribution === 'pareto'
        ? (cap.shape ?? DEFAULT_PARETO_SHAPE)
        : DEFAULT_PARETO_SHAPE;
    const inverseShape = -1 / shape;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const u = 1 - rng.uniform(); // in (0, 1]
      // exp(log u / −α) rather than u ** (−1/α): V8's pow is twice as slow, and this runs per run.
      const x = dist === 'pareto' ? Math.exp(Math.log(u) * inverseShape) : u;
      draws[i] = x;
      total += x;
    }
    let threshold = Number.POSITIVE_INFINITY;
    let ties = 0;
    if (g > 0) {
      threshold = kthLargest(draws, g, layout.sorted);
      ties = g;
      for (let i = 0; i < n; i++) if (draws[i]! > threshold) ties--;
    }
    let gi = 0;
    let mi = 0;
    for (let i = 0; i < n; i++) {
      const x = draws[i]!;
      const toGreatPower = x > threshold || (x === threshold && ties-- > 0);
      share[toGreatPower ? gpPos[gi++]! : minorPos[mi++]!] = round6(x / total);
    }
  }

  for (let i = 0; i < n; i++) bloc[i] = role[i] !== 0 || chance(rates.inBloc, rng) ? region[i]! : -1;

  // Members of each bloc in state order (CSR), so bloc pacts visit only pairs inside blocs.
  const { blocStart, blocMembers, blocRank } = layout;
  const blocs = layout.blocs;
  blocStart.fill(0);
  for (let i = 0; i < n; i++) if (bloc[i]! >= 0) blocStart[bloc[i]! + 1]!++;
  for (let b = 0; b < blocs; b++) blocStart[b + 1]! += blocStart[b]!;
  for (let b = 0; b < blocs; b++) layout.fill[b] = blocStart[b]!;
  for (let i = 0; i < n; i++) {
    const b = bloc[i]!;
    if (b < 0) continue;
    blocRank[i] = layout.fill[b]!;
    blocMembers[layout.fill[b]!++] = i;
  }

  let m = 0;
  for (let i = 0; i < n - 1; i++) {
    const bi = bloc[i]!;
    if (bi < 0) continue;
    const end = blocStart[bi + 1]!;
    for (let k = blocRank[i]! + 1; k < end; k++) {
      if (!chance(rates.withinAllied, rng)) continue;
      const kind = chance(rates.defense, rng) ? KIND_DEFENSE : KIND_ENTENTE;
      pushPact(layout, m++, i, blocMembers[k]!, kind, chance(rates.nonprovocation, rng));
    }
  }
  // Ties are rare (about 1.5 per state), so skip geometrically between them instead of drawing per pair.
  const p = rates.crossTie;
  if (p > 0) {
    const log1mp = Math.log1p(-p);
    let skip = p >= 1 ? 0 : geometricSkip(log1mp, rng);
    for (let i = 0; i < n - 1; i++) {
      const bi = bloc[i]!;
      for (let j = i + 1; j < n; j++) {
        if (bi >= 0 && bloc[j] === bi) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        const kind = chance(rates.crossNeutrality, rng) ? KIND_NEUTRALITY : KIND_ENTENTE;
        pushPact(layout, m++, i, j, kind, kind === KIND_ENTENTE && chance(rates.nonprovocation, rng));
        skip = p >= 1 ? 0 : geometricSkip(log1mp, rng);
      }
    }
  }
  return m;
}

const TYPE_OF_KIND: AllianceType[] = ['defense', 'offense', 'neutrality', 'entente'];

function pairName(layout: Layout, i: number, j: number): string {
  const cache = layout.pairNames;
  if (cache === null) return `${layout.ids[i]!}-${layout.ids[j]!}`;
  const key = i * layout.n + j;
  let name = cache[key];
  if (name === undefined) {
    name = `${layout.ids[i]!}-${layout.ids[j]!}`;
    cache[key] = name;
  }
  return name;
}

/**
 * Generates one blocs system and its crisis; every random draw comes from `rng`, so the same
 * spec and rng state give the same scenario. Assumes a valid spec (see blocsSpecSchema). The
 * `borders` array is shared between calls: treat the scenario as read-only.
 */
export function generateBlocs(spec: BlocsSpec, rng: RunRng): Scenario {
  const layout = layoutOf(spec);
  const m = drawSystem(spec, rng, layout);
  const { n, ids, names, role, share } = layout;
  const rates = blocsRates(spec.tightness, n);
  const states: State[] = new Array(n);
  for (let i = 0; i < n; i++)
    states[i] = { id: ids[i]!, name: names[i]!, capability: share[i]!, greatPower: role[i] === 1 };
  const withReliability = spec.reliability !== false;
  const alliances: Alliance[] = new Array(m);
  for (let c = 0; c < m; c++) {
    const i = layout.pactA[c]!;
    const j = layout.pactB[c]!;
    const kind = layout.pactKind[c]!;
    const alliance: Alliance = {
      name: pairName(layout, i, j),
      type: TYPE_OF_KIND[kind]!,
      members: [ids[i]!, ids[j]!],
    };
    if (withReliability && kind !== KIND_NEUTRALITY) {
      alliance.reliability = kind === KIND_DEFENSE ? rates.reliabilityDefense : rates.reliabilityEntente;
    }
    if (layout.pactNonprovocation[c] === 1) alliance.nonprovocation = true;
    alliances[c] = alliance;
  }
  return {
    name: spec.name ?? blocsName(spec),
    states,
    borders: layout.borders,
    alliances,
    crisis: { initiator: ids[layout.initiator]!, target: ids[layout.target]! },
  };
}

/**
 * generateBlocs, with each state's bloc (0-based, in state order; −1 for unaligned states),
 * which the scenario itself does not record.
 */
export function generateBlocsWithBlocs(spec: BlocsSpec, rng: RunRng): { scenario: Scenario; bloc: number[] } {
  const scenario = generateBlocs(spec, rng);
  return { scenario, bloc: Array.from(layoutOf(spec).bloc) };
}

/**
 * The same system as `compile(generateBlocs(spec, rng))`, built straight into typed arrays
 * without the intermediate objects, for per-run systems. `ids`, `greatPower` and the border
 * arrays are shared between calls: treat the result as read-only. With `reuse` the per-system
 * arrays too live in one buffer kept for systems of this size, so a run allocates no backing
 * store; the result is then valid only until the next reusing call for a spec of the same
 * states, blocs and great powers (load it into the Simulator before generating the next).
 */
export function generateBlocsCompiled(spec: BlocsSpec, rng: RunRng, reuse = false): CompiledSystem {
  const layout = layoutOf(spec);
  const m = drawSystem(spec, rng, layout);
  const n = layout.n;
  const rates = blocsRates(spec.tightness, n);
  const withReliability = spec.reliability !== false;
  const count = 2 * m;
  // One backing store for all per-system arrays: each typed array over 64 bytes would
  // otherwise get its own off-heap allocation, which costs more than filling it.
  const bytes = 8 * (n + count) + 4 * (n + 1 + 2 * count) + 2 * count;
  let buffer: ArrayBuffer;
  if (reuse) {
    if (layout.outBuffer.byteLength < bytes)
      layout.outBuffer = new ArrayBuffer(Math.max(bytes, 2 * layout.outBuffer.byteLength));
    buffer = layout.outBuffer;
  } else {
    buffer = new ArrayBuffer(bytes);
  }
  let offset = 0;
  const f64 = (length: number): Float64Array => {
    const a = new Float64Array(buffer, offset, length);
    offset += 8 * length;
    return a;
  };
  const i32 = (length: number): Int32Array => {
    const a = new Int32Array(buffer, offset, length);
    offset += 4 * length;
    return a;
  };
  const u8 = (length: number): Uint8Array => {
    const a = new Uint8Array(buffer, offset, length);
    offset += length;
    return a;
  };
  const capability = f64(n);
  const commitmentReliability = f64(count);
  const commitmentStart = i32(n + 1);
  const commitmentPartner = i32(count);
  const commitmentAlliance = i32(count);
  const commitmentKind = u8(count);
  const commitmentNonprovocation = u8(count);

  capability.set(layout.share);
  if (reuse) commitmentStart.fill(0);
  let totalCapability = 0;
  for (let i = 0; i < n; i++) totalCapability += capability[i]!;

  // compile() lists each obligor's commitments in alliance order; a bilateral pact gives one each way.
  const { pactA, pactB, pactKind, pactNonprovocation } = layout;
  for (let c = 0; c < m; c++) {
    commitmentStart[pactA[c]! + 1]!++;
    commitmentStart[pactB[c]! + 1]!++;
  }
  for (let i = 0; i < n; i++) commitmentStart[i + 1]! += commitmentStart[i]!;
  const fill = layout.fill;
  for (let i = 0; i < n; i++) fill[i] = commitmentStart[i]!;
  for (let c = 0; c < m; c++) {
    const a = pactA[c]!;
    const b = pactB[c]!;
    const kind = pactKind[c]!;
    const reliability =
      !withReliability || kind === KIND_NEUTRALITY
        ? Number.NaN
        : kind === KIND_DEFENSE
          ? rates.reliabilityDefense
          : rates.reliabilityEntente;
    for (let side = 0; side < 2; side++) {
      const obligor = side === 0 ? a : b;
      const e = fill[obligor]!++;
      commitmentPartner[e] = side === 0 ? b : a;
      commitmentKind[e] = kind;
      commitmentNonprovocation[e] = pactNonprovocation[c]!;
      commitmentReliability[e] = reliability;
      commitmentAlliance[e] = c;
    }
  }
  return {
    n,
    ids: layout.ids,
    capability,
    greatPower: layout.greatPower,
    greatPowerCount: layout.greatPowers,
    totalCapability,
    initiator: layout.initiator,
    target: layout.target,
    borderStart: layout.borderStart,
    borderIndex: layout.borderIndex,
    commitmentStart,
    commitmentPartner,
    commitmentKind,
    commitmentNonprovocation,
    commitmentReliability,
    commitmentAlliance,
    // Generated pacts carry no conditions and no named adversaries.
    commitmentConditional: new Uint8Array(count),
    adversaryStart: new Int32Array(m + 1),
    adversaryIndex: new Int32Array(0),
    commitmentCount: count,
  };
}

/** The default name of a generated system: its generator and the numbers that define it. */
export function blocsName(spec: BlocsSpec): string {
  const cap = spec.capability ?? 'pareto';
  const dist =
    typeof cap === 'string'
      ? cap
      : cap.distribution === 'pareto'
        ? `pareto ${cap.shape ?? DEFAULT_PARETO_SHAPE}`
        : cap.distribution;
  const seed = spec.perRun
    ? 'a new system every run'
    : `system seed ${spec.systemSeed ?? DEFAULT_SYSTEM_SEED}`;
  return `blocs: ${spec.states} states, ${spec.blocs ?? 2} blocs, ${spec.greatPowers ?? defaultGreatPowers(spec.states)} great powers, capability ${dist}, tightness ${spec.tightness}, ${seed}`;
}

/**
 * The system a run plays in: the fixed system of `spec.systemSeed` (the same for every cell and
 * run), or with `perRun` a fresh one from the run's SYSTEM stream of (masterSeed, cell, run).
 * Pass `rng` to reuse one generator across runs.
 */
export function systemFor(
  spec: BlocsSpec,
  masterSeed: number,
  cell: number,
  run: number,
  rng: RunRng = new RunRng(),
): Scenario {
  if (spec.perRun) rng.reseed(masterSeed, cell, run, STREAM_SYSTEM);
  else rng.reseed(spec.systemSeed ?? DEFAULT_SYSTEM_SEED, 0, 0, STREAM_SYSTEM);
  return generateBlocs(spec, rng);
}

/**
 * systemFor, compiled: the same system as `compile(systemFor(...))`, without intermediate
 * objects; `reuse` as for generateBlocsCompiled.
 */
export function compiledSystemFor(
  spec: BlocsSpec,
  masterSeed: number,
  cell: number,
  run: number,
  rng: RunRng = new RunRng(),
  reuse = false,
): CompiledSystem {
  if (spec.perRun) rng.reseed(masterSeed, cell, run, STREAM_SYSTEM);
  else rng.reseed(spec.systemSeed ?? DEFAULT_SYSTEM_SEED, 0, 0, STREAM_SYSTEM);
  return generateBlocsCompiled(spec, rng, reuse);
}
