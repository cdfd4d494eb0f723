import { calibration } from './calibration.js';
import type { ChartKind } from './chart.js';
import { compareDifferences } from './compare-differences.js';
import { sensitivity } from './sensitivity.js';
import { stateEntry } from './state-entry.js';
import { sweepOutcomes } from './sweep-outcomes.js';
import { warSizes } from './war-sizes.js';

export type { Chart, ChartKind } from './chart.js';

/** Every chart kind of the report, in the order of its sections: register a new kind here. */
export const CHART_KINDS: readonly ChartKind[] = [
  compareDifferences,
  sweepOutcomes,
  warSizes,
  stateEntry,
  calibration,
  sensitivity,
];
