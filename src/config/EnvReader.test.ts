import { EnvReader } from './EnvReader';
import { MissingConfigurationError } from './errors';

describe('EnvReader', () => {
  it('reads a set variable, and counts an absent or blank one as not set', () => {
    const env = new EnvReader({ A: 'value', BLANK: '  ', EMPTY: '' });
    expect(env.optional('A')).toBe('value');
    expect(env.optional('BLANK')).toBeUndefined();
    expect(env.optional('EMPTY')).toBeUndefined();
    expect(env.optional('ABSENT')).toBeUndefined();
    expect(env.required('A')).toBe('value');
  });

  it('names the missing variable, and the function when it is given', () => {
    expect(() => new EnvReader({}).required('BUCKET_NAME')).toThrow(
      new MissingConfigurationError('BUCKET_NAME'),
    );
    expect(() => new EnvReader({}).required('BUCKET_NAME')).toThrow(
      /^environment variable BUCKET_NAME is required$/,
    );
    expect(() => new EnvReader({ X: ' ' }, 'api').required('X')).toThrow(
      /^environment variable X is required by the api function$/,
    );
  });

  it('reads a positive integer, and says what it got when the value is not one', () => {
    expect(new EnvReader({ N: ' 12 ' }).positiveInt('N')).toBe(12);
    expect(new EnvReader({}).positiveInt('N')).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'ten', '1234567']) {
      expect(() => new EnvReader({ N: bad }, 'api').positiveInt('N')).toThrow(
        `environment variable N (a positive integer, got ${JSON.stringify(bad)}) is required by the api function`,
      );
    }
  });
});
