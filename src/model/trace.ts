/**
 * What happened in one run, event by event, for `entangle trace`. The simulator calls these
 * only when a sink is attached (Simulator.trace), so a batch of runs pays one null check per
 * event site. States and commitments are indices into the CompiledSystem.
 */
export interface TraceSink {
  /** Section 0: the initiator's expected chance w, and whether it attacked. */
  crisis(expectedWin: number, attacks: boolean): void;
  /** Section 1: a commitment was drawn the first time it was triggered (or bound). */
  commitment(step: number, commitment: number, honored: boolean): void;
  /** Section 2: j held kept promises to both sides and stayed out. */
  crossPressured(step: number, state: number): void;
  /** Section 3: j passed the buck (its side was not weaker). */
  buckPassed(step: number, state: number): void;
  /**
   * A state entered on `side` at the end of `step`; `how` is an ENTRY_* constant; `cause` is
   * the commitment it honoured (obligation path), the belligerent neighbour it joined against
   * (border) or that invaded it (invasion), else -1.
   */
  entry(step: number, state: number, side: number, how: number, cause: number): void;
  /** The war ended after `step`: settled (mediated or not), or at maxSteps. */
  end(step: number, settled: boolean, mediated: boolean, initiatorPrevails: boolean): void;
}
