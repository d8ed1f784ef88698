import { resolveBucketUrl, UrlNotAllowedError } from '../../src/api';

const aws = { bucket: 'results-bucket', region: 'eu-west-1' };

describe('resolveBucketUrl on AWS', () => {
  it.each([
    ['s3://results-bucket/results/run-1/orders.json', 'results/run-1/orders.json'],
    [
      'https://results-bucket.s3.eu-west-1.amazonaws.com/results/run-1/orders.jsonl?X-Amz-Signature=abc',
      'results/run-1/orders.jsonl',
    ],
    ['https://results-bucket.s3.amazonaws.com/a%20b.json', 'a b.json'],
    ['https://s3.eu-west-1.amazonaws.com/results-bucket/results/x.json', 'results/x.json'],
  ])('accepts %s', (url, key) => {
    expect(resolveBucketUrl(url, aws)).toEqual({ bucket: 'results-bucket', key });
  });

  it.each([
    ['http (not https)', 'http://results-bucket.s3.eu-west-1.amazonaws.com/x.json'],
    ['another bucket', 'https://other.s3.eu-west-1.amazonaws.com/x.json'],
    ['a look-alike host', 'https://results-bucket.s3.eu-west-1.amazonaws.com.evil.example/x.json'],
    ['another region', 'https://results-bucket.s3.us-east-1.amazonaws.com/x.json'],
    ['an explicit port', 'https://results-bucket.s3.amazonaws.com:8443/x.json'],
    ['path-style for another bucket', 'https://s3.amazonaws.com/other/x.json'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['a decimal IP', 'https://2852039166/latest'],
    ['no key', 's3://results-bucket/'],
    ['a data URL', 'data:application/json,{}'],
  ])('refuses %s', (_d, url) => {
    expect(() => resolveBucketUrl(url, aws)).toThrow(UrlNotAllowedError);
  });
});
