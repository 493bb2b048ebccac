import { type Logger, pino } from 'pino';
import type { ServerOptions } from '../server-options';

/** The logger of the `logger` option: none, the given pino logger, or a new one at `level`. @internal */
export function createLogger(options: ServerOptions): Logger | undefined {
  if (options.logger === false) return undefined;
  if (options.logger?.instance) return options.logger.instance;
  return pino({ name: 'stepwise-server', level: options.logger?.level ?? process.env.LOG_LEVEL ?? 'info' });
}
