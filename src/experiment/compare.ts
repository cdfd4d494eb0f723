/**
 * Statistics for `entangle compare`: confidence intervals for the difference between two cells,
 * of shares (Newcombe's hybrid score interval) and of means (Welch's t interval).
 */
import { wilson, Z95 } from './wilson.js';

export { wilson, Z95 };

/** A difference (first minus second) with its confidence interval. */
export interface DiffInterval {
  diff: number;
  lo: number;
  hi: number;
}

/**
 * Difference of two shares x1/n1 − x2/n2 with Newcombe's (1998) hybrid score interval, his
 * method 10, built from the two Wilson intervals; it keeps close to nominal coverage near 0
 * and 1 where the Wald interval fails. NaN when either n is 0.
 */
export function newcombeDiff(x1: number, n1: number, x2: number, n2: number, z = Z95): DiffInterval {
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const diff = a.p - b.p;
  return {
    diff,
    lo: diff - Math.sqrt((a.p - a.lo) ** 2 + (b.hi - b.p) ** 2),
    hi: diff + Math.sqrt((a.hi - a.p) ** 2 + (b.p - b.lo) ** 2),
  };
}

/**
 * Difference of two means with Welch's t interval (unequal variances), its degrees of freedom
 * from the Welch–Satterthwaite equation; `level` is the two-sided confidence. NaN when either
 * sample has fewer than 2 runs; when both standard deviations are 0 the interval is the
 * difference itself (df NaN).
 */
export function welchDiff(
  mean1: number,
  sd1: number,
  n1: number,
  mean2: number,
  sd2: number,
  n2: number,
  level = 0.95,
): DiffInterval & { df: number } {
  const diff = mean1 - mean2;
  if (!(n1 >= 2 && n2 >= 2)) return { diff, lo: Number.NaN, hi: Number.NaN, df: Number.NaN };
  const v1 = (sd1 * sd1) / n1;
  const v2 = (sd2 * sd2) / n2;
  const se2 = v1 + v2;
  if (se2 === 0) return { diff, lo: diff, hi: diff, df: Number.NaN };
  const df = (se2 * se2) / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  const half = tQuantile(1 - (1 - level) / 2, df) * Math.sqrt(se2);
  return { diff, lo: diff - half, hi: diff + half, df };
}

/** True when the interval lies wholly on one side of zero (the difference is significant at its level). */
export function excludesZero(interval: { lo: number; hi: number }): boolean {
  return interval.lo > 0 || interval.hi < 0;
}

// ---------------------------------------------------------------------------------------------
// Distributions. Student's t quantile = root of the t distribution function, itself computed
// from the regularized incomplete beta function (continued fraction, Numerical Recipes §6.4),
// found by Newton steps safeguarded by bisection; accurate to about 1e-12 relative.

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) return h;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b), with y = 1 − x passed separately so that callers who
 * know it more precisely than 1 − x (a t statistic near 0) keep that precision.
 */
export function incompleteBeta(a: number, b: number, x: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** P(T > t) for Student's t with df degrees of freedom (df > 0, not necessarily whole), t >= 0. */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  // x = df/(df+t²), y = t²/(df+t²), each computed directly.
  return 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/** Student's t distribution function P(T ≤ t), df > 0 (not necessarily whole). */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  const upper = tUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - upper : upper;
}

function tDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/**
 * The p-quantile of Student's t with df degrees of freedom (df > 0, not necessarily whole, as
 * Welch's df is; Infinity gives the normal quantile). Exact formulas for df 1 and 2; otherwise
 * the root of the distribution function, to about 1e-12 relative.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const q = 1 - p; // upper tail, in (0, 0.5)
  if (df === 1) return 1 / Math.tan(Math.PI * q);
  if (df === 2) return (Math.sqrt(2) * (1 - 2 * q)) / Math.sqrt(4 * q * (1 - q));
  const z = normalQuantile(p);
  // Past 1e7 degrees of freedom the t is the normal to within double precision's reach.
  if (df > 1e7 || df === Number.POSITIVE_INFINITY) return z;
  // Cornish–Fisher start, then safeguarded Newton on the upper tail.
  const z3 = z * z * z;
  let t = z + (z3 + z) / (4 * df) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * df * df);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    if (!(t > lo && t < hi)) t = hi === Number.POSITIVE_INFINITY ? Math.max(2 * lo, lo + 1) : (lo + hi) / 2;
    const f = tUpperTail(t, df) - q; // decreasing in t
    if (f > 0) lo = t;
    else hi = t;
    const next = t + f / tDensity(t, df);
    if (Math.abs(next - t) <= 1e-14 * Math.abs(t)) return next;
    t = next;
    if (hi < Number.POSITIVE_INFINITY && hi - lo <= 1e-15 * hi) return (lo + hi) / 2;
  }
  return t;
}

/** Standard normal distribution function, Φ(x) = ½ erfc(−x/√2) = ½ Q(½, x²/2) for x < 0. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * upperIncompleteGamma(0.5, (x * x) / 2); // P(Z > |x|)
  return x >= 0 ? 1 - tail : tail;
}

/** Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above). */
function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(logFront);
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
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logFront) * h;
}

/**
 * The p-quantile of the standard normal distribution (Wichura 1988, algorithm AS 241,
 * PPND16: relative error about 1e-16).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}
