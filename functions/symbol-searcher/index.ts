// Lambda entry point: a thin adapter over the library (src/handlers/symbolSearcher.ts).
export { handler } from '../../src/handlers/symbolSearcher';
