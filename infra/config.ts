import { z } from 'zod';
import { defaultLocalStatePath, selectBackend } from './backend';
import type { BackendChoice } from './backend';
import type { BundlingOptions } from './bundle';
import { DEFAULT_MAP_CONCURRENCY } from '../statemachine/extraction';
import { DEFAULT_FUNCTION_SETTINGS, FUNCTION_NAMES } from './functions';
import type { FunctionName, FunctionSettings } from './functions';

export type Architecture = 'arm64' | 'x86_64';
export type StateMachineLogLevel = 'ALL' | 'ERROR' | 'FATAL';

export interface StorageOptions {
  /** Plans, parts and cursors under `runs/` are working files: expired after this many days. */
  runsExpirationDays: number;
  /** Results under `results/` are the archive beyond Bitget's 90 days; `undefined` keeps them forever. */
  resultsRetentionDays: number | undefined;
  /** Overwritten or deleted versions are kept this long (recovery from a bad run), then expired. */
  noncurrentVersionExpirationDays: number;
  abortIncompleteMultipartUploadDays: number;
  /** Lets `terraform destroy` delete a non-empty bucket. Off: destroying never deletes data by accident. */
  forceDestroy: boolean;
}

export interface ScheduleOptions {
  /** Default of the `schedule` variable: an EventBridge Scheduler expression, or '' (no scheduled runs). */
  expression: string;
  /** The extraction request each scheduled execution starts with (src/core/request.ts). `{}`: everything Bitget serves. */
  request: Record<string, unknown>;
}

export interface VpcOptions {
  subnetIds: string[];
  securityGroupIds: string[];
}

/**
 * Everything the stack needs, resolved up front: nothing below reads the environment. The settings a Terraform
 * variable carries (StackVariables.ts) are that variable's default here; the others shape the stack at synth.
 */
export interface ExtractionStackOptions {
  /** Repository root: `functions/<name>/index.ts` are bundled from here. */
  projectRoot: string;
  region: string;
  /** Prefix of every resource name (functions, roles, log groups, the bucket). */
  namePrefix: string;
  bitgetBaseUrl: string;
  architecture: Architecture;
  functions: Record<FunctionName, FunctionSettings>;
  logRetentionDays: number;
  storage: StorageOptions;
  stateMachine: {
    logLevel: StateMachineLogLevel;
    /** MaxConcurrency of the Maps over lanes (1..40). */
    laneConcurrency: number;
    /** MaxConcurrency of the Map over symbol-search windows (1..40). */
    windowConcurrency: number;
  };
  /** The `api` function behind an IAM-authenticated function URL, optionally inside a VPC (to reach a private database). */
  api: { enabled: boolean; vpc: VpcOptions };
  /** The EventBridge Scheduler schedule (always created, disabled while its expression is ''). */
  schedule: ScheduleOptions;
  /** CloudWatch alarms notify an SNS topic; `email` is subscribed to it. */
  alarms: { email?: string };
  /** The archive: a schedule running a sync every N hours, and the Glue table over it (constructs/ArchiveSync.ts). */
  archive?: { everyHours: number };
  /** Days Secrets Manager keeps a deleted secret recoverable (0 = delete at once, 7..30 otherwise). */
  secretRecoveryWindowDays: number;
  backend: BackendChoice;
  bundling: BundlingOptions;
  tags: Record<string, string>;
}

/** Valid Lambda log retention values (CloudWatch Logs accepts only these). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULT_STACK_NAME = 'bitget-orders';

/** Deepest partial of the options, for tests and callers that only change a few settings. */
export interface ExtractionStackOverrides extends Partial<
  Omit<
    ExtractionStackOptions,
    'functions' | 'storage' | 'stateMachine' | 'bundling' | 'alarms' | 'api' | 'schedule'
  >
> {
  projectRoot: string;
  api?: { enabled?: boolean; vpc?: Partial<VpcOptions> };
  schedule?: Partial<ScheduleOptions>;
  functions?: Partial<Record<FunctionName, Partial<FunctionSettings>>>;
  storage?: Partial<StorageOptions>;
  stateMachine?: Partial<ExtractionStackOptions['stateMachine']>;
  bundling?: Partial<BundlingOptions>;
  alarms?: Partial<ExtractionStackOptions['alarms']>;
}

