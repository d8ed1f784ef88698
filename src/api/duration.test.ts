import { humanDuration, preciseDuration } from './duration';

describe('humanDuration', () => {
  it.each([
    [0, '0ms'],
    [450, '450ms'],
    [5_000, '5s'],
    [123_000, '2m 3s'],
    [3_607_000, '1h 0m 7s'],
    [2 * 86_400_000 + 3 * 3_600_000, '2d 3h 0m 0s'],
    [-5, '0s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('preciseDuration', () => {
  it.each([
    [0, '0.000s'],
    [450, '0.450s'],
    [55_092, '55.092s'],
    [115_092, '1m 55.092s'],
    [123_000, '2m 3.000s'],
    [7_207_000, '2h 0m 7.000s'],
    [-5, '0.000s'],
  ])('writes %d ms as %s, as the source system did', (ms, text) => {
    expect(preciseDuration(ms)).toBe(text);
  });
});
