// Lambda entry point: a thin adapter over the library (src/handlers/coordinator.ts).
export { handler } from '../../src/handlers/coordinator';
