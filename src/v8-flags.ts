/**
 * V8 settings for the simulator, applied on import before anything hot is compiled (the CLI
 * imports this first; V8's flags are the process's, so the workers started later share them).
 *
 * The inlining budget: TurboFan inlines callees into a hot function until their bytecode adds
 * up to `max-inlined-bytecode-size-cumulative` (920 bytes by default). A step of the simulator
 * (Simulator.run → decideAll → decide → the rule of each section → the hazard draw) is one
 * method per rule of MODEL.md, and together they exceed the default, so the innermost calls
 * stay calls. With 3000, measured side by side on this machine (CPU time, fresh processes):
 * 1914 +12 %, tight.yaml +18 %, the same draws and bytes.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-inlined-bytecode-size-cumulative=3000');
