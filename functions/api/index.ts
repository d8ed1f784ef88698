// The api Lambda: the Fastify app behind the function URL (src/runtime/apiFunction.ts).
export { handler } from '../../src/runtime/apiFunction';
