import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

/** An open, append-only log file shared by a logger and its children. */
export class LogFile {
  private fd: number | undefined;
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }
  /** One whole line per call, written at once: a crash never leaves half a line. */
  writeLine(line: string): void {
    if (this.fd !== undefined) writeSync(this.fd, line + '\n');
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The Powertools logger, writing its JSON lines to a file instead of stdout: locally, where stdout and stderr
 * belong to the command (its result line, its progress), the run's log goes to the data directory.
 */
export class FileLogger extends Logger {
  constructor(
    private readonly file: LogFile,
    options: ConstructorOptions = {},
  ) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.file.writeLine(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    return new FileLogger(this.file, options);
  }
}
