// Lambda entry point: a thin adapter over the library (src/handlers/api.ts).
export { handler } from '../../src/handlers/api';
