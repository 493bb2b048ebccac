/** Helpers shared by the benchmarks. */

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs per second of one round: of wall time, and of CPU time (user + system, this process). */
export interface RoundRates {
  wall: number;
  cpu: number;
}

/**
 * Runs `task` back to back for `ms` milliseconds of wall time; returns runs per second of wall time and of CPU time.
 * On a shared machine the CPU time is the steadier of the two: it leaves out the time the process waited for a core.
 */
export async function measureRound(task: () => Promise<unknown>, ms: number): Promise<RoundRates> {
  let runs = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) await task();
    runs += 16;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (runs * 1000) / (now - start), cpu: (runs * 1e6) / (cpu.user + cpu.system) };
}

/** Runs `task` back to back for `ms` milliseconds and returns runs per second (of wall time). */
export async function runsPerSecond(task: () => Promise<unknown>, ms: number): Promise<number> {
  return (await measureRound(task, ms)).wall;
}

/** Collects a full garbage collection between rounds when Node runs with `--expose-gc`. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Prints a Markdown table. */
export function printTable(headers: string[], rows: Array<Array<string | number>>): void {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)));
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => '---').join('|')}|`);
  for (const row of cells) console.log(`| ${row.join(' | ')} |`);
}

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
