import { horizontalBars } from './charts';

describe('horizontalBars', () => {
  it('keeps the labels at the left edge when a bar is negative (a loss), not on the zero line', () => {
    const svg = horizontalBars(['WIN', 'LOSS'], [40, -20], 'realised PnL (USDT)');
    const labelX = (label: string) =>
      Number(new RegExp(`translate\\(([\\d.]+) [\\d.]+\\)" fill="[^"]*">${label}<`).exec(svg)?.[1]);
    const zeroX = Number(/translate\(([\d.]+) [\d.]+\)" fill="[^"]*">0</.exec(svg)?.[1]);
    expect(labelX('WIN')).toBeLessThan(140); // the grid's left edge
    expect(labelX('LOSS')).toBeLessThan(140);
    expect(zeroX).toBeGreaterThan(200);
  });
});
