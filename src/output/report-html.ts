import { basename, resolve } from 'node:path';
import { DEFAULT_PARAMS, getParam, PARAM_NAMES } from '../model/params.js';
import { VERSION } from '../version.js';
import { type Manifest, MODEL_DOCUMENT } from './manifest.js';
import { numberOf, type ResultFolder, type Results, type Table, type Value } from './read-results.js';
import type { ReportSection } from './report.js';

/** Small tables printed as they are (a backtest's scores), by file name. */
const PRINTED_TABLES = ['backtest-summary.csv'];

const STYLE = `
body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
.lead { color: #555; margin-top: 0; }
.warning { background: #fdecea; border: 1px solid #c0392b; padding: 0.6em 1em; border-radius: 4px; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.2em 0.8em 0.2em 0; vertical-align: top; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, .hash { font-family: Menlo, Consolas, monospace; font-size: 0.85em; }
.hash { color: #666; word-break: break-all; }
figure { margin: 1.5em 0 2.5em; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.9em; max-width: 780px; }
nav ul { columns: 2; padding-left: 1.2em; }
footer { margin-top: 3em; color: #666; font-size: 0.85em; border-top: 1px solid #ccc; padding-top: 0.6em; }
`;

/** The report page: what was run, the parameters, then each section's charts inline. */
export function reportHtml(results: Results, sections: ReportSection[]): string {
  const title = reportTitle(results);
  const version = results.folders.find((f) => f.manifest)?.manifest?.entangle;
  const contents = [
    ...sections.map((s, i) => `<li><a href="#section-${i}">${esc(s.heading)}</a></li>`),
    '<li><a href="#provenance">What was run</a></li>',
    '<li><a href="#parameters">Parameters</a></li>',
  ];
  const runs = results.folders.flatMap((f) => (f.manifest ? [inBrief(f.label, f.manifest)] : []));
  const body = [
    `<header><h1>${esc(title)}</h1><p class="lead">entangle report of <code>${esc(basename(resolve(results.dir)))}/</code>, drawn from the CSV files beside this page. ${runs.map(esc).join(' ')}</p></header>`,
    ...incompleteWarnings(results),
    `<nav><ul>${contents.join('')}</ul></nav>`,
    ...printedTables(results),
    ...sections.map(
      (s, i) =>
        `<section id="section-${i}"><h2>${esc(s.heading)}</h2>${s.charts
          .map(
            (c) =>
              `<figure id="chart-${esc(c.chart.name)}">${c.svg}<figcaption>${esc(c.chart.caption)} <span class="hash">(${esc(c.file)})</span></figcaption></figure>`,
          )
          .join('')}</section>`,
    ),
    `<section id="provenance"><h2>What was run</h2>${results.folders.map((f) => provenance(f, results.folders.length)).join('')}</section>`,
    `<section id="parameters"><h2>Parameters</h2>${parameters(results.folders)}</section>`,
    `<footer>The model behind these results is specified in <code>${MODEL_DOCUMENT}</code> of entangle${version ? ` ${esc(version)}` : ''}. Drawn by entangle ${esc(VERSION)} with Vega-Lite and Vega from the files in this folder; each chart is also saved beside this page as an SVG file.</footer>`,
  ];
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(title)} — entangle report</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

function reportTitle(results: Results): string {
  const [root, a, b] = results.folders;
  if (a?.manifest && b?.manifest) return `${a.manifest.name} against ${b.manifest.name}`;
  return root?.manifest?.name ?? basename(resolve(results.dir));
}

function incompleteWarnings(results: Results): string[] {
  return results.folders.flatMap((f) => {
    const m = f.manifest;
    if (!m || m.complete) return [];
    return [
      `<p class="warning"><strong>Incomplete${f.label ? ` (${esc(f.label)})` : ''}:</strong> ${m.runs_done.toLocaleString('en')} of ${m.runs_planned.toLocaleString('en')} runs were done before the run stopped (manifest.json says "complete": false); every figure below covers the runs done.</p>`,
    ];
  });
}

/** One sentence: runs, seed, date and whether complete. */
function inBrief(label: string, m: Manifest): string {
  const when = m.run.started_at.slice(0, 10);
  return `${label ? `${label}: ` : ''}${m.runs_per_cell.toLocaleString('en')} runs per cell × ${m.cells} cell${m.cells === 1 ? '' : 's'}, seed ${m.seed}, entangle ${m.entangle}, ${when}${m.complete ? '.' : ', incomplete.'}`;
}

