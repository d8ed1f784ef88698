import type { Logger } from '@aws-lambda-powertools/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';
/** pino's numeric levels (trace 10 … fatal 60) in the Powertools logger's words. */
const LEVELS: Record<number, Level> = {
  10: 'debug',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'error',
};

/**
 * A destination for Fastify's logger (pino) that writes each line again through the Powertools logger: the api
 * function's request lines then carry the same keys as every other function's (service, cold start, request
 * id). pino has already applied its redaction paths (src/api/app.ts) to what arrives here.
 */
export function powertoolsPinoStream(logger: Logger): { write(line: string): void } {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        logger.info(line.trim());
        return;
      }
      const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = entry;
      const method = LEVELS[Number(level)] ?? 'info';
      logger[method](typeof msg === 'string' ? msg : 'api', fields);
    },
  };
}
