import { Logger } from '@aws-lambda-powertools/logger';
import { REDACTED, SecretRedactor, redactorFor } from './redact';

describe('SecretRedactor', () => {
  it('replaces values under sensitive names, whatever they hold', () => {
    const r = new SecretRedactor();
    const line = JSON.stringify(
      {
        headers: { 'ACCESS-SIGN': 'abc', 'ACCESS-PASSPHRASE': 'p', accept: 'json' },
        apiKey: 'k',
        laneId: 'spot',
      },
      r.replacer,
    );
    expect(JSON.parse(line)).toEqual({
      headers: { 'ACCESS-SIGN': REDACTED, 'ACCESS-PASSPHRASE': REDACTED, accept: 'json' },
      apiKey: REDACTED,
      laneId: 'spot',
    });
  });

  it('cuts registered secret values out of any string, nested or not', () => {
    const r = redactorFor({ BITGET_SECRET_KEY: 'sentinel-secret-1234' });
    r.add('sentinel-key-5678', 'short');
    const line = JSON.stringify(
      {
        message: 'refused sentinel-key-5678 and sentinel-secret-1234',
        deep: ['x sentinel-key-5678 y'],
        word: 'short',
      },
      r.replacer,
    );
    expect(line).not.toMatch(/sentinel-/);
    expect(JSON.parse(line)).toMatchObject({ deep: [`x ${REDACTED} y`], word: 'short' });
  });

  it('keeps secrets out of a Powertools logger’s errors, as its JSON replacer', () => {
    const r = new SecretRedactor();
    r.add('sentinel-passphrase-9f');
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      new Logger({ serviceName: 'test', jsonReplacerFn: r.replacer }).error('failed', {
        error: new Error('signed with sentinel-passphrase-9f'),
      });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain(`signed with ${REDACTED}`);
    expect(written.join('')).not.toContain('sentinel-passphrase-9f');
  });
});
