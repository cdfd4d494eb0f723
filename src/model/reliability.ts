import {
  type CompiledSystem,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  KIND_NONAGGRESSION,
  KIND_OFFENSE,
  type ModelParams,
} from './types.js';

/**
 * The probability that each commitment is kept when triggered (MODEL.md, Alliances): its own
 * reliability, else its type's default; a `conditional` promise's times conditionalFactor.
 */
export function resolveReliability(sys: CompiledSystem, params: ModelParams, out: Float64Array): void {
  const r = params.reliability;
  for (let c = 0; c < sys.commitmentCount; c++) {
    const own = sys.commitmentReliability[c]!;
    const kind = sys.commitmentKind[c]!;
    const base = !Number.isNaN(own)
      ? own
      : kind === KIND_DEFENSE
        ? r.defense
        : kind === KIND_OFFENSE
          ? r.offense
          : kind === KIND_ENTENTE
            ? r.entente
            : kind === KIND_NEUTRALITY
              ? r.neutrality
              : kind === KIND_NONAGGRESSION
                ? r.nonaggression
                : 0;
    out[c] = sys.commitmentConditional[c] === 1 ? base * params.conditionalFactor : base;
  }
}
