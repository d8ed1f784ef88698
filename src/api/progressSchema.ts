/** The OpenAPI schema of RunProgress (src/api/runProgress.ts): closed objects, every field required. */
import { closed, int, num } from './schemaParts';

export const laneProgressSchema = closed({
  laneId: { type: 'string' },
  endpoint: { type: 'string' },
  done: { type: 'boolean' },
  orders: int('Orders the lane fetched so far'),
  requests: int(),
  retries: int(),
  http429: int(),
  cursorsDone: int(),
  cursorsOpen: int(),
  covered: num("Share of the lane's time range covered, 0 to 1"),
});

export const runProgressSchema = closed(
  {
    runId: { type: 'string' },
    stage: { type: 'string', enum: ['planning', 'lanes', 'merging'] },
    lanes: { type: 'array', items: laneProgressSchema },
    lanesDone: int(),
    lanesTotal: int(),
    orders: int('Orders fetched so far, every lane together'),
    requests: int(),
    retries: int(),
    http429: int(),
    requestsPerSecond: num('Requests per second over the last 5 seconds'),
    fraction: num('Share of the planned work covered, 0 to 1'),
    etaMs: {
      type: ['integer', 'null'],
      description: 'Estimated ms until the lanes finish; null before a pace',
    },
    etaAt: { type: ['string', 'null'], format: 'date-time' },
  },
  'How far the run is, from its lane states (only while RUNNING)',
);
