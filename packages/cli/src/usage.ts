/**
 * The usage line of every `stepwise` command, for help and error messages.
 *
 * @example
 * ```ts
 * throw new CliError(`No chain file given.\nUsage: ${USAGE.run}`);
 * ```
 */
export const USAGE = {
  run:
    'stepwise run <chain-file> [--chain <name>] [--input <json>|@<file>|-] [--json] [--runtime local|sfn] [--bedrock] ' +
    '[--region <region>] [--state-machine-arn <arn>] [--role-arn <arn>]',
  check: 'stepwise check <chain-file> [--chain <name>] [--json]',
  compile: 'stepwise compile <chain-file> [--chain <name>] [--out <file>|<dir>/] [--handler name=arn ...]',
  policy:
    'stepwise policy <chain-file> [--chain <name>] [--region <region>] [--account <id>] [--handler name=arn ...] ' +
    '[--connection provider=arn ...] [--endpoint provider=url ...] [--log-level ALL|ERROR|FATAL|OFF] [--tracing]',
  deploy:
    'stepwise deploy <chain-file> --role-arn <arn> [--chain <name>] [--name <state-machine>] [--region <region>] ' +
    '[--handler name=arn ...] [--connection provider=arn ...] [--endpoint provider=url ...] ' +
    '[--log-level ALL|ERROR|FATAL|OFF --log-group <arn or name> [--include-execution-data]] [--tracing] [--dry-run] [--json]',
  serve:
    'stepwise serve <chains-file> [--port <port>] [--host <host>] [--no-playground] [--runtime local|sfn] [--bedrock] ' +
    '[--region <region>] [--state-machine <chain>=<arn> ...] [--role-arn <arn>]',
  emulate:
    'stepwise emulate [--port <port>] [--host <host>] [--fakes <chain-file>] [--compatible-endpoint <https-prefix>]',
} as const;
