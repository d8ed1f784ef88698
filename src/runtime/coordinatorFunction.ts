import { z } from 'zod';
import { parseExtractionRequest } from '../core/request';
import type { StartedExecution } from '../core/engine';
import { SfnEngine } from '../engines/SfnEngine';
import { instrumented, lambdaTelemetry } from '../observability/lambda';
import { EnvReader } from '../config/EnvReader';

const eventSchema = z.object({ runId: z.string().optional(), request: z.unknown().optional() }).loose();

let engine: SfnEngine | undefined;

/**
 * The coordinator Lambda: validates an extraction request (symbols, markets, kinds, time range) and starts
 * an execution of the state machine; returns its ARN. Event: `{ request?: {...}, runId?: string }` or the
 * request fields themselves. Invalid requests throw InvalidRequestError naming each field.
 */
export const handler = instrumented('coordinator', async (event: unknown): Promise<StartedExecution> => {
  const e = eventSchema.parse(event ?? {});
  const { runId, request: nested, ...fields } = e;
  const request = parseExtractionRequest(nested ?? fields);
  if (!engine) {
    engine = new SfnEngine({ stateMachineArn: new EnvReader().required('STATE_MACHINE_ARN') });
  }
  const started = await engine.start(request, ...(runId ? [runId] : []));
  lambdaTelemetry().log.info('execution started', {
    executionArn: started.executionArn,
    executionName: started.name,
    markets: request.markets,
    kinds: request.kinds,
  });
  return started;
});
