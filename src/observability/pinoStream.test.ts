import Fastify from 'fastify';
import { Logger } from '@aws-lambda-powertools/logger';
import { powertoolsPinoStream } from './pinoStream';

describe('powertoolsPinoStream', () => {
  it('writes Fastify’s request lines again as Powertools JSON lines, at their level, with their fields', async () => {
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    // Powertools writes info to stdout and warnings and errors to stderr, like console.
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    const app = Fastify({
      logger: { level: 'info', stream: powertoolsPinoStream(new Logger({ serviceName: 'api-test' })) },
    });
    app.get('/health', async () => ({ ok: true }));
    try {
      await app.inject({ method: 'GET', url: '/health' });
      app.log.warn({ runId: 'r1' }, 'slow');
    } finally {
      for (const spy of spies) spy.mockRestore();
      await app.close();
    }
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['message'] === 'incoming request')).toMatchObject({
      level: 'INFO',
      service: 'api-test',
      req: { method: 'GET', url: '/health' },
    });
    expect(lines.find((l) => l['message'] === 'request completed')).toMatchObject({
      res: { statusCode: 200 },
    });
    expect(lines.find((l) => l['message'] === 'slow')).toMatchObject({ level: 'WARN', runId: 'r1' });
    for (const l of lines) expect(l).not.toHaveProperty('pid');
  });
});
