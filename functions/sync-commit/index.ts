// The sync-commit Lambda: the last task of the sync state machine (src/runtime/syncStageFunctions.ts).
import { syncStageHandler } from '../../src/runtime/syncStageFunctions';

export const handler = syncStageHandler('sync-commit');
