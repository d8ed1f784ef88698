import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { stackOptionsFromEnv } from './config';
import { ExtractionStack } from './ExtractionStack';

/** The repository root: the first directory above this file holding cdktf.json (works from infra/ and dist/infra/). */
export function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json above ${from}`);
  }
}

/** Builds the app from the environment (docs/DEPLOY.md lists the variables) and synthesizes it. */
export function main(env: NodeJS.ProcessEnv = process.env): void {
  const started = Date.now();
  const projectRoot = findProjectRoot(__dirname);
  const outdir = path.resolve(projectRoot, env.CDKTF_OUTDIR ?? 'cdktf.out');
  // The local state lives in infra/state/ (backend.ts says why), named relative to the stack's working directory.
  const statePath = (stackName: string): string =>
    path.relative(
      path.join(outdir, 'stacks', stackName),
      path.join(projectRoot, 'infra', 'state', `${stackName}.tfstate`),
    );
  const { stackName, options } = stackOptionsFromEnv(env, projectRoot, statePath);
  const app = new App({ outdir });
  const stack = new ExtractionStack(app, stackName, options);
  app.synth();
  const sizes = Object.entries(stack.bundleSizes())
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`)
    .join(', ');
  console.log(
    `synthesized stack ${stackName} (${options.backend.kind} backend, ${options.region}) into ${app.outdir} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s; bundles: ${sizes}`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`synth failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
