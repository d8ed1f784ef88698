import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { ExtractionStackOverrides } from './config';
import { resolveStackOptions } from './config';
import { ExtractionStack } from './ExtractionStack';
import type { PolicyDocument, PolicyStatement } from './iam';

/** The repository root, as main.ts would find it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** A synthesized stack: the raw JSON (for cdktf's matchers and text searches) and its parsed form. */
export interface Synthesized {
  stack: ExtractionStack;
  json: string;
  tf: TerraformJson;
}

export interface TerraformJson {
  terraform: Record<string, unknown>;
  variable: Record<string, Record<string, unknown>>;
  output: Record<string, { value: string; sensitive?: boolean }>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** Synthesizes a stack with test defaults (unminified bundles: faster, and the snapshot does not depend on them). */
export function synthStack(
  overrides: Partial<ExtractionStackOverrides> = {},
  stackName = 'test',
): Synthesized {
  const app = Testing.app();
  const options = resolveStackOptions(
    { projectRoot: PROJECT_ROOT, ...overrides, bundling: { minify: false, ...overrides.bundling } },
    stackName,
  );
  const stack = new ExtractionStack(app, stackName, options);
  const json = Testing.synth(stack);
  return { stack, json, tf: JSON.parse(json) as TerraformJson };
}

/** `{ logicalId: config }` of one resource type (empty when absent). */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource[type] ?? {};
}

/** The only resource of a type whose logical id starts with `prefix`. */
export function resourceNamed(tf: TerraformJson, type: string, prefix: string): Record<string, unknown> {
  const matches = Object.entries(resourcesOf(tf, type)).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}, found ${matches.length}`);
  return matches[0]![1];
}

/** Logical id of the only resource of a type whose logical id starts with `prefix`. */
export function logicalId(tf: TerraformJson, type: string, prefix: string): string {
  const ids = Object.keys(resourcesOf(tf, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.length}`);
  return ids[0]!;
}

export interface NamedPolicy {
  /** `aws_iam_role_policy.<id>` or `aws_s3_bucket_policy.<id>`. */
  address: string;
  document: PolicyDocument;
}

/** Every policy document of the stack: role policies and the bucket policy. */
export function policiesOf(tf: TerraformJson): NamedPolicy[] {
  return ['aws_iam_role_policy', 'aws_s3_bucket_policy'].flatMap((type) =>
    Object.entries(resourcesOf(tf, type)).map(([id, r]) => ({
      address: `${type}.${id}`,
      document: JSON.parse(r.policy as string) as PolicyDocument,
    })),
  );
}

/** The statements of the role policy whose logical id starts with `prefix`. */
export function statementsOf(tf: TerraformJson, prefix: string): PolicyStatement[] {
  const policy = resourceNamed(tf, 'aws_iam_role_policy', prefix);
  return (JSON.parse(policy.policy as string) as PolicyDocument).Statement;
}

export function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/** Terraform references (`${aws_x.id.attr}`) in a string, as `{type, id, attribute}`. */
export function referencesIn(
  text: string,
): { type: string; id: string; attribute: string; kind: 'resource' | 'data' }[] {
  return [...text.matchAll(/\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g)].map((m) => ({
    kind: m[1] ? 'data' : 'resource',
    type: m[2]!,
    id: m[3]!,
    attribute: m[4]!,
  }));
}

/**
 * Blanks what changes with other people's code: asset hashes (the handlers' bundles) and the state machine definition
 * (statemachine/extraction.ts; stateMachine.test.ts checks it on its own).
 */
export function blankVolatile(json: string): string {
  return json
    .replace(/("definition": )"(?:[^"\\]|\\.)*"/g, '$1"<statemachine/extraction.ts>"')
    .replace(/("filename": "assets\/[^/]+\/)[0-9A-F]{32}(\/archive\.zip")/g, '$1<hash>$2')
    .replace(/("source_code_hash": ")[0-9A-F]{32}(")/g, '$1<hash>$2');
}
