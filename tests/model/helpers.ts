/**
 * Test helpers for the escalation model: compact scenario descriptions, deterministic parameter
 * presets, batch runners, and the statistics the statistical tests need (chi-square p-values from
 * a regularized incomplete gamma written here, binomial tolerances). Nothing here calls into the
 * model's logic except compile/Simulator/RunRng themselves.
 */
import { compile } from '../../src/model/compile.js';
import { cloneParams, setParam } from '../../src/model/params.js';
import { RunRng } from '../../src/model/rng.js';
import { emptyOutcome, Simulator } from '../../src/model/simulate.js';
import type {
  Alliance,
  AllianceType,
  CompiledSystem,
  ModelParams,
  RunOutcome,
  Scenario,
  State,
} from '../../src/model/types.js';

// ---------------------------------------------------------------------------------------------
// Scenarios from compact descriptions

export interface Desc {
  /** State ids separated by spaces, in index order: 'A B C'. */
  states: string;
  /** Capabilities by id (default 1). */
  caps?: Record<string, number>;
  /** Great powers: 'A B'. */
  gps?: string;
  /** Borders: 'A-B C-D'. */
  borders?: string;
  alliances?: Alliance[];
  /** 'A>B': A attacks B. */
  crisis: string;
}

const words = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter((w) => w.length > 0);

let allianceCounter = 0;

/** An alliance from its type and space-separated members; `guarantors` also space-separated. */
export function ally(
  type: AllianceType,
  members: string,
  opts: {
    reliability?: number;
    nonprovocation?: boolean;
    guarantors?: string;
    name?: string;
    adversaries?: string;
    conditional?: boolean;
  } = {},
): Alliance {
  const a: Alliance = { name: opts.name ?? `pact${++allianceCounter}`, type, members: words(members) };
  if (opts.reliability !== undefined) a.reliability = opts.reliability;
  if (opts.nonprovocation !== undefined) a.nonprovocation = opts.nonprovocation;
  if (opts.guarantors !== undefined) a.guarantors = words(opts.guarantors);
  if (opts.adversaries !== undefined) a.adversaries = words(opts.adversaries);
  if (opts.conditional !== undefined) a.conditional = opts.conditional;
  return a;
}

export function scenario(d: Desc): Scenario {
  const gps = new Set(words(d.gps));
  const states: State[] = words(d.states).map((id) => ({
    id,
    name: id,
    capability: d.caps?.[id] ?? 1,
    greatPower: gps.has(id),
  }));
  const borders = words(d.borders).map((b) => {
    const [x, y] = b.split('-');
    return [x!, y!] as [string, string];
  });
  const [initiator, target] = d.crisis.split('>');
  return {
    name: 'test',
    states,
    borders,
    alliances: d.alliances ?? [],
    crisis: { initiator: initiator!, target: target! },
  };
}

export const system = (d: Desc): CompiledSystem => compile(scenario(d));

/**
 * Deterministic base parameters: every promise kept (reliability 1, neutrality included),
 * offense always perceived dominant (δ = 1), no opportunity hazards (invasion included), no
 * deterrence, no settlement or mediation (the war runs to maxSteps), maxSteps 10. Overrides by
 * dotted name.
 */
