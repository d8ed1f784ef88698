import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { LaneReport, MetricsPort } from '../extraction/telemetry';
import { ENDPOINT_DIMENSION, LANE_METRICS, RUN_METRICS } from './metricNames';

/**
 * The metrics port over Powertools metrics. A lane invocation is published at once as its own EMF document (its
 * endpoint is that document's dimension, so two lanes never share one); run figures wait for the invocation's
 * flush (src/observability/lambda.ts).
 */
export function powertoolsMetricsPort(metrics: Metrics): MetricsPort {
  return {
    laneInvocation(r: LaneReport) {
      // Anything stored belongs to other dimensions: it goes out first, in its own document.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      const lane = metrics;
      lane.addDimension(ENDPOINT_DIMENSION, r.endpoint);
      lane.addMetric(LANE_METRICS.orders, MetricUnit.Count, r.orders);
      lane.addMetric(LANE_METRICS.pages, MetricUnit.Count, r.pages);
      lane.addMetric(LANE_METRICS.requests, MetricUnit.Count, r.requests);
      lane.addMetric(LANE_METRICS.retries, MetricUnit.Count, r.retries);
      lane.addMetric(LANE_METRICS.http429, MetricUnit.Count, r.http429);
      lane.addMetric(LANE_METRICS.laneTime, MetricUnit.Milliseconds, r.ms);
      lane.addMetric(LANE_METRICS.circuitsOpened, MetricUnit.Count, r.circuitsOpened);
      lane.addMetric(
        LANE_METRICS.laneFailures,
        MetricUnit.Count,
        r.stop === 'fatal' || r.stop === 'error' ? 1 : 0,
      );
      lane.addMetadata('runId', r.runId);
      lane.addMetadata('laneId', r.laneId);
      lane.addMetadata('stop', r.stop);
      lane.publishStoredMetrics();
    },
    runCollected({ complete, orders }) {
      metrics.addMetric(
        complete ? RUN_METRICS.runsComplete : RUN_METRICS.runsIncomplete,
        MetricUnit.Count,
        1,
      );
      metrics.addMetric(RUN_METRICS.runOrders, MetricUnit.Count, orders);
    },
  };
}
