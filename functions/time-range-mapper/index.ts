// Lambda entry point: a thin adapter over the library (src/handlers/timeRangeMapper.ts).
export { handler } from '../../src/handlers/timeRangeMapper';
