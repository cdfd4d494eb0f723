import { viewCommand } from './view-command.js';

/** `entangle xlsx DIR`: results.xlsx of a finished folder. */
export const xlsxCommand = viewCommand('xlsx', 'a workbook of a finished run');
