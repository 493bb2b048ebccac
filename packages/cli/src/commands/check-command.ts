import {
  type Chain,
  ChainDefinitionError,
  type ChainShapes,
  checkPaths,
  formatShape,
  jsonSchemaOfShape,
  validateChain,
} from '@stepwise/core';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { USAGE } from '../usage';

/**
 * `stepwise check`: checks the chains of a file as `defineChain` does (every path they read against the shapes of
 * the state) and prints the state each chain builds, step by step, with the shape of every step's output, then
 * the chain's output (`--json`: the same as JSON Schemas). A chain that does not check exits 1 with the
 * definition error (the step, the path, the nearest valid path).
 *
 * @example
 * ```ts
 * await checkCommand(['examples/router'], io);
 * // router: every path it reads can exist
 * //   input: { customerId: string; message: string }
 * //   steps.classify (invoke): { text: string; value: unknown; usage: { inputTokens: number; outputTokens: number } }
 * //   ...
 * ```
 */
export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { chain: { type: 'string' }, json: { type: 'boolean' } },
    USAGE.check,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.check}\n`);
    return ExitCode.ok;
  }
  const [file] = positionals;
  if (!file) throw new CliError(`No chain file given.\nUsage: ${USAGE.check}`);
  let chains: Chain[];
  try {
    chains = (await loadChainModule(file, io.cwd)).chains;
  } catch (error) {
    // defineChain throws while the file loads: that is the check failing, not a usage error
    const cause = (error as { cause?: unknown }).cause;
    if (CliError.isInstance(error) && ChainDefinitionError.isInstance(cause)) {
      io.stderr.write(`${file}: ChainDefinitionError: ${cause.message}\n`);
      return ExitCode.failed;
    }
    throw error;
  }
  const name = values.chain as string | undefined;
  if (name !== undefined) {
    chains = chains.filter((chain) => chain.name === name);
    if (chains.length === 0) throw new CliError(`No chain named "${name}" in ${file}.`, ExitCode.usage);
  }
  const checked: Array<{ chain: Chain; shapes: ChainShapes }> = [];
  for (const chain of chains) {
    try {
      validateChain(chain); // a chain exported as plain data has not been through defineChain
      checked.push({ chain, shapes: checkPaths(chain) });
    } catch (error) {
      if (!ChainDefinitionError.isInstance(error)) throw error;
      io.stderr.write(`${file}: chain "${chain.name}": ChainDefinitionError: ${error.message}\n`);
      return ExitCode.failed;
    }
  }
  if (values.json) {
    const json = checked.map(({ chain, shapes }) => ({
      name: chain.name,
      input: jsonSchemaOfShape(shapes.input),
      steps: shapes.steps.map((step) => ({
        id: step.id,
        type: step.type,
        depth: step.depth,
        ...(step.within === undefined ? {} : { within: step.within }),
        output: jsonSchemaOfShape(step.output),
      })),
      output: jsonSchemaOfShape(shapes.output),
    }));
    io.stdout.write(`${JSON.stringify({ chains: json }, null, 2)}\n`);
    return ExitCode.ok;
  }
  io.stdout.write(checked.map(({ chain, shapes }) => describeState(chain, shapes)).join('\n'));
  return ExitCode.ok;
}

/** The state a chain builds, one line per step in the order they run, nested steps indented. */
function describeState(chain: Chain, shapes: ChainShapes): string {
  const lines = [`${chain.name}: every path it reads can exist`, `  input: ${formatShape(shapes.input)}`];
  for (const step of shapes.steps) {
    const where = step.within === undefined ? '' : `, in ${step.within}`;
    lines.push(`${'  '.repeat(step.depth + 1)}steps.${step.id} (${step.type}${where}): ${formatShape(step.output)}`);
  }
  lines.push(`  output: ${formatShape(shapes.output)}`);
  return `${lines.join('\n')}\n`;
}
