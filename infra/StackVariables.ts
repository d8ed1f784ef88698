/**
 * The stack's Terraform variables: every option a user may change without editing code is a `variable` block with a
 * description, a default (the resolved stack options) and a validation, so `terraform plan -var …`, TF_VAR_*,
 * `*.auto.tfvars` files and Terraform Cloud workspace variables all work on the synthesized stack. What changes the
 * shape of the stack (region, name prefix, the API on or off, the backend) stays a synth-time setting (config.ts).
 */
import { Fn, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { ExtractionStackOptions } from './config';
import { LOG_RETENTION_DAYS } from './config';
import { FUNCTION_NAMES } from './functions';
import type { FunctionName } from './functions';

/** Terraform names of the variables (documented in docs/DEPLOY.md). */
export const VARIABLE_NAMES = {
  bitgetBaseUrl: 'bitget_base_url',
  architecture: 'architecture',
  functionMemoryMb: 'function_memory_mb',
  reservedConcurrency: 'reserved_concurrency',
  logRetentionDays: 'log_retention_days',
  runsExpirationDays: 'runs_expiration_days',
  resultsRetentionDays: 'results_retention_days',
  forceDestroy: 'force_destroy',
  laneConcurrency: 'lane_concurrency',
  windowConcurrency: 'window_concurrency',
  stateMachineLogLevel: 'state_machine_log_level',
  schedule: 'schedule_expression',
  scheduledRun: 'scheduled_run',
  alarmEmail: 'alarm_email',
  secretRecoveryWindowDays: 'secret_recovery_window_days',
  apiSubnetIds: 'api_subnet_ids',
  apiSecurityGroupIds: 'api_security_group_ids',
} as const;

/** Inline Map states run at most 40 iterations at once in Step Functions: a larger MaxConcurrency means nothing. */
export const MAX_MAP_CONCURRENCY = 40;

/** A function's key in the map variables: `symbol-processor` → `symbol_processor`. */
export function variableKey(name: FunctionName): string {
  return name.replace(/-/g, '_');
}

/** A Terraform expression as cdktf writes it into the JSON (`${…}`). */
const expr = (hcl: string): string => `\${${hcl}}`;
const hclList = (values: readonly (string | number)[]): string =>
  `[${values.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ')}]`;

/** The variables of one stack and the Terraform expressions the resources read them through. */
export class StackVariables {
  private readonly vars: Record<keyof typeof VARIABLE_NAMES, TerraformVariable>;

  constructor(scope: Construct, options: ExtractionStackOptions) {
    // Map keys in snake_case: cdktf writes object keys that way, and HCL needs no quotes around them.
    const names = FUNCTION_NAMES.map(variableKey);
    const v = (
      key: keyof typeof VARIABLE_NAMES,
      config: {
        type: string;
        default: unknown;
        description: string;
        validation: { condition: string; errorMessage: string }[];
      },
    ): TerraformVariable => {
      const name = VARIABLE_NAMES[key];
      return new TerraformVariable(scope, name, {
        type: config.type,
        default: config.default,
        description: config.description,
        nullable: false,
        validation: config.validation.map((c) => ({
          condition: expr(c.condition),
          errorMessage: c.errorMessage,
        })),
      });
    };
    const wholeIn = (ref: string, min: number, max: number) =>
      `floor(${ref}) == ${ref} && ${ref} >= ${min} && ${ref} <= ${max}`;

    this.vars = {
      bitgetBaseUrl: v('bitgetBaseUrl', {
        type: 'string',
        default: options.bitgetBaseUrl,
        description: 'Exchange address the functions call (a Bitget-compatible simulator for a dry run).',
        validation: [
          {
            condition: 'can(regex("^https?://[^/\\\\s]+", var.bitget_base_url))',
            errorMessage: 'bitget_base_url must be an http(s) URL, e.g. https://api.bitget.com.',
          },
        ],
      }),
      architecture: v('architecture', {
        type: 'string',
        default: options.architecture,
        description: 'CPU architecture of every function: arm64 (about 20 % cheaper) or x86_64.',
        validation: [
          {
            condition: 'contains(["arm64", "x86_64"], var.architecture)',
            errorMessage: 'architecture must be arm64 or x86_64.',
          },
        ],
      }),
      functionMemoryMb: v('functionMemoryMb', {
        type: 'map(number)',
        default: Object.fromEntries(
          FUNCTION_NAMES.map((n) => [variableKey(n), options.functions[n].memoryMb]),
        ),
        description:
          'Memory (MB, 128..10240; CPU grows with it) per function; a function left out keeps its default size.',
        validation: [
          {
            condition: `alltrue([for k, m in var.function_memory_mb : contains(${hclList(names)}, k) && ${wholeIn('m', 128, 10240)}])`,
            errorMessage: `function_memory_mb takes the functions ${names.join(', ')}, each a whole number of MB in 128..10240.`,
          },
        ],
      }),
      reservedConcurrency: v('reservedConcurrency', {
        type: 'map(number)',
        default: Object.fromEntries(
          FUNCTION_NAMES.flatMap((n) => {
            const r = options.functions[n].reservedConcurrency;
            return r === undefined ? [] : [[variableKey(n), r]];
          }),
        ),
        description:
          'Reserved concurrency per function (0 stops it, -1 or absent: no reservation, the account pool). ' +
          'Keep symbol-processor at or above lane_concurrency; reservations fail on accounts whose quota is 10.',
        validation: [
          {
            condition: `alltrue([for k, n in var.reserved_concurrency : contains(${hclList(names)}, k) && ${wholeIn('n', -1, 10000)}])`,
            errorMessage: `reserved_concurrency takes the functions ${names.join(', ')}, each a whole number >= -1.`,
          },
        ],
      }),
      logRetentionDays: v('logRetentionDays', {
        type: 'number',
        default: options.logRetentionDays,
        description: 'Days CloudWatch keeps the logs of every function and of the state machine.',
        validation: [
          {
            condition: `contains(${hclList(LOG_RETENTION_DAYS)}, var.log_retention_days)`,
            errorMessage: `log_retention_days must be one of ${LOG_RETENTION_DAYS.join(', ')} (the values CloudWatch Logs accepts).`,
          },
        ],
      }),
      runsExpirationDays: v('runsExpirationDays', {
        type: 'number',
        default: options.storage.runsExpirationDays,
        description:
          'Days the working files under runs/ (plans, parts, cursors) are kept; a run resumes only within them.',
        validation: [
          {
            condition: wholeIn('var.runs_expiration_days', 1, 3650),
            errorMessage: 'runs_expiration_days must be a whole number of days in 1..3650.',
          },
        ],
      }),
      resultsRetentionDays: v('resultsRetentionDays', {
        type: 'number',
        default: options.storage.resultsRetentionDays ?? 0,
        description: 'Days results/ are kept (the archive beyond Bitget’s 90 days); 0 keeps them forever.',
        validation: [
          {
            condition: wholeIn('var.results_retention_days', 0, 36500),
            errorMessage: 'results_retention_days must be 0 (forever) or a whole number of days up to 36500.',
          },
        ],
      }),
      forceDestroy: v('forceDestroy', {
        type: 'bool',
        default: options.storage.forceDestroy,
        description:
          'Let terraform destroy delete a bucket that still holds results (off: destroying never deletes data).',
        validation: [],
      }),
      laneConcurrency: v('laneConcurrency', {
        type: 'number',
        default: options.stateMachine.laneConcurrency,
        description: `MaxConcurrency of the Maps over lanes (1..${MAX_MAP_CONCURRENCY}): symbol-processor invocations at once per run.`,
        validation: [
          {
            condition: wholeIn('var.lane_concurrency', 1, MAX_MAP_CONCURRENCY),
            errorMessage: `lane_concurrency must be a whole number in 1..${MAX_MAP_CONCURRENCY} (an inline Map runs at most ${MAX_MAP_CONCURRENCY} iterations at once).`,
          },
        ],
      }),
      windowConcurrency: v('windowConcurrency', {
        type: 'number',
        default: options.stateMachine.windowConcurrency,
        description: `MaxConcurrency of the Map over symbol-search windows (1..${MAX_MAP_CONCURRENCY}).`,
        validation: [
          {
            condition: wholeIn('var.window_concurrency', 1, MAX_MAP_CONCURRENCY),
            errorMessage: `window_concurrency must be a whole number in 1..${MAX_MAP_CONCURRENCY}.`,
          },
        ],
      }),
      stateMachineLogLevel: v('stateMachineLogLevel', {
        type: 'string',
        default: options.stateMachine.logLevel,
        description: 'Execution log level: ALL, ERROR or FATAL (execution data is never logged).',
        validation: [
          {
            condition: 'contains(["ALL", "ERROR", "FATAL"], var.state_machine_log_level)',
            errorMessage: 'state_machine_log_level must be ALL, ERROR or FATAL.',
          },
        ],
      }),
      schedule: v('schedule', {
        type: 'string',
        default: options.schedule.expression,
        description:
          'When EventBridge Scheduler starts an extraction, e.g. "rate(6 hours)" or "cron(0 3 * * ? *)" (UTC); "" disables the schedule.',
        validation: [
          {
            condition:
              'var.schedule_expression == "" || can(regex("^rate\\\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\\\)$", var.schedule_expression)) || can(regex("^cron\\\\([^()]+\\\\)$", var.schedule_expression))',
            errorMessage:
              'schedule_expression must be "", rate(N minutes|hours|days) or cron(…) (EventBridge Scheduler syntax).',
          },
        ],
      }),
      scheduledRun: v('scheduledRun', {
        type: 'string',
        default: 'archive-sync',
        description:
          'With the archive in the stack (INFRA_ARCHIVE_SYNC_HOURS): what runs on schedule, "archive-sync" (the sync ' +
          'state machine every INFRA_ARCHIVE_SYNC_HOURS; schedule_expression is then unused) or "extraction" (a plain ' +
          'extraction on schedule_expression; the sync schedule is disabled). Without the archive: no effect.',
        validation: [
          {
            condition: 'contains(["archive-sync", "extraction"], var.scheduled_run)',
            errorMessage: 'scheduled_run must be "archive-sync" or "extraction".',
          },
        ],
      }),
      alarmEmail: v('alarmEmail', {
        type: 'string',
        default: options.alarms.email ?? '',
        description:
          'Address subscribed to the alarm topic (confirm the e-mail AWS sends once); "" subscribes nobody.',
        validation: [
          {
            condition:
              'var.alarm_email == "" || can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", var.alarm_email))',
            errorMessage: 'alarm_email must be an e-mail address or "".',
          },
        ],
      }),
      secretRecoveryWindowDays: v('secretRecoveryWindowDays', {
        type: 'number',
        default: options.secretRecoveryWindowDays,
        description: 'Days a destroyed secret stays recoverable: 0 deletes it at once, otherwise 7..30.',
        validation: [
          {
            condition: `var.secret_recovery_window_days == 0 || (${wholeIn('var.secret_recovery_window_days', 7, 30)})`,
            errorMessage: 'secret_recovery_window_days must be 0 or a whole number in 7..30.',
          },
        ],
      }),
      apiSubnetIds: v('apiSubnetIds', {
        type: 'list(string)',
        default: options.api.vpc.subnetIds,
        description:
          'Subnets for the api function, to reach a database that is not public; [] keeps it outside any VPC. ' +
          'The subnets need a NAT gateway or VPC endpoints for S3, Step Functions and Secrets Manager.',
        validation: [
          {
            condition: 'alltrue([for s in var.api_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])',
            errorMessage: 'api_subnet_ids must be subnet ids (subnet-…).',
          },
        ],
      }),
      apiSecurityGroupIds: v('apiSecurityGroupIds', {
        type: 'list(string)',
        default: options.api.vpc.securityGroupIds,
        description: 'Security groups of the api function inside the VPC (required with api_subnet_ids).',
        validation: [
          {
            condition: 'alltrue([for s in var.api_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])',
            errorMessage: 'api_security_group_ids must be security group ids (sg-…).',
          },
        ],
      }),
    };
  }

  /** `var.<name>` of a variable, as a Terraform reference inside strings. */
  ref(key: keyof typeof VARIABLE_NAMES): string {
    return expr(`var.${VARIABLE_NAMES[key]}`);
  }

  get bitgetBaseUrl(): string {
    return this.vars.bitgetBaseUrl.stringValue;
  }
  get architecture(): string {
    return this.vars.architecture.stringValue;
  }
  get logRetentionDays(): number {
    return this.vars.logRetentionDays.numberValue;
  }
  get runsExpirationDays(): number {
    return this.vars.runsExpirationDays.numberValue;
  }
  get forceDestroy(): boolean {
    return this.vars.forceDestroy.booleanValue as unknown as boolean;
  }
  get stateMachineLogLevel(): string {
    return this.vars.stateMachineLogLevel.stringValue;
  }
  get alarmEmail(): string {
    return this.vars.alarmEmail.stringValue;
  }
  get secretRecoveryWindowDays(): number {
    return this.vars.secretRecoveryWindowDays.numberValue;
  }
  get apiSubnetIds(): string[] {
    return this.vars.apiSubnetIds.listValue;
  }
  get apiSecurityGroupIds(): string[] {
    return this.vars.apiSecurityGroupIds.listValue;
  }
  /** The Map concurrencies as strings to splice into the definition's JSON text (numbers once Terraform renders it). */
  get laneConcurrencyText(): string {
    return this.vars.laneConcurrency.toString();
  }
  get windowConcurrencyText(): string {
    return this.vars.windowConcurrency.toString();
  }

  /** A function's memory: its entry in function_memory_mb, or its default size when the map leaves it out. */
  memoryMb(name: FunctionName, fallback: number): number {
    return Token.asNumber(Fn.lookup(this.vars.functionMemoryMb.value, variableKey(name), fallback));
  }

  /** A function's reserved concurrency; -1 (Lambda's "unreserved") when reserved_concurrency leaves it out. */
  reservedConcurrency(name: FunctionName): number {
    return Token.asNumber(Fn.lookup(this.vars.reservedConcurrency.value, variableKey(name), -1));
  }

  /** Terraform expressions that only make sense as raw HCL (conditions, counts). */
  readonly hcl = {
    scheduleEnabled: 'var.schedule_expression != ""',
    archiveSyncScheduled: 'var.scheduled_run == "archive-sync"',
    resultsKeptForever: 'var.results_retention_days == 0',
    alarmEmailSet: 'var.alarm_email != ""',
    apiInVpc: 'length(var.api_subnet_ids) > 0',
    apiVpcComplete: '(length(var.api_subnet_ids) > 0) == (length(var.api_security_group_ids) > 0)',
  } as const;

  /** `${cond ? a : b}` with raw HCL operands. */
  static conditional(condition: string, whenTrue: string, whenFalse: string): string {
    return expr(`${condition} ? ${whenTrue} : ${whenFalse}`);
  }
}