export function quiet(over: Record<string, number> = {}): ModelParams {
  const p = cloneParams();
  const base: Record<string, number> = {
    'reliability.defense': 1,
    'reliability.offense': 1,
    'reliability.entente': 1,
    'reliability.neutrality': 1,
    'reliability.nonaggression': 1,
    conditionalFactor: 1,
    deterrence: 0,
    invasionHazard: 0,
    offenseDominance: 1,
    sufficiency: 1,
    borderHazard: 0,
    balanceHazard: 0,
    hegemonyShare: 0.5,
    settlement: 0,
    mediation: 0,
    decisiveness: 1,
    maxSteps: 10,
  };
  for (const [k, v] of Object.entries({ ...base, ...over })) setParam(p, k, v);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface RunResult {
  out: RunOutcome;
  /** By state id: 0 neutral, 1 initiator's side, 2 target's side. */
  side: Record<string, number>;
  /** By state id: step of entry, -1 if never. */
  step: Record<string, number>;
  /** By state id: ENTRY_* constant. */
  kind: Record<string, number>;
}

function snapshot(sys: CompiledSystem, sim: Simulator, out: RunOutcome): RunResult {
  const side: Record<string, number> = {};
  const step: Record<string, number> = {};
  const kind: Record<string, number> = {};
  sys.ids.forEach((id, i) => {
    side[id] = sim.side[i]!;
    step[id] = sim.entryStep[i]!;
    kind[id] = sim.entryKind[i]!;
  });
  return { out: { ...out }, side, step, kind };
}

/** One run (seed, cell 0, run) with a fresh Simulator. */
export function runOnce(sys: CompiledSystem, params: ModelParams, seed = 1, run = 0): RunResult {
  const sim = new Simulator(sys, params);
  const rng = new RunRng();
  rng.reseed(seed, 0, run);
  const out = emptyOutcome();
  sim.run(rng, out);
  return snapshot(sys, sim, out);
}

/** Runs 0..runs-1 of (seed, cell 0) with one reused Simulator; `visit` sees each outcome. */
export function runMany(
  sys: CompiledSystem,
  params: ModelParams,
  runs: number,
  seed: number,
  visit: (out: RunOutcome, sim: Simulator, run: number) => void,
): void {
  const sim = new Simulator(sys, params);
  const rng = new RunRng();
  const out = emptyOutcome();
  for (let r = 0; r < runs; r++) {
    rng.reseed(seed, 0, r);
    sim.run(rng, out);
    visit(out, sim, r);
  }
}

/** Like runMany, collecting a snapshot (outcome and per-state results by id) of every run. */
export function collect(sys: CompiledSystem, params: ModelParams, runs: number, seed: number): RunResult[] {
  const res: RunResult[] = [];
  runMany(sys, params, runs, seed, (out, sim) => res.push(snapshot(sys, sim, out)));
  return res;
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
export function lnGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a): the series for P(a, x) when
 * x < a + 1, else the continued fraction for Q (modified Lentz), as in Numerical Recipes §6.2.
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(lnPre) * h;
}

/** P(χ²_df ≥ stat). */
export const chiSquareSurvival = (stat: number, df: number): number => gammaQ(df / 2, stat / 2);

export interface ChiSquareResult {
  stat: number;
  df: number;
  p: number;
  /** Observations in bins whose expected probability is zero (must be 0 for a correct model). */
  impossible: number;
  bins: number;
}

/**
 * Pearson goodness-of-fit of observed counts against probabilities (same index). Bins are
 * merged in the given order until each merged bin expects at least `minExpected` observations
 * (the usual validity rule for the χ² approximation); a leftover tail joins the last bin. Any
 * partition of the outcomes gives a valid test, so callers may order bins as they like.
 */
export function chiSquareGof(observed: number[], probs: number[], minExpected = 5): ChiSquareResult {
  const n = observed.reduce((s, x) => s + x, 0);
  let impossible = 0;
  const mergedO: number[] = [];
  const mergedE: number[] = [];
  let accO = 0;
  let accE = 0;
  for (let i = 0; i < probs.length; i++) {
    const e = probs[i]! * n;
    if (probs[i]! <= 1e-15) impossible += observed[i]!;
    accO += observed[i]!;
    accE += e;
    if (accE >= minExpected) {
      mergedO.push(accO);
      mergedE.push(accE);
      accO = 0;
      accE = 0;
    }
  }
  if (accE > 0 || accO > 0) {
    if (mergedO.length === 0) {
      mergedO.push(accO);
      mergedE.push(accE);
    } else {
      mergedO[mergedO.length - 1]! += accO;
      mergedE[mergedE.length - 1]! += accE;
    }
  }
  let stat = 0;
  for (let i = 0; i < mergedO.length; i++) stat += (mergedO[i]! - mergedE[i]!) ** 2 / mergedE[i]!;
  const df = mergedO.length - 1;
  return { stat, df, p: df > 0 ? chiSquareSurvival(stat, df) : 1, impossible, bins: mergedO.length };
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

export function sampleSd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/**
 * Half-width z·sqrt(p(1−p)/n) around an expected share p estimated from n Bernoulli trials.
 * z = 4.5 makes a false alarm at a fixed seed about a 1-in-150,000 event per check, while a
 * deviation of a few percentage points is still detected at the run counts used here.
 */
export const shareTolerance = (p: number, n: number, z = 4.5): number => z * Math.sqrt((p * (1 - p)) / n);

/** Pearson correlation of two equally long samples. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** A small independent PRNG for building random test graphs (mulberry32; not the model's RNG). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Edges {w, v} (w < v) of an Erdős–Rényi graph G(n, q), by geometric skipping over the pairs in
 * order (Batagelj and Brandes 2005), so the cost is proportional to the number of edges.
 */
export function erdosRenyi(n: number, q: number, rand: () => number): [number, number][] {
  const edges: [number, number][] = [];
  const lq = Math.log(1 - q);
  let v = 1;
  let w = -1;
  while (v < n) {
    w += 1 + Math.floor(Math.log(1 - rand()) / lq);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) edges.push([w, v]);
  }
  return edges;
}
