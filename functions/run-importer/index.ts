// The run-importer Lambda: imports a run into the database when its execution ends (src/runtime/runImporterFunction.ts).
export { handler } from '../../src/runtime/runImporterFunction';
