// The result-collector Lambda: its stage handler (src/extraction/stageHandlers.ts), built once per cold start.
import { stageHandler } from '../../src/runtime/stageFunctions';

export const handler = stageHandler('result-collector');
