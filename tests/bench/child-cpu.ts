import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (getconf CLK_TCK; 100 on Linux wherever it runs). */
let ticks: number | undefined;

/**
 * CPU seconds (user + system) of this process's children that have ended, from /proc/self/stat
 * (cutime, cstime); undefined where there is no /proc. Read before and after a synchronous
 * child, the difference is that child's CPU time, all its threads together: Node has no rusage
 * of a child, and a wall-clock time counts the seconds a neighbour's load held the child off
 * the core, which the C yardstick's clock() does not.
 */
export function childCpuSeconds(): number | undefined {
  try {
    ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // The fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of proc(5); fields[0] here is field 3.
    return (Number(fields[13]) + Number(fields[14])) / ticks;
  } catch {
    return undefined;
  }
}
