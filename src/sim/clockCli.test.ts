import { PassThrough } from 'node:stream';
import { DAY_MS } from '../bitget/endpoints';
import { runSimCommand } from './index';
import { getJson } from './testkit';

function firstLine(stream: PassThrough): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
  });
}

async function refusal(args: string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runSimCommand(args, { stderr });
  return { code, err };
}

describe('the sim command: history and clock', () => {
  test('starts its clock --clock-days-ago days back over --history-days of history', async () => {
    const stdout = new PassThrough();
    const stop = new AbortController();
    const done = runSimCommand(['--orders', '50', '--history-days', '400', '--clock-days-ago', '100'], {
      stdout,
      signal: stop.signal,
    });
    const info = JSON.parse(await firstLine(stdout)) as { url: string };
    const time = await getJson<{ serverTime: string }>(info.url, '/api/v2/public/time');
    const behind = Date.now() - Number(time.body.data.serverTime);
    expect(behind).toBeGreaterThanOrEqual(100 * DAY_MS - 60_000);
    expect(behind).toBeLessThanOrEqual(100 * DAY_MS + 60_000);
    stop.abort();
    await expect(done).resolves.toBe(0);
  });

  test.each([
    [['--history-days', '1101'], /from 1 to 1100/],
    [['--days', '0'], /from 1 to 1100/],
    [['--clock-days-ago', '-3'], /clock-days-ago/],
  ])('refuses %j with exit 2 and a reason', async (args, reason) => {
    const r = await refusal(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(reason);
  });
});
