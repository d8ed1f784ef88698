import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

export interface BundlingOptions {
  minify: boolean;
  sourcemap: boolean;
  /** Leave `@aws-sdk/*` to the Lambda runtime instead of bundling the pinned versions (see docs/DEPLOY.md). */
  externalAwsSdk: boolean;
}

/** A file or directory copied next to `index.js` (paths: `from` relative to the project root, `to` to the bundle). */
export interface BundleAsset {
  from: string;
  to: string;
}

export interface BundleResult {
  /** Directory holding `index.js` (and `index.js.map`): the source of the function's archive asset. */
  dir: string;
  /** Size of `index.js` in bytes. */
  bytes: number;
}

/**
 * Native, local-only modules replaced by a stub that fails only when used: SQLite (better-sqlite3, compiled for the
 * build machine) is the laptop's database, MySQL through mysql2 is the one in AWS. A static import in shared code
 * must neither break bundling nor crash a cold start.
 */
const STUBBED = { 'better-sqlite3': 'infra/stubs/betterSqlite3.ts' } as const;

/**
 * Bundles one Lambda entry point into `<outDir>/index.js` (CommonJS, node22). The AWS SDK is bundled by default: the
 * versions pinned in package-lock.json are the ones the tests ran against, whereas the runtime's copy changes with
 * AWS's runtime updates.
 */
export function bundleFunction(
  entry: string,
  outDir: string,
  options: BundlingOptions,
  projectRoot: string,
  assets: readonly BundleAsset[] = [],
): BundleResult {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'index.js');
  buildSync({
    entryPoints: [entry],
    outfile,
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // Prefer ES module builds: they tree-shake far better (the AWS SDK ships both).
    mainFields: ['module', 'main'],
    minify: options.minify,
    sourcemap: options.sourcemap ? 'external' : false,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
    alias: Object.fromEntries(
      Object.entries(STUBBED).map(([name, stub]) => [name, path.join(projectRoot, stub)]),
    ),
    external: options.externalAwsSdk ? ['@aws-sdk/*'] : [],
  });
  for (const asset of assets) {
    fs.cpSync(path.join(projectRoot, asset.from), path.join(outDir, asset.to), { recursive: true });
  }
  return { dir: outDir, bytes: fs.statSync(outfile).size };
}
