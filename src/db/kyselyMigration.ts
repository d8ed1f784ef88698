/**
 * Kysely 0.29 serves its Migrator from the `kysely/migration` subpath export, which TypeScript's `node`
 * module resolution (this project's setting) cannot see. Types come from the file itself; the value is
 * loaded through the export map at run time (Node, jest and esbuild all honour it).
 */
import type * as KyselyMigration from 'kysely/dist/migration/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const migration = require('kysely/migration') as typeof KyselyMigration;

export const Migrator = migration.Migrator;
export type Migrator = KyselyMigration.Migrator;
export type { Migration, MigrationProvider } from 'kysely/dist/migration/index';
