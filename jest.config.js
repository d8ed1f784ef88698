/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  roots: [
    '<rootDir>/src',
    '<rootDir>/functions',
    '<rootDir>/statemachine',
    '<rootDir>/infra',
    '<rootDir>/tests',
  ],
  testMatch: ['**/*.test.ts'],
  testTimeout: 60000,
  // ES-module-only dependencies (Kysely 0.29, cookie, content-disposition) load through Node's own require.
  setupFilesAfterEnv: ['<rootDir>/tests/setup/esmOnly.ts'],
  maxWorkers: 2,
};
