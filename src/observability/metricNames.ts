/**
 * The product's CloudWatch metrics (embedded metric format, written by src/observability/metrics.ts): one place
 * for their names, so that the alarms in infra/ and the code that emits them cannot drift apart.
 */
export const DEFAULT_METRICS_NAMESPACE = 'BitgetOrders';

/** Dimension of every lane metric: the endpoint the lane paginates (its rate-limit bucket). */
export const ENDPOINT_DIMENSION = 'endpoint';

/** Per lane invocation, with the `service` and `endpoint` dimensions. */
export const LANE_METRICS = {
  orders: 'Orders',
  pages: 'Pages',
  requests: 'Requests',
  retries: 'Retries',
  http429: 'Http429',
  laneTime: 'LaneTime',
  circuitsOpened: 'CircuitsOpened',
  laneFailures: 'LaneFailures',
} as const;

/** Per collected run, with the `service` dimension only. */
export const RUN_METRICS = {
  runsComplete: 'RunsComplete',
  runsIncomplete: 'RunsIncomplete',
  runOrders: 'RunOrders',
} as const;

/** The endpoints a lane paginates: the values the `endpoint` dimension takes. */
export const LANE_ENDPOINTS = [
  'spotHistoryOrders',
  'spotPlanHistory',
  'futuresHistoryOrders',
  'futuresPlanHistory',
  'utaHistoryOrders',
  'utaStrategyHistory',
] as const;
