import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogFields, LogPort } from '../extraction/telemetry';

/**
 * The library's logging port over a Powertools logger. A child binds its keys to every line it writes and still
 * writes through the same logger, so the Lambda context, the cold start and the invocation's keys stay on
 * every line; lanes that run side by side in one process (locally) keep their own run and lane ids.
 */
export function powertoolsLogPort(logger: Logger, bound: LogFields = {}): LogPort {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    const extra = { ...bound, ...fields };
    if (Object.keys(extra).length === 0) logger[level](message);
    else logger[level](message, extra);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (keys) => powertoolsLogPort(logger, { ...bound, ...keys }),
  };
}
