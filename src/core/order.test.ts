import { compareDecimalIds, compareOrderKey } from './order';

describe('compareOrderKey', () => {
  it('orders by cTime first', () => {
    expect(compareOrderKey(1, '9', 2, '1')).toBe(-1);
    expect(compareOrderKey(2, '1', 1, '9')).toBe(1);
  });
  it('breaks cTime ties by the order id as a decimal integer, not as a string', () => {
    expect(compareOrderKey(5, '999', 5, '1000')).toBe(-1);
    expect(compareDecimalIds('1115965643967582214', '1115965643967582215')).toBe(-1);
    expect(compareDecimalIds('42', '42')).toBe(0);
  });
});