export function resolveStackOptions(
  overrides: ExtractionStackOverrides,
  stackName = DEFAULT_STACK_NAME,
): ExtractionStackOptions {
  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [
      name,
      { ...DEFAULT_FUNCTION_SETTINGS[name], ...(overrides.functions?.[name] ?? {}) },
    ]),
  ) as Record<FunctionName, FunctionSettings>;
  const options: ExtractionStackOptions = {
    projectRoot: overrides.projectRoot,
    // Bitget's API is served from Asia: a region nearby keeps the per-request latency of pagination low.
    region: overrides.region ?? 'ap-northeast-1',
    namePrefix: overrides.namePrefix ?? 'bitget-orders',
    bitgetBaseUrl: overrides.bitgetBaseUrl ?? 'https://api.bitget.com',
    architecture: overrides.architecture ?? 'arm64',
    functions,
    logRetentionDays: overrides.logRetentionDays ?? 30,
    storage: {
      runsExpirationDays: 7,
      resultsRetentionDays: 3653,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteMultipartUploadDays: 1,
      forceDestroy: false,
      ...overrides.storage,
    },
    stateMachine: {
      logLevel: 'ERROR',
      laneConcurrency: DEFAULT_MAP_CONCURRENCY,
      windowConcurrency: DEFAULT_MAP_CONCURRENCY,
      ...overrides.stateMachine,
    },
    api: {
      enabled: overrides.api?.enabled ?? false,
      vpc: { subnetIds: [], securityGroupIds: [], ...overrides.api?.vpc },
    },
    schedule: { expression: '', request: {}, ...overrides.schedule },
    alarms: { ...overrides.alarms },
    archive: overrides.archive,
    secretRecoveryWindowDays: overrides.secretRecoveryWindowDays ?? 7,
    backend: overrides.backend ?? selectBackend({}, defaultLocalStatePath(stackName)),
    bundling: { minify: true, sourcemap: true, externalAwsSdk: false, ...overrides.bundling },
    tags: { Project: 'bitget-orders', ManagedBy: 'cdktf', Stack: stackName, ...overrides.tags },
  };
  validateStackOptions(options);
  return options;
}

export class InvalidStackOptionsError extends Error {
  override readonly name = 'InvalidStackOptionsError';
}

