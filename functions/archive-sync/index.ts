// The archive-sync Lambda: one scheduled sync of the archive (src/runtime/archiveSyncFunction.ts).
export { handler } from '../../src/runtime/archiveSyncFunction';
