import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_FACES } from './commands.js';
import { examples, runSettings } from './options.js';

interface ValidateArgs {
  file: string;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  ...COMMAND_FACES.validate,
  builder: (y: Argv) =>
    y
      .positional('file', {
        describe: 'scenario or experiment file (YAML or JSON)',
        type: 'string',
        demandOption: true,
      })
      .example(
        examples([
          '$0 validate configs/tight-vs-loose.yaml',
          'what an experiment holds: its scenarios, cells and runs',
        ]),
      ) as unknown as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    // Loaded when the command runs, not with it: `entangle validate --help` needs none of it.
    const [{ defaultWorkers }, { describeDesign }, { compile }, { systemFor }, { loadExperiment, planOf }] =
      await Promise.all([
        import('../engine/pool.js'),
        import('../experiment/design.js'),
        import('../model/compile.js'),
        import('../scenario/generators.js'),
        import('./setup.js'),
      ]);
    // The checks of a run: sweep values, the design's size, the plan's size.
    const spec = loadExperiment(args.file);
    const { runs, seed } = runSettings({}, spec);
    const plan = planOf(spec, { runs, seed }, { runsCsv: false, workers: defaultWorkers() });
    const kind =
      spec.scenarios.length === 1 && spec.file === (spec.scenarios[0] as { file?: string }).file
        ? 'scenario'
        : 'experiment';
    const lines = [`${args.file}: a valid ${kind}, "${spec.name}"`];
    spec.scenarios.forEach((source, i) => {
      const scenario = source.kind === 'file' ? source.scenario : systemFor(source.spec, seed, 0, 0);
      const system = compile(scenario);
      const byType = new Map<string, number>();
      for (const a of scenario.alliances) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
      const types = [...byType].map(([t, n]) => `${n} ${t}`).join(', ');
      const name = (id: string) => scenario.states.find((s) => s.id === id)?.name ?? id;
      const gp = system.greatPowerCount;
      lines.push(
        `scenario ${i}: ${source.kind === 'file' ? scenario.name : `${scenario.name} (generated)`}`,
        ...(source.kind === 'file' && source.variant
          ? [`  variant of "${source.variant.of}": ${source.variant.changes.join('; ') || 'no changes'}`]
          : []),
        `  states: ${system.n}, ${gp === 0 ? 'no great power' : `${gp} of them ${gp === 1 ? 'a great power' : 'great powers'}`}; land borders: ${scenario.borders.length}`,
        `  alliances: ${scenario.alliances.length}${types ? ` (${types})` : ''}; commitments: ${system.commitmentCount}`,
        `  crisis: ${scenario.crisis.initiator} (${name(scenario.crisis.initiator)}) attacks ${scenario.crisis.target} (${name(scenario.crisis.target)})`,
      );
    });
    const n = (x: number) => x.toLocaleString('en-US');
    lines.push(
      `cells: ${plan.cells.length}${plan.sweepKeys.length > 0 ? ` (sweeping ${plan.sweepKeys.join(', ')}${spec.lhs ? `, Latin hypercube of ${spec.lhs}` : ''}${plan.design ? `; ${describeDesign(plan.design)}` : ''})` : ''}`,
      `runs per cell: ${n(plan.runs)}, seed ${seed} (run in batches of ${n(plan.batchSize)})`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
