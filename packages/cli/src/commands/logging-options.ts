import type { DeployLogging } from '@stepwise/runtime-sfn';
import { CliError } from '../cli-error';

const LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w.\-/#]{1,512}(:\*)?$/;
const LOG_GROUP_NAME = /^[\w.\-/#]{1,512}$/;

/**
 * The `parseArgs` options of execution logging and tracing, shared by `stepwise deploy` and `stepwise policy`.
 *
 * @example
 * ```ts
 * parseCommandArgs(args, { chain: { type: 'string' }, ...LOGGING_ARGS }, USAGE.deploy);
 * ```
 */
export const LOGGING_ARGS = {
  'log-level': { type: 'string' },
  'log-group': { type: 'string' },
  'include-execution-data': { type: 'boolean', default: false },
  tracing: { type: 'boolean', default: false },
} as const;

/** Where a log group given by name lives: the state machine's partition, region and account. */
export interface LogGroupPlace {
  partition?: string | undefined;
  region?: string | undefined;
  account?: string | undefined;
}

/**
 * What {@link parseLoggingOptions} read: `deployChain`'s `logging` (absent when the level is `OFF` or not given) and
 * `tracing`.
 *
 * @example
 * ```ts
 * const settings: LoggingSettings = { logging: { level: 'ERROR', includeExecutionData: false, logGroupArn }, tracing: true };
 * ```
 */
export interface LoggingSettings {
  logging?: DeployLogging;
  tracing: boolean;
}

/**
 * Reads `--log-level ALL|ERROR|FATAL|OFF`, `--log-group <arn or name>`, `--include-execution-data` and `--tracing`
 * into `deployChain`'s `logging` and `tracing`, refusing what cannot work with a message that says what to give: a
 * level other than `OFF` without a log group (when `needsLogGroup`, as `deploy` does; `policy` only needs the level), a
 * log group or `--include-execution-data` without a level that logs, a log group that is neither a log group ARN nor a
 * log group name. A name becomes the ARN in `place` (the region and account of the state machine).
 *
 * @example
 * ```ts
 * parseLoggingOptions({ 'log-level': 'error', 'log-group': '/aws/vendedlogs/states/qa' }, USAGE.deploy, {
 *   needsLogGroup: true,
 *   place: { partition: 'aws', region: 'us-east-1', account: '123456789012' },
 * });
 * // { logging: { level: 'ERROR', includeExecutionData: false,
 * //   logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/qa:*' }, tracing: false }
 * ```
 */
export function parseLoggingOptions(
  values: Record<string, unknown>,
  usage: string,
  options: { needsLogGroup: boolean; place?: LogGroupPlace },
): LoggingSettings {
  const tracing = values.tracing === true;
  const rawLevel = values['log-level'] as string | undefined;
  const group = values['log-group'] as string | undefined;
  const includeData = values['include-execution-data'] === true;
  const level = rawLevel?.toUpperCase();
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) {
    throw new CliError(`--log-level "${rawLevel}" is not one of ${LEVELS.join(', ')}.\nUsage: ${usage}`);
  }
  const logs = level !== undefined && level !== 'OFF';
  if (group !== undefined && !logs) {
    throw new CliError(
      `--log-group needs --log-level ALL, ERROR or FATAL: ${level === 'OFF' ? 'OFF logs nothing' : 'no level was given'}.\nUsage: ${usage}`,
    );
  }
  if (includeData && !logs) {
    throw new CliError(
      `--include-execution-data needs --log-level ALL, ERROR or FATAL (and --log-group): it adds inputs and outputs to the logs.\nUsage: ${usage}`,
    );
  }
  if (!logs) return { tracing };
  if (group === undefined) {
    if (options.needsLogGroup) {
      throw new CliError(
        `--log-level ${level} needs --log-group <arn or name>: the CloudWatch Logs log group the state machine writes to ` +
          '(for instance /aws/vendedlogs/states/<name>).\nUsage: ' +
          usage,
      );
    }
    return { logging: { level: level as DeployLogging['level'], includeExecutionData: includeData }, tracing };
  }
  return {
    logging: {
      level: level as DeployLogging['level'],
      includeExecutionData: includeData,
      logGroupArn: logGroupArn(group, options.place ?? {}),
    },
    tracing,
  };
}

function logGroupArn(group: string, place: LogGroupPlace): string {
  if (group.startsWith('arn:')) {
    if (!LOG_GROUP_ARN.test(group)) {
      throw new CliError(
        `--log-group "${group}" is not a CloudWatch Logs log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>:*).`,
      );
    }
    return group.endsWith(':*') ? group : `${group}:*`;
  }
  if (!LOG_GROUP_NAME.test(group)) {
    throw new CliError(
      `--log-group "${group}" is not a log group name (1 to 512 of A-Z a-z 0-9 _ - / . #) nor a log group ARN.`,
    );
  }
  if (!place.region || !place.account) {
    throw new CliError(
      `--log-group ${group}: give the log group's ARN, or set the region (--region or AWS_REGION) so that the name can be resolved.`,
    );
  }
  return `arn:${place.partition ?? 'aws'}:logs:${place.region}:${place.account}:log-group:${group}:*`;
}
