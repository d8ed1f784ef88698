import type { S3Client } from '@aws-sdk/client-s3';
import type { ExecutionEngine } from '../core/engine';
import type { Database } from '../db';
import type { RateLimitOptions } from './limits';
import type { ResultDelivery } from './runFiles';
import type { SymbolSource } from './symbols';

/** What the API runs on. Everything is injected: the Lambda, the CLI's `serve` and the tests build their own. */
export interface ApiDeps {
  engine: ExecutionEngine;
  /**
   * The state machine the engine runs (`arn:aws:states:<region>:<account>:stateMachine:<name>`); an execution
   * ARN of any other machine, region, account or partition is answered 404 without asking the engine.
   */
  stateMachineArn: string;
  db: Database;
  s3: S3Client;
  /** The results bucket of this deployment: the only bucket save-from-url reads. */
  bucket: string;
  symbols: SymbolSource;
  /** When set, every route but /health (the docs included) requires it in `x-api-key`. */
  apiKey?: string;
  /**
   * The Host values answered; any other is refused with 421. startApiServer sets it on loopback; absent (the
   * Lambda behind its function URL, tests through inject): any Host.
   */
  allowedHosts?: () => ReadonlySet<string>;
  /** Per-client request limits (defaults in DEFAULT_RATE_LIMIT); false turns them off. */
  rateLimit?: RateLimitOptions | false;
  /** Executions RUNNING at once before a start is answered 429 (default 3). */
  maxRunningExecutions?: number;
  /** Retry-After of that 429, in seconds (default 60). */
  runningRetryAfterSeconds?: number;
  /**
   * How GET /runs/{runId}/files/{name} and /runs/{runId}/report answer: `stream` (default; the local stack) sends
   * the object through the API, `presign` (the Lambda) redirects to a URL signed for presignSeconds.
   */
  resultDelivery?: ResultDelivery;
  /**
   * false: GET /runs/events answers one event as JSON even to `Accept: text/event-stream` (the Lambda, whose
   * buffered answers cannot stream); the page then asks again every few seconds. Default true.
   */
  eventStream?: boolean;
  /** Lifetime of the presigned result URL a status read returns (default 900 s). */
  presignSeconds?: number;
  now?: () => number;
  /** false (default) for silence, true for info-level JSON lines on stdout, or options. Secrets are redacted. */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** Shown by /info and the web page's start form: `simulator`, or the Bitget address runs read. */
  exchange?: string;
  /** Shown by /info; default: the engine's `kind` property, else `custom`. */
  engineKind?: string;
  /** Largest request body in bytes (default 256 KiB); larger bodies are answered 413. */
  bodyLimit?: number;
  /** Largest result file save-from-url reads (default 64 MiB). */
  maxResultFileBytes?: number;
  /** How long a status poll waits for an automatic import before answering with `importing` (default 20 s). */
  importWaitMs?: number;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;
export const DEFAULT_MAX_RESULT_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_IMPORT_WAIT_MS = 20_000;
