import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearCredentialsCache, loadCredentials } from './credentials';
import { CredentialsError } from './errors';

const ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:bitget-orders/bitget-api-AbCdEf';
const SECRET = { apiKey: 'sm-key', secretKey: 'sm-secret', passphrase: 'sm-pass' };

describe('Function: loadCredentials', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    clearCredentialsCache();
  });

  describe('from the environment', () => {
    it('reads BITGET_API_KEY, BITGET_SECRET_KEY and BITGET_PASSPHRASE', async () => {
      await expect(
        loadCredentials({ BITGET_API_KEY: 'k', BITGET_SECRET_KEY: 's', BITGET_PASSPHRASE: 'p' }),
      ).resolves.toEqual({ apiKey: 'k', secretKey: 's', passphrase: 'p' });
    });

    it('accepts the other system’s BITGET_API_SECRET and BITGET_API_PASSPHRASE', async () => {
      await expect(
        loadCredentials({ BITGET_API_KEY: 'k', BITGET_API_SECRET: 's2', BITGET_API_PASSPHRASE: 'p2' }),
      ).resolves.toEqual({ apiKey: 'k', secretKey: 's2', passphrase: 'p2' });
    });

    it('prefers BITGET_SECRET_KEY over BITGET_API_SECRET', async () => {
      const credentials = await loadCredentials({
        BITGET_API_KEY: 'k',
        BITGET_SECRET_KEY: 'first',
        BITGET_API_SECRET: 'second',
        BITGET_PASSPHRASE: 'p',
      });
      expect(credentials.secretKey).toBe('first');
    });

    it('names every missing variable and no value', async () => {
      const attempt = loadCredentials({ BITGET_API_KEY: 'visible-key-value', BITGET_SECRET_KEY: '' });
      await expect(attempt).rejects.toThrow(CredentialsError);
      await expect(attempt).rejects.toThrow(
        'Bitget credentials missing: set BITGET_SECRET_KEY or BITGET_API_SECRET, BITGET_PASSPHRASE or BITGET_API_PASSPHRASE',
      );
      await expect(attempt).rejects.not.toThrow(/visible-key-value/);
    });
  });

  describe('from Secrets Manager (BITGET_SECRET_ARN)', () => {
    it('reads the secret once per cold start, however many callers', async () => {
      const send = jest
        .spyOn(SecretsManagerClient.prototype, 'send')
        .mockImplementation(async () => ({ SecretString: JSON.stringify(SECRET) }) as never);
      const env = { BITGET_SECRET_ARN: ARN, BITGET_API_KEY: 'ignored-when-the-secret-is-set' };
      const [first, concurrent] = await Promise.all([loadCredentials(env), loadCredentials(env)]);
      const later = await loadCredentials(env);
      expect(first).toEqual(SECRET);
      expect(concurrent).toEqual(SECRET);
      expect(later).toEqual(SECRET);
      expect(send).toHaveBeenCalledTimes(1);
      const command = send.mock.calls[0]![0] as { input: { SecretId: string } };
      expect(command.input).toEqual({ SecretId: ARN });
    });

    it('names the missing field without echoing the secret', async () => {
      jest
        .spyOn(SecretsManagerClient.prototype, 'send')
        .mockImplementation(
          async () => ({ SecretString: '{"apiKey":"leaky-value","secretKey":"also-leaky"}' }) as never,
        );
      const attempt = loadCredentials({ BITGET_SECRET_ARN: ARN });
      await expect(attempt).rejects.toThrow(`secret ${ARN} is missing or has an empty "passphrase"`);
      await expect(attempt).rejects.not.toThrow(/leaky/);
    });

    it('refuses a secret that is not JSON without quoting it', async () => {
      jest
        .spyOn(SecretsManagerClient.prototype, 'send')
        .mockImplementation(async () => ({ SecretString: 'plain-text-secret' }) as never);
      const attempt = loadCredentials({ BITGET_SECRET_ARN: ARN });
      await expect(attempt).rejects.toThrow('is not JSON {apiKey, secretKey, passphrase}');
      await expect(attempt).rejects.not.toThrow(/plain-text-secret/);
    });

    it('does not cache a failed read: the next call tries again', async () => {
      const send = jest
        .spyOn(SecretsManagerClient.prototype, 'send')
        .mockImplementationOnce(async () => {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        })
        .mockImplementation(async () => ({ SecretString: JSON.stringify(SECRET) }) as never);
      const env = { BITGET_SECRET_ARN: ARN };
      await expect(loadCredentials(env)).rejects.toThrow(
        `Bitget credentials: cannot read secret ${ARN} (ThrottlingException: Rate exceeded)`,
      );
      await expect(loadCredentials(env)).resolves.toEqual(SECRET);
      expect(send).toHaveBeenCalledTimes(2);
    });
  });
});
