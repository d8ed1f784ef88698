import type { ExtractionScenario } from './extraction';

/** Latency of the extraction scenarios: 150 ms median and a long tail (p99 1 s), log-normal. */
export const BENCH_LATENCY = { medianMs: 150, p99Ms: 1000 };

/** The order-only scenarios ask for orders alone: their bound and figures are the order buckets'. */
const ORDERS_ONLY = { datasets: ['orders'] };

/**
 * The extraction scenarios of `make bench` (those marked `optIn` run only when named); `scale` shrinks the
 * accounts (development, CI smoke).
 */
export function extractionScenarios(scale = 1): ExtractionScenario[] {
  const margin2m = Number(process.env['BENCH_2M_RETENTION_MARGIN_MS'] ?? 0);
  const n = (x: number) => Math.max(200, Math.round(x * scale));
  return [
    {
      scenario: 'extract-classic-200k',
      description:
        'classic account, spot (normal, TP/SL, plan) + USDT-M/USDC-M/COIN-M (normal, plan), 64 coins incl. delisted, 90 days, documented rate limits, latency 150 ms median / 1 s p99',
      sim: { seed: 2024, orders: n(200_000), symbols: 64, days: 90, mode: 'classic', latency: BENCH_LATENCY },
      request: ORDERS_ONLY,
    },
    {
      scenario: 'extract-classic-2m',
      description:
        "the first scenario's classic account (same seed, 64 coins, 90 days, latency) at 10× the orders: 2,000,000; documented rate limits; run only when named (its bound is ~14.5 min)" +
        (margin2m
          ? `; plan retention margin ${margin2m} ms (BENCH_2M_RETENTION_MARGIN_MS; the product's is 10 min)`
          : ''),
      sim: {
        seed: 2024,
        orders: n(2_000_000),
        symbols: 64,
        days: 90,
        mode: 'classic',
        latency: BENCH_LATENCY,
      },
      request: ORDERS_ONLY,
      // The product's default plan starts 10 min inside the 90-day retention; this run lasts longer (the oldest
      // futures cursor is refused with 40704 after ~10 min). BENCH_2M_RETENTION_MARGIN_MS measures it anyway.
      ...(margin2m ? { settings: { plan: { retentionMarginMs: margin2m } } } : {}),
      optIn: true,
      rssBaseline: 'extract-classic-200k',
    },
    {
      scenario: 'extract-uta-60k',
      description:
        'unified (UTA, v3) account: normal orders of every market + futures strategy (TP/SL, plan) orders, 30-day windows, documented rate limits, same latency',
      sim: { seed: 2025, orders: n(60_000), symbols: 64, days: 90, mode: 'uta', latency: BENCH_LATENCY },
      request: ORDERS_ONLY,
    },
    {
      scenario: 'extract-named-symbols',
      description:
        'classic account of the first scenario, 5 named symbols (the most active spot coins) over every market: per-symbol streams, spot plan without search',
      sim: { seed: 2024, orders: n(200_000), symbols: 64, days: 90, mode: 'classic', latency: BENCH_LATENCY },
      request: ORDERS_ONLY,
      namedSymbols: 5,
    },
    {
      scenario: 'extract-datasets-classic-100k',
      description:
        'orders, fills and ledger together: a classic account of 100k orders over 115 days (64 coins, every market and kind), asked from 115 days back, so that bills cover the 90 days and the tax records the 25 before; same latency; the bound is the slowest of every bucket (orders, fills, bills, tax records), all in parallel',
      sim: {
        seed: 2026,
        orders: n(100_000),
        symbols: 64,
        days: 115,
        mode: 'classic',
        latency: BENCH_LATENCY,
      },
      request: { datasets: ['orders', 'fills', 'ledger'] },
      sinceDaysAgo: 115,
    },
  ];
}
