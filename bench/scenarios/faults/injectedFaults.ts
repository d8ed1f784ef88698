/** The faults the simulator injects under an in-process extraction, after the fault-free reference run. */
import type { InjectedFaultCase } from './inProcessCase';

export const FAULT_FREE: InjectedFaultCase = {
  name: 'fault-free',
  fault: 'none (reference time)',
  faults: {},
};

export const INJECTED_FAULTS: InjectedFaultCase[] = [
  { name: '5xx-10pct', fault: 'HTTP 500/502/503 on 10 % of requests', faults: { serverErrorRate: 0.1 } },
  { name: 'resets-5pct', fault: 'connection reset on 5 % of requests', faults: { resetRate: 0.05 } },
  {
    name: '429-storms',
    fault: '429 storms: 1 % of requests start a 2 s storm in which every request is refused',
    faults: { stormRate: 0.01, stormMs: 2000 },
  },
  {
    name: 'timeouts',
    fault: '3 % of requests hang 8 s, past the client timeout (set to 3 s for the campaign; default 15 s)',
    faults: { timeoutRate: 0.03, timeoutMs: 8000 },
    client: { timeoutMs: 3000 },
  },
  {
    name: 'malformed-5pct',
    fault: 'HTTP 200 with the body cut in half on 5 % of requests',
    faults: { malformedRate: 0.05 },
  },
  {
    name: 'mixed-10pct',
    fault: 'every fault at once: 5xx 4 %, reset 2 %, malformed 2 %, timeout 1.8 %, storm starts 0.2 %',
    faults: {
      serverErrorRate: 0.04,
      resetRate: 0.02,
      malformedRate: 0.02,
      timeoutRate: 0.018,
      timeoutMs: 8000,
      stormRate: 0.002,
      stormMs: 1000,
    },
    client: { timeoutMs: 3000 },
  },
  {
    name: 'budget-2s',
    fault: 'processor time budget cut to 2 000 ms (the state machine loops every lane many times)',
    faults: {},
    invocationBudgetMs: 2000,
  },
  {
    name: 'exchange-down',
    fault:
      'exchange answers 5xx to every request from 3 s into the run: the run must stop, never succeed; resumed with the same run id once it is back',
    faults: { serverErrorRate: 1 },
    faultsAfterMs: 3000,
    maxAttempts: 2,
    clearFaultsBeforeResume: true,
  },
];
