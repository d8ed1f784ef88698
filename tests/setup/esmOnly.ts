/**
 * Some dependencies ship ES modules only (Kysely 0.29; content-disposition and cookie under @fastify/static and light-my-request; uuid under
 * @dsnp/parquetjs' thrift). Node 22
 * loads them with require(), but jest's CommonJS module runtime cannot, and the shared jest.config.js does not
 * transform node_modules. Until it does, tests load these modules through Node's own loader. Import this file
 * first in any test file that reaches src/db or src/api (jest.config.js loads it for every suite).
 */
type NodeModuleBuiltin = { createRequire(path: string): (id: string) => unknown };
const nodeModule = process.getBuiltinModule('node:module') as NodeModuleBuiltin;
const nodeRequire = nodeModule.createRequire(__filename);

jest.mock('kysely', () => nodeRequire('kysely'));
jest.mock('kysely/migration', () => nodeRequire('kysely/migration'));
jest.mock('content-disposition', () => nodeRequire('content-disposition'));
jest.mock('cookie', () => nodeRequire('cookie'));
// @dsnp/parquetjs reaches thrift's uuid, whose Node build is an ES module.
jest.mock('@dsnp/parquetjs', () => nodeRequire('@dsnp/parquetjs'));

export {};
