import { viewCommand } from './view-command.js';

/** `entangle report DIR`: report.html and the chart SVGs of a finished folder. */
export const reportCommand = viewCommand('report', 'charts of a finished run');
