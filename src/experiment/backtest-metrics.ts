/**
 * Scores for comparing predicted probabilities with what happened (0 or 1), as the backtest
 * against the historical wars uses them. Pure functions; no I/O.
 */

function check(predictions: readonly number[], outcomes: readonly number[]): void {
  if (predictions.length !== outcomes.length) {
    throw new RangeError(
      `${predictions.length} predictions but ${outcomes.length} outcomes; expected one of each per case`,
    );
  }
  for (let i = 0; i < outcomes.length; i++) {
    if (outcomes[i] !== 0 && outcomes[i] !== 1)
      throw new RangeError(`outcome ${i} is ${outcomes[i]}; expected 0 or 1`);
    if (!Number.isFinite(predictions[i]))
      throw new RangeError(`prediction ${i} is ${predictions[i]}; expected a number`);
  }
}

/**
 * Brier score: the mean of (prediction − outcome)², 0 for perfect predictions, 0.25 for
 * always saying ½. NaN when there are no cases.
 */
export function brier(predictions: readonly number[], outcomes: readonly (0 | 1)[]): number {
  check(predictions, outcomes);
  if (outcomes.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < outcomes.length; i++) sum += (predictions[i]! - outcomes[i]!) ** 2;
  return sum / outcomes.length;
}

/**
 * Area under the ROC curve: the probability that a random case with outcome 1 got a higher
 * prediction than a random case with outcome 0, ties counting ½ (the Mann–Whitney U statistic
 * divided by n₁·n₀). 1 separates perfectly, ½ is chance. NaN when either class is empty, since
 * there is then no pair to compare.
 */
export function auc(predictions: readonly number[], outcomes: readonly (0 | 1)[]): number {
  check(predictions, outcomes);
  const n = outcomes.length;
  let positives = 0;
  for (const o of outcomes) positives += o;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  // Mid-ranks of the predictions (ties share the mean of their ranks), summed over the 1s.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => predictions[a]! - predictions[b]!);
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && predictions[order[end + 1]!] === predictions[order[start]!]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (outcomes[order[k]!] === 1) rankSum += midRank;
    start = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
