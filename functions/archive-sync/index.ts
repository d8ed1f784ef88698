// Lambda entry point: a thin adapter over the library (src/handlers/archiveSync.ts).
export { handler } from '../../src/handlers/archiveSync';
