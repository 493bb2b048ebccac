import type { Chain } from '@stepwise/core';
import type { ChainModule } from './chain-module';
import { CliError } from './cli-error';
import { ExitCode } from './exit-code';

/**
 * Picks the chain a command works on: the one named by `--chain`, or the only one the file exports.
 * Throws a {@link CliError} (exit code 2) listing the chains otherwise.
 *
 * @example
 * ```ts
 * const chain = selectChain(module, values.chain);
 * ```
 */
export function selectChain(module: ChainModule, name: string | undefined): Chain {
  const names = module.chains.map((chain) => chain.name).join(', ');
  if (name === undefined) {
    if (module.chains.length === 1) return module.chains[0]!;
    throw new CliError(`The file exports several chains (${names}); pick one with --chain <name>.`, ExitCode.usage);
  }
  const chain = module.chains.find((candidate) => candidate.name === name);
  if (!chain) throw new CliError(`No chain named "${name}" in the file. Chains: ${names}.`, ExitCode.usage);
  return chain;
}
