import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';

/**
 * Parses the `--input` option: inline JSON, `@path` to a JSON file, or `-` for standard input.
 * Throws a {@link CliError} (exit code 2) naming what is wrong with the JSON.
 *
 * @example
 * ```ts
 * parseInput('{"question":"Hi"}'); // { question: 'Hi' }
 * parseInput('@input.json');
 * ```
 */
export function parseInput(
  value: string,
  cwd: string = process.cwd(),
  readStdin: () => string = readStandardInput,
): unknown {
  let text = value;
  let where = '--input';
  if (value === '-') {
    text = readStdin();
    where = 'standard input';
  } else if (value.startsWith('@')) {
    const file = resolve(cwd, value.slice(1));
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`Input file not found: ${value.slice(1)}`, ExitCode.usage);
    }
    where = value.slice(1);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `${where} is not valid JSON (${reason}). Example: --input '{"question":"What is your return policy?"}'`,
      ExitCode.usage,
    );
  }
}

function readStandardInput(): string {
  return readFileSync(0, 'utf8');
}
