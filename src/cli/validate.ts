import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers } from '../engine/coordinator.js';
import { describeDesign } from '../experiment/design.js';
import { compile } from '../model/compile.js';
import { systemFor } from '../scenario/generators.js';
import { runSettings } from './options.js';
import { loadExperiment, planOf } from './setup.js';

interface ValidateArgs {
  file: string;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <file>',
  describe: 'Check a scenario or experiment file and say what it contains, without running it',
  builder: (y: Argv) =>
    y.positional('file', {
      describe: 'scenario or experiment file (YAML or JSON)',
      type: 'string',
      demandOption: true,
    }) as unknown as Argv<ValidateArgs>,
  handler: (args: ArgumentsCamelCase<ValidateArgs>) => {
    const spec = loadExperiment(args.file);
    const { runs, seed } = runSettings({}, spec);
    const plan = planOf(spec, { runs, seed }, { runsCsv: false, workers: defaultWorkers() });
    const lines = [
      `${args.file}: valid ${spec.scenarios.length === 1 && spec.file === (spec.scenarios[0] as { file?: string }).file ? 'scenario' : 'experiment'} "${spec.name}"`,
    ];
    spec.scenarios.forEach((source, i) => {
      const scenario = source.kind === 'file' ? source.scenario : systemFor(source.spec, seed, 0, 0);
      const system = compile(scenario);
      const byType = new Map<string, number>();
      for (const a of scenario.alliances) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
      const types = [...byType].map(([t, n]) => `${n} ${t}`).join(', ');
      const name = (id: string) => scenario.states.find((s) => s.id === id)?.name ?? id;
      lines.push(
        `scenario ${i}: ${source.kind === 'file' ? scenario.name : `${scenario.name} (generated)`}`,
        ...(source.kind === 'file' && source.variant
          ? [`  variant of "${source.variant.of}": ${source.variant.changes.join('; ') || 'no changes'}`]
          : []),
        `  states: ${system.n} (${system.greatPowerCount} great powers), borders: ${scenario.borders.length}`,
        `  alliances: ${scenario.alliances.length}${types ? ` (${types})` : ''}, commitments: ${system.commitmentCount}`,
        `  crisis: ${scenario.crisis.initiator} (${name(scenario.crisis.initiator)}) attacks ${scenario.crisis.target} (${name(scenario.crisis.target)})`,
      );
    });
    lines.push(
      `cells: ${plan.cells.length}${plan.sweepKeys.length > 0 ? ` (sweeping ${plan.sweepKeys.join(', ')}${spec.lhs ? `, Latin hypercube of ${spec.lhs}` : ''}${plan.design ? `; ${describeDesign(plan.design)}` : ''})` : ''}`,
      `runs per cell: ${plan.runs}, seed: ${seed}, batches per cell: ${plan.cells[0]?.batches ?? 0} of ${plan.batchSize} runs`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
