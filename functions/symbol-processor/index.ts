// Lambda entry point: a thin adapter over the library (src/handlers/symbolProcessor.ts).
export { handler } from '../../src/handlers/symbolProcessor';
