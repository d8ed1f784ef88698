import { join } from 'node:path';
import type { LogPort } from '../extraction/telemetry';
import { FileLogger, LogFile } from './FileLogger';
import { powertoolsLogPort } from './logPort';
import { SecretRedactor } from './redact';
import { DEFAULT_SERVICE_NAME } from './lambda';

/** Where a data directory keeps the log of the runs made from it. */
export function localLogPath(dataDir: string): string {
  return join(dataDir, 'logs', `${DEFAULT_SERVICE_NAME}.log`);
}

export interface LocalTelemetry {
  log: LogPort;
  /** The JSON-lines file the log is appended to. */
  path: string;
  close(): void;
}

/**
 * The Lambda functions' logger on one machine: the same Powertools logger and the same lines, appended to the
 * data directory's log file (stdout and stderr belong to the command). `secrets` (the Bitget keys) are
 * redacted from every line, as they are on Lambda.
 */
export function localTelemetry(options: {
  dataDir: string;
  secrets?: (string | undefined)[];
  logLevel?: string;
}): LocalTelemetry {
  const path = localLogPath(options.dataDir);
  const file = new LogFile(path);
  const redactor = new SecretRedactor();
  redactor.add(...(options.secrets ?? []));
  const logger = new FileLogger(file, {
    serviceName: DEFAULT_SERVICE_NAME,
    logLevel: (options.logLevel ?? 'INFO').toUpperCase() as 'INFO',
    jsonReplacerFn: redactor.replacer,
  });
  return { log: powertoolsLogPort(logger), path, close: () => file.close() };
}
