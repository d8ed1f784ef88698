// Lambda entry point: a thin adapter over the library (src/handlers/symbolUnifier.ts).
export { handler } from '../../src/handlers/symbolUnifier';
