import { stageHandler } from '../runtime/lambdaRuntime';

/** The symbol-unifier Lambda: a thin adapter over src/extraction (see stageHandler). */
export const handler = stageHandler('symbol-unifier');
