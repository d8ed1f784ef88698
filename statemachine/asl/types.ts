/**
 * Types for the JSONPath dialect of the Amazon States Language
 * (https://states-language.net/spec.html, plus the AWS additions we rely on:
 * ItemProcessor/ItemSelector, Retry MaxDelaySeconds/JitterStrategy, Fail ErrorPath/CausePath).
 * JSONata and Distributed Map are deliberately absent: the local engine cannot run them.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A Path, Reference Path or context path (`$$.…`); all begin with `$`. */
export type JsonPath = `$${string}`;

/** A Payload Template: fields ending in `.$` hold a path, the others are literals. */
export type PayloadTemplate = JsonObject;

/** Exactly one key of T, the others forbidden. */
export type ExactlyOne<T> = {
  [K in keyof T]: { [P in K]: T[K] } & { [P in Exclude<keyof T, K>]?: never };
}[keyof T];

/** At most one key of T. */
export type AtMostOne<T> = ExactlyOne<T> | { [P in keyof T]?: never };

interface StateBase {
  Comment?: string;
}

/** Non-terminal states name their successor; terminal ones say End. */
export type Transition = { Next: string; End?: never } | { End: true; Next?: never };

interface InputOutputFields {
  InputPath?: JsonPath | null;
  OutputPath?: JsonPath | null;
}

interface ResultFields {
  ResultSelector?: PayloadTemplate;
  ResultPath?: JsonPath | null;
}

export type JitterStrategy = 'FULL' | 'NONE';

export interface Retrier {
  ErrorEquals: readonly string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: JitterStrategy;
}

export interface Catcher {
  ErrorEquals: readonly string[];
  Next: string;
  ResultPath?: JsonPath | null;
}

interface ErrorHandlingFields {
  Retry?: readonly Retrier[];
  Catch?: readonly Catcher[];
}

export type TaskState = StateBase &
  InputOutputFields &
  ResultFields &
  ErrorHandlingFields &
  Transition & {
    Type: 'Task';
    Resource: string;
    Parameters?: PayloadTemplate;
    TimeoutSeconds?: number;
    HeartbeatSeconds?: number;
  };

export type PassState = StateBase &
  InputOutputFields &
  Transition & {
    Type: 'Pass';
    Parameters?: PayloadTemplate;
    Result?: JsonValue;
    ResultPath?: JsonPath | null;
  };

export type WaitState = StateBase &
  InputOutputFields &
  Transition & { Type: 'Wait' } & ExactlyOne<{
    Seconds: number;
    SecondsPath: JsonPath;
    Timestamp: string;
    TimestampPath: JsonPath;
  }>;

export interface SucceedState extends StateBase, InputOutputFields {
  Type: 'Succeed';
}

export type FailState = StateBase & { Type: 'Fail' } & AtMostOne<{ Error: string; ErrorPath: JsonPath }> &
  AtMostOne<{ Cause: string; CausePath: JsonPath }>;

/** Choice comparison operators and the type of their operand. */
export interface ComparisonOperators {
  StringEquals: string;
  StringLessThan: string;
  StringGreaterThan: string;
  StringLessThanEquals: string;
  StringGreaterThanEquals: string;
  StringMatches: string;
  StringEqualsPath: JsonPath;
  StringLessThanPath: JsonPath;
  StringGreaterThanPath: JsonPath;
  StringLessThanEqualsPath: JsonPath;
  StringGreaterThanEqualsPath: JsonPath;
  NumericEquals: number;
  NumericLessThan: number;
  NumericGreaterThan: number;
  NumericLessThanEquals: number;
  NumericGreaterThanEquals: number;
  NumericEqualsPath: JsonPath;
  NumericLessThanPath: JsonPath;
  NumericGreaterThanPath: JsonPath;
  NumericLessThanEqualsPath: JsonPath;
  NumericGreaterThanEqualsPath: JsonPath;
  BooleanEquals: boolean;
  BooleanEqualsPath: JsonPath;
  TimestampEquals: string;
  TimestampLessThan: string;
  TimestampGreaterThan: string;
  TimestampLessThanEquals: string;
  TimestampGreaterThanEquals: string;
  TimestampEqualsPath: JsonPath;
  TimestampLessThanPath: JsonPath;
  TimestampGreaterThanPath: JsonPath;
  TimestampLessThanEqualsPath: JsonPath;
  TimestampGreaterThanEqualsPath: JsonPath;
  IsNull: boolean;
  IsPresent: boolean;
  IsNumeric: boolean;
  IsString: boolean;
  IsBoolean: boolean;
  IsTimestamp: boolean;
}

export type ComparisonOperator = keyof ComparisonOperators;

/** `{ Variable, <one operator> }`. */
export type DataTestExpression = {
  Variable: JsonPath;
  And?: never;
  Or?: never;
  Not?: never;
} & ExactlyOne<ComparisonOperators>;

export type BooleanExpression =
  | { And: readonly ChoiceCondition[]; Or?: never; Not?: never; Variable?: never }
  | { Or: readonly ChoiceCondition[]; And?: never; Not?: never; Variable?: never }
  | { Not: ChoiceCondition; And?: never; Or?: never; Variable?: never };

export type ChoiceCondition = DataTestExpression | BooleanExpression;

/** A top-level Choice rule: a condition plus where to go when it matches. */
export type ChoiceRule = ChoiceCondition & { Next: string };

export interface ChoiceState extends StateBase, InputOutputFields {
  Type: 'Choice';
  Choices: readonly ChoiceRule[];
  Default?: string;
}

/** A nested state machine (Parallel branch, Map item processor). */
export interface Branch {
  StartAt: string;
  States: Record<string, State>;
  Comment?: string;
}

export type ParallelState = StateBase &
  InputOutputFields &
  ResultFields &
  ErrorHandlingFields &
  Transition & {
    Type: 'Parallel';
    Parameters?: PayloadTemplate;
    Branches: readonly Branch[];
  };

export interface InlineItemProcessor extends Branch {
  ProcessorConfig?: { Mode: 'INLINE' };
}

export type MapState = StateBase &
  InputOutputFields &
  ResultFields &
  ErrorHandlingFields &
  Transition & {
    Type: 'Map';
    ItemProcessor: InlineItemProcessor;
    ItemsPath?: JsonPath;
    ItemSelector?: PayloadTemplate;
    /** 0 (or absent) means as many as the service allows. */
    MaxConcurrency?: number;
  };

export type State =
  TaskState | PassState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;

export type StateType = State['Type'];

export interface StateMachineDefinition extends Branch {
  TimeoutSeconds?: number;
  Version?: '1.0';
}
