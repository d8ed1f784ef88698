import { stageHandler } from '../runtime/lambdaRuntime';

/** The symbol-processor Lambda: a thin adapter over src/extraction (see stageHandler). */
export const handler = stageHandler('symbol-processor');
