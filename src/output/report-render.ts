import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A chart drawn: its SVG, and what vega-lite or vega warned about while drawing it. */
export interface Rendered {
  svg: string;
  warnings: string[];
}

/**
 * Draws a Vega-Lite spec as SVG, headless: vega-lite compiles it to a Vega spec and a Vega view
 * with no renderer of its own (no canvas, no DOM) writes the SVG text. Warnings are collected
 * rather than printed, so that tests can insist there are none.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<Rendered> {
  const warnings: string[] = [];
  const logger = collecting(warnings);
  const vega = compile(spec, { logger }).spec;
  const view = new View(parse(vega), { renderer: 'none', logger, logLevel: 2 });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/** A vega logger that keeps warnings and errors in a list and prints nothing. */
function collecting(into: string[]) {
  let level = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      into.push(`error: ${args.join(' ')}`);
      return logger;
    },
    warn(...args: unknown[]) {
      into.push(`warning: ${args.join(' ')}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}