/** Fails at synth with every problem named, rather than at `terraform apply` with one AWS error at a time. */
export function validateStackOptions(options: ExtractionStackOptions): void {
  const problems: string[] = [];
  // Longest names: `<prefix>-time-range-mapper-<region>` (IAM role, 64) and `<prefix>-<account>-<region>` (bucket, 63).
  if (!/^[a-z][a-z0-9-]{1,23}$/.test(options.namePrefix)) {
    problems.push('namePrefix must be 2..24 lower-case letters, digits or hyphens, starting with a letter');
  }
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d$/.test(options.region))
    problems.push(`region "${options.region}" is not a region`);
  for (const name of FUNCTION_NAMES) {
    const f = options.functions[name];
    if (!Number.isInteger(f.memoryMb) || f.memoryMb < 128 || f.memoryMb > 10240) {
      problems.push(`functions.${name}.memoryMb must be an integer in 128..10240`);
    }
    if (!Number.isInteger(f.timeoutSeconds) || f.timeoutSeconds < 1 || f.timeoutSeconds > 900) {
      problems.push(`functions.${name}.timeoutSeconds must be an integer in 1..900`);
    }
    if (
      f.reservedConcurrency !== undefined &&
      (!Number.isInteger(f.reservedConcurrency) || f.reservedConcurrency < -1)
    ) {
      problems.push(`functions.${name}.reservedConcurrency must be an integer >= -1`);
    }
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(options.logRetentionDays)) {
    problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const s = options.storage;
  for (const [key, value] of Object.entries({
    'storage.runsExpirationDays': s.runsExpirationDays,
    'storage.noncurrentVersionExpirationDays': s.noncurrentVersionExpirationDays,
    'storage.abortIncompleteMultipartUploadDays': s.abortIncompleteMultipartUploadDays,
    ...(s.resultsRetentionDays !== undefined
      ? { 'storage.resultsRetentionDays': s.resultsRetentionDays }
      : {}),
  })) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${key} must be a positive integer`);
  }
  const w = options.secretRecoveryWindowDays;
  if (!(w === 0 || (Number.isInteger(w) && w >= 7 && w <= 30))) {
    problems.push('secretRecoveryWindowDays must be 0 or 7..30');
  }
  for (const key of ['laneConcurrency', 'windowConcurrency'] as const) {
    const c = options.stateMachine[key];
    if (!Number.isInteger(c) || c < 1 || c > 40)
      problems.push(`stateMachine.${key} must be an integer in 1..40`);
  }
  const e = options.schedule.expression;
  if (e !== '' && !/^(rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/.test(e)) {
    problems.push(`schedule.expression "${e}" is not rate(…) or cron(…)`);
  }
  const { subnetIds, securityGroupIds } = options.api.vpc;
  if (subnetIds.length > 0 !== securityGroupIds.length > 0) {
    problems.push('api.vpc needs both subnetIds and securityGroupIds, or neither');
  }
  try {
    new URL(options.bitgetBaseUrl);
  } catch {
    problems.push(`bitgetBaseUrl "${options.bitgetBaseUrl}" is not a URL`);
  }
  if (problems.length > 0)
    throw new InvalidStackOptionsError(`invalid stack options: ${problems.join('; ')}`);
}

const flag = z.stringbool({ truthy: ['1', 'true', 'yes', 'on'], falsy: ['0', 'false', 'no', 'off', ''] });

/**
 * The synth-time environment (docs/DEPLOY.md): what shapes the stack itself. All optional. Everything else is a
 * Terraform variable (StackVariables.ts), set with -var, TF_VAR_*, a .tfvars file or the Terraform Cloud workspace.
 */
const envSchema = z.object({
  INFRA_STACK: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
    .optional(),
  INFRA_NAME_PREFIX: z.string().optional(),
  AWS_REGION: z.string().optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  INFRA_ENABLE_API: flag.optional(),
  INFRA_SCHEDULE_REQUEST: z.string().optional(),
  INFRA_ARCHIVE_SYNC_HOURS: z.coerce.number().int().positive().optional(),
  INFRA_EXTERNAL_AWS_SDK: flag.optional(),
});

/** Names of the synth-time variables (the CI workflow passes each one through). */
export const SYNTH_ENVIRONMENT = Object.keys(envSchema.shape).filter((k) => k !== 'AWS_DEFAULT_REGION');

/** Build-time variables of earlier versions, now Terraform variables: setting one is an error that names its successor. */
export const RETIRED_ENVIRONMENT: Readonly<Record<string, string>> = {
  INFRA_ARCHITECTURE: 'architecture',
  INFRA_LOG_RETENTION_DAYS: 'log_retention_days',
  INFRA_RUNS_EXPIRATION_DAYS: 'runs_expiration_days',
  INFRA_RESULTS_RETENTION_DAYS: 'results_retention_days',
  INFRA_FORCE_DESTROY: 'force_destroy',
  INFRA_SCHEDULE_HOURS: 'schedule_expression',
  INFRA_ALARM_EMAIL: 'alarm_email',
  INFRA_LANE_CONCURRENCY: 'lane_concurrency',
  INFRA_WINDOW_CONCURRENCY: 'window_concurrency',
  INFRA_SFN_LOG_LEVEL: 'state_machine_log_level',
  INFRA_FUNCTIONS: 'function_memory_mb, reserved_concurrency',
  INFRA_SECRET_RECOVERY_DAYS: 'secret_recovery_window_days',
};

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidStackOptionsError(`${name} is not valid JSON`);
  }
}

/** The stack name and its options from the environment (main.ts); unset variables take the defaults. */
export function stackOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  projectRoot: string,
  localStatePath: (stackName: string) => string = defaultLocalStatePath,
): { stackName: string; options: ExtractionStackOptions } {
  // BITGET_BASE_URL, the CLI's own variable, is ignored here: the stack's exchange address is bitget_base_url.
  const retired = Object.keys(RETIRED_ENVIRONMENT).filter((k) => env[k] !== undefined && env[k] !== '');
  if (retired.length > 0) {
    throw new InvalidStackOptionsError(
      `these settings are Terraform variables now: ${retired
        .map((k) => `${k} → ${RETIRED_ENVIRONMENT[k]}`)
        .join('; ')} (set them with -var, TF_VAR_<name> or a .tfvars file; docs/DEPLOY.md)`,
    );
  }
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new InvalidStackOptionsError(
      `invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const stackName = e.INFRA_STACK ?? DEFAULT_STACK_NAME;
  const scheduleRequest = e.INFRA_SCHEDULE_REQUEST
    ? z.record(z.string(), z.unknown()).parse(parseJson('INFRA_SCHEDULE_REQUEST', e.INFRA_SCHEDULE_REQUEST))
    : {};
  const region = e.AWS_REGION ?? e.AWS_DEFAULT_REGION;
  const options = resolveStackOptions(
    {
      projectRoot,
      region,
      namePrefix: e.INFRA_NAME_PREFIX,
      archive: e.INFRA_ARCHIVE_SYNC_HOURS ? { everyHours: e.INFRA_ARCHIVE_SYNC_HOURS } : undefined,
      api: { enabled: e.INFRA_ENABLE_API ?? false },
      schedule: { request: scheduleRequest },
      // Spread only when set: an undefined key would override the default in resolveStackOptions.
      bundling: {
        ...(e.INFRA_EXTERNAL_AWS_SDK !== undefined ? { externalAwsSdk: e.INFRA_EXTERNAL_AWS_SDK } : {}),
      },
      backend: selectBackend(env, localStatePath(stackName), {
        stackName,
        region: region ?? resolveStackOptions({ projectRoot }).region,
      }),
    },
    stackName,
  );
  return { stackName, options };
}
