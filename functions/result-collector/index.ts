// Lambda entry point: a thin adapter over the library (src/handlers/resultCollector.ts).
export { handler } from '../../src/handlers/resultCollector';
