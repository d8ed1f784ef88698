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
  maxWorkers: 2,
};
