import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` `parseArgs` for one command, strict, with positionals; a parse failure becomes a {@link CliError}
 * (exit code 2) that ends with the command's usage line.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandArgs(args, { chain: { type: 'string' } }, 'stepwise compile <chain-file>');
 * ```
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${message}\nUsage: ${usage}`, ExitCode.usage);
  }
}
