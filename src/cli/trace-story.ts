import type { TraceEvent, TraceRecord } from '../experiment/trace.js';
import { ENTRY_BALANCING, ENTRY_BORDER, ENTRY_INVASION, ENTRY_OBLIGATION } from '../model/types.js';

const SIDE = ['neutral', "the initiator's side", "the target's side"];

/**
 * The story of one run in plain lines: the crisis, then step by step who entered on which
 * side and why, who kept or broke which promise, who was cross-pressured or passed the buck,
 * and how the war ended.
 */
export function traceStory(t: TraceRecord): string {
  const sc = t.scenario;
  const sys = t.system;
  const name = (i: number): string => {
    const s = sc.states[i]!;
    return s.name && s.name !== s.id ? `${s.id} (${s.name})` : s.id;
  };
  const alliance = (c: number): string => {
    const a = sc.alliances[sys.commitmentAlliance[c]!];
    return a ? `${a.type} pact "${a.name}"` : 'pact';
  };
  const A = sys.initiator;
  const B = sys.target;
  const lines: string[] = [`Run ${t.run} of cell ${t.cell} (${sc.name}), seed ${t.seed}`];
  const cap = [0, sys.capability[A]!, sys.capability[B]!];
  const seen = { cross: new Set<number>(), buck: new Set<number>() };
  let step = -1;
  let pending: TraceEvent[] = [];

  const flush = () => {
    if (pending.length === 0) return;
    lines.push(`Step ${step}:`);
    const entries = pending.filter((e) => e.event === 'entry');
    for (const e of pending) {
      if (e.event === 'commitment') {
        const verb = e.honored ? 'keeps' : 'breaks (abandonment)';
        lines.push(
          `  ${name(e.obligor)} ${verb} its promise to ${name(e.partner)} (${alliance(e.commitment)})`,
        );
      } else if (e.event === 'crossPressured' && !seen.cross.has(e.state)) {
        seen.cross.add(e.state);
        lines.push(`  ${name(e.state)} stays out: cross-pressured, holding kept promises to both sides`);
      } else if (e.event === 'buckPassed' && !seen.buck.has(e.state)) {
        seen.buck.add(e.state);
        lines.push(
          `  ${name(e.state)} passes the buck: its side is not weaker, and it sees the defense as dominant`,
        );
      } else if (e.event === 'entry') {
        lines.push(`  ${name(e.state)} enters on ${SIDE[e.side]}: ${reason(e)}`);
      }
    }
    // Entries take effect together at the end of the step.
    for (const e of entries) if (e.event === 'entry') cap[e.side]! += sys.capability[e.state]!;
    pending = [];
  };
  const reason = (e: Extract<TraceEvent, { event: 'entry' }>): string => {
    if (e.how === ENTRY_OBLIGATION) {
      const own = cap[e.side]!;
      const other = cap[3 - e.side]!;
      const why =
        own < t.sufficiency * other ? 'its side was weaker' : 'chain-ganging: its side was not weaker';
      return `honours its promise to ${name(sys.commitmentPartner[e.cause]!)} (${alliance(e.cause)}); ${why}`;
    }
    if (e.how === ENTRY_BORDER) return `border contagion, against its belligerent neighbour ${name(e.cause)}`;
    if (e.how === ENTRY_BALANCING) return 'balancing against a side above the hegemony limit';
    if (e.how === ENTRY_INVASION) return `invaded by its neighbour ${name(e.cause)}, it defends itself`;
    return 'at war';
  };

  for (const e of t.events) {
    if (e.event === 'crisis') {
      const w = `expects to prevail with w = ${e.expectedWin.toFixed(3)}`;
      lines.push(
        e.attacks
          ? `Crisis: ${name(A)} ${w} and attacks ${name(B)} (step 0).`
          : `Crisis: ${name(A)} ${w} and is deterred: no war.`,
      );
      continue;
    }
    if (e.step !== step) {
      flush();
      step = e.step;
    }
    if (e.event === 'end') {
      flush();
      const how = e.mediated ? 'settled, by mediation' : e.settled ? 'settled' : 'stopped at maxSteps';
      lines.push(
        `The war ended after step ${e.step} (${how}); ${e.initiatorPrevails ? "the initiator's" : "the target's"} side prevailed.`,
      );
    } else pending.push(e);
  }
  flush();
  const o = t.outcome;
  lines.push(
    o.deterred
      ? 'Outcome: deterred.'
      : `Outcome: ${o.participants} at war (${o.participants_initiator_side} on the initiator's side, ${o.participants_target_side} on the target's), ` +
          `${o.great_powers} great powers, ${o.commitments_triggered} promises triggered, ${o.commitments_honored} kept, ` +
          `${o.abandonments} broken, ${o.entrapments} entrapments, ${o.buck_passes} buck-passers, ${o.cross_pressured} cross-pressured.`,
  );
  return lines.join('\n');
}
