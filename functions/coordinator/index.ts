// The coordinator Lambda: validates a request and starts an execution (src/runtime/coordinatorFunction.ts).
export { handler } from '../../src/runtime/coordinatorFunction';
