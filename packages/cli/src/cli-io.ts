/**
 * Where a `stepwise` command reads and writes: the process's streams, directory and environment by default;
 * tests pass their own.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
 * ```
 */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: a run stops, a server shuts down. */
  signal?: AbortSignal;
}