function provenance(folder: ResultFolder, folders: number): string {
  const heading = folder.label ? `<h3>${esc(folder.label)}: <code>${esc(folder.path)}/</code></h3>` : '';
  const m = folder.manifest;
  // A comparison's own folder holds compare.csv only; its sides say what was run.
  if (!m && folder.label === '' && folders > 1) return '';
  if (!m) {
    return `${heading}<p>No <code>manifest.json</code> in this folder, so what was run is not recorded here. Files: ${folder.csvFiles.map((f) => `<code>${esc(f)}</code>`).join(', ')}.</p>`;
  }
  const rows: [string, string][] = [
    ['Experiment', esc(m.name)],
    ['Input', `<code>${esc(m.input.file)}</code> <span class="hash">SHA-256 ${esc(m.input.sha256)}</span>`],
    ...m.input.scenarios.map((s): [string, string] => [
      'Scenario file',
      `<code>${esc(s.file)}</code> <span class="hash">SHA-256 ${esc(s.sha256)}</span>`,
    ]),
    ['Command', `<code>${esc(m.run.command)}</code>`],
    ['Seed', String(m.seed)],
    [
      'Runs',
      `${m.runs_per_cell.toLocaleString('en')} per cell × ${m.cells} cell${m.cells === 1 ? '' : 's'}, in batches of ${m.batch_size.toLocaleString('en')}`,
    ],
    [
      'Complete',
      m.complete
        ? `yes (${m.runs_done.toLocaleString('en')} runs)`
        : `<strong>no</strong>: ${m.runs_done.toLocaleString('en')} of ${m.runs_planned.toLocaleString('en')} runs`,
    ],
    ...(m.shard ? [['Shard', `${m.shard.index} of ${m.shard.count} (0-based)`] as [string, string]] : []),
    ...(m.run.shards_merged
      ? [['Merged from shards', esc(m.run.shards_merged.join(', '))] as [string, string]]
      : []),
    ['Swept', m.sweep.length > 0 ? m.sweep.map((k) => `<code>${esc(k)}</code>`).join(', ') : 'nothing'],
    ['entangle version', esc(m.entangle)],
    ['Date', esc(m.run.started_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))],
    ['Time taken', esc(duration(m.run.duration_seconds))],
    [
      'Where',
      esc(
        `${m.run.workers === null ? 'merged' : `${m.run.workers} worker${m.run.workers === 1 ? '' : 's'}`}, Node ${m.run.node}, ${m.run.platform}, ${m.run.hostname}`,
      ),
    ],
    ['Plan hash', `<span class="hash">${esc(m.plan_hash)}</span>`],
  ];
  return `${heading}<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min ${Math.round(seconds - 60 * m)} s`;
}

/**
 * Each parameter once, with its default, and per folder (a comparison's sides side by side) its
 * value or its range over the cells; values other than the default in bold.
 */
function parameters(folders: ResultFolder[]): string {
  const tables = folders.flatMap((f) => {
    const table = f.table('params.csv');
    return table ? [{ label: f.label, table }] : [];
  });
  if (tables.length === 0) return '<p>No <code>params.csv</code> in this folder.</p>';
  const rows = PARAM_NAMES.map((name) => {
    const fallback = getParam(DEFAULT_PARAMS, name);
    const cells = tables.map(({ table }) => {
      const values = table.rows.map((r) => numberOf(r[name])).filter((v): v is number => v !== undefined);
      if (values.length === 0) return '<td></td>';
      const min = Math.min(...values);
      const max = Math.max(...values);
      const shown = esc(min === max ? String(min) : `${min} to ${max}`);
      return `<td class="n">${min !== fallback || max !== fallback ? `<strong>${shown}</strong>` : shown}</td>`;
    });
    return `<tr><td><code>${esc(name)}</code></td>${cells.join('')}<td class="n">${fallback}</td></tr>`;
  });
  const heads = tables.map(({ label }) => `<th>${label ? esc(label) : 'value'}</th>`).join('');
  return `<p>Every model parameter the runs used; a range where cells differ (each cell's values in <code>params.csv</code>). Their meanings and sources are in <code>${MODEL_DOCUMENT}</code>.</p><table><tr><th>parameter</th>${heads}<th>default</th></tr>${rows.join('')}</table>`;
}

function printedTables(results: Results): string[] {
  return results.folders.flatMap((folder) =>
    PRINTED_TABLES.flatMap((file) => {
      const table = folder.table(file);
      return table ? [`<section><h2><code>${esc(file)}</code></h2>${htmlTable(table)}</section>`] : [];
    }),
  );
}

function htmlTable(table: Table): string {
  const cell = (v: Value) =>
    typeof v === 'number'
      ? `<td class="n">${Number.isInteger(v) ? v : v.toFixed(3)}</td>`
      : `<td>${esc(v === undefined ? '' : String(v))}</td>`;
  return `<table><tr>${table.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${table.rows
    .map((r) => `<tr>${table.columns.map((c) => cell(r[c])).join('')}</tr>`)
    .join('')}</table>`;
}

/** Text made safe inside HTML. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
