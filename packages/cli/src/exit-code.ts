/**
 * The exit codes of the `stepwise` command:
 * - `0` ok;
 * - `1` the run, deploy or server failed (a step failed, AWS refused a call);
 * - `2` usage error: unknown command or option, missing file, no chain exported, bad input JSON, input failing the
 *   chain's schema;
 * - `3` environment error: AWS credentials or region missing for `deploy` or `--runtime sfn`;
 * - `130` interrupted (Ctrl-C).
 *
 * @example
 * ```ts
 * process.exitCode = ExitCode.usage;
 * ```
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  environment: 3,
  interrupted: 130,
} as const;

/**
 * One of the {@link ExitCode} values.
 *
 * @example
 * ```ts
 * const code: ExitCodeValue = ok ? ExitCode.ok : ExitCode.failed;
 * ```
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
