// The sync-prepare Lambda: the first task of the sync state machine (src/runtime/syncStageFunctions.ts).
import { syncStageHandler } from '../../src/runtime/syncStageFunctions';

export const handler = syncStageHandler('sync-prepare');
