import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileChain } from '@stepwise/runtime-sfn';
import { CliError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { ExitCode } from '../exit-code';
import { loadChainModule } from '../load-chain-module';
import { parseCommandArgs } from '../parse-command-args';
import { selectChain } from '../select-chain';
import { USAGE } from '../usage';

/**
 * Parses repeated `name=value` options (`--handler name=function`, `--state-machine chain=arn`) into a map.
 * @internal
 */
export function parseHandlerOptions(
  values: string[] | undefined,
  usage: string,
  option = '--handler',
): Record<string, string> {
  const handlers: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) {
      throw new CliError(`${option} takes <name>=<name-or-arn>, got "${value}".\nUsage: ${usage}`);
    }
    handlers[value.slice(0, at)] = value.slice(at + 1);
  }
  return handlers;
}

/**
 * `stepwise compile`: prints the Amazon States Language of a chain (`--out file` writes it; `--out dir/` writes
 * every chain of the file as `<dir>/<chain>.asl.json`).
 *
 * @example
 * ```ts
 * await compileCommand(['examples/router', '--out', 'router.asl.json'], io);
 * ```
 */
export async function compileCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { chain: { type: 'string' }, out: { type: 'string', short: 'o' }, handler: { type: 'string', multiple: true } },
    USAGE.compile,
  );
  if (values.help) {
    io.stdout.write(`Usage: ${USAGE.compile}\n`);
    return ExitCode.ok;
  }
  const [file] = positionals;
  if (!file) throw new CliError(`No chain file given.\nUsage: ${USAGE.compile}`);
  const module = await loadChainModule(file, io.cwd);
  const handlers = parseHandlerOptions(values.handler as string[] | undefined, USAGE.compile);
  const out = values.out as string | undefined;
  const warn = (warning: { stepId: string; message: string }): void => {
    io.stderr.write(`warning: step "${warning.stepId}": ${warning.message}\n`);
  };
  const toJson = (chainName: string): string => {
    const chain = module.chains.find((candidate) => candidate.name === chainName)!;
    return `${JSON.stringify(compileChain(chain, { handlers, onWarning: warn }), null, 2)}\n`;
  };
  const outPath = out === undefined ? undefined : resolve(io.cwd, out);
  const toDirectory =
    outPath !== undefined && (out!.endsWith('/') || (existsSync(outPath) && statSync(outPath).isDirectory()));
  if (toDirectory && values.chain === undefined) {
    mkdirSync(outPath!, { recursive: true });
    for (const chain of module.chains) {
      const target = join(outPath!, `${chain.name}.asl.json`);
      writeFileSync(target, toJson(chain.name));
      io.stderr.write(`wrote ${target}\n`);
    }
    return ExitCode.ok;
  }
  const chain = selectChain(module, values.chain as string | undefined);
  const json = toJson(chain.name);
  if (outPath === undefined) {
    io.stdout.write(json);
  } else {
    const target = toDirectory ? join(outPath, `${chain.name}.asl.json`) : outPath;
    if (toDirectory) mkdirSync(outPath, { recursive: true });
    writeFileSync(target, json);
    io.stderr.write(`wrote ${target}\n`);
  }
  return ExitCode.ok;
}
