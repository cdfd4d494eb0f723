import type { TopLevelSpec } from 'vega-lite';

/** Looks shared by every chart: the same fonts and sizes in the report and in a paper. */
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', offset: 10 },
  // Without a canvas vega guesses text widths generously: any limit would cut labels that fit.
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0 },
  header: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0 },
  range: { category: { scheme: 'tableau10' } },
} as const;

/** A chart's spec with the house style, a white background and its title. */
export function styled(
  title: string,
  subtitle: string | undefined,
  spec: Record<string, unknown>,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 8,
    title: subtitle ? { text: title, subtitle } : { text: title },
    config: CONFIG,
    ...spec,
  } as TopLevelSpec;
}
