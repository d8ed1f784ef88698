import { stageHandler } from '../runtime/lambdaRuntime';

/** The result-collector Lambda: a thin adapter over src/extraction (see stageHandler). */
export const handler = stageHandler('result-collector');
