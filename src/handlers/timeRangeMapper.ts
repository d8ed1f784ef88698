import { stageHandler } from '../runtime/lambdaRuntime';

/** The time-range-mapper Lambda: a thin adapter over src/extraction (see stageHandler). */
export const handler = stageHandler('time-range-mapper');
