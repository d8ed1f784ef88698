/**
 * Public symbol lists: spot symbols and futures contracts. Delisted instruments are absent (they still appear
 * in the order history); halted ones are listed with a non-trading status.
 */
import type { ProductType } from '../core/order';
import type { Catalog, Instrument } from './catalog';

const LISTED_SINCE = 1_532_454_360_000;

const listedTime = (inst: Instrument): string =>
  String(Number.isFinite(inst.listTime) ? inst.listTime : LISTED_SINCE + inst.code * 86_400_000);

export function spotSymbolRow(inst: Instrument): Record<string, unknown> {
  return {
    symbol: inst.symbol,
    baseCoin: inst.baseCoin,
    quoteCoin: inst.quoteCoin,
    minTradeAmount: '0',
    maxTradeAmount: '10000000000',
    takerFeeRate: '0.002',
    makerFeeRate: '0.002',
    pricePrecision: String(inst.pricePlace),
    quantityPrecision: String(inst.sizePlace),
    quotePrecision: String(Math.max(inst.pricePlace, 6)),
    status: inst.status === 'live' ? 'online' : inst.code % 2 === 0 ? 'halt' : 'offline',
    minTradeUSDT: '1',
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    areaSymbol: 'no',
    orderQuantity: '200',
    openTime: listedTime(inst),
    offTime: inst.status === 'live' ? '' : String(inst.endTime),
  };
}

export function contractRow(inst: Instrument): Record<string, unknown> {
  const halted = inst.status !== 'live';
  return {
    symbol: inst.symbol,
    baseCoin: inst.baseCoin,
    quoteCoin: inst.quoteCoin,
    buyLimitPriceRatio: '0.01',
    sellLimitPriceRatio: '0.01',
    feeRateUpRatio: '0.005',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0006',
    openCostUpRatio: '0.01',
    supportMarginCoins: [inst.marginCoin],
    minTradeNum: (10 ** -inst.sizePlace).toFixed(inst.sizePlace),
    priceEndStep: '1',
    volumePlace: String(inst.sizePlace),
    pricePlace: String(inst.pricePlace),
    sizeMultiplier: (10 ** -inst.sizePlace).toFixed(inst.sizePlace),
    symbolType: 'perpetual',
    minTradeUSDT: '5',
    maxSymbolOrderNum: '999999',
    maxProductOrderNum: '999999',
    maxPositionNum: '150',
    symbolStatus: halted ? (inst.code % 2 === 0 ? 'maintain' : 'limit_open') : 'normal',
    offTime: '-1',
    limitOpenTime: halted ? String(inst.endTime) : '-1',
    deliveryTime: '',
    deliveryStartTime: '',
    launchTime: listedTime(inst),
    fundInterval: '8',
    minLever: '1',
    maxLever: '125',
    posLimit: '0.05',
    maintainTime: '',
  };
}

const MARKET_OF = {
  'USDT-FUTURES': 'usdt-futures',
  'USDC-FUTURES': 'usdc-futures',
  'COIN-FUTURES': 'coin-futures',
} as const;

/**
 * The spot symbols listed at `now` (default: after every delisting): a symbol delisted or halted later than
 * the simulator's clock is still online then.
 */
export function listSpotSymbols(
  catalog: Catalog,
  symbol?: string,
  now = Infinity,
): Record<string, unknown>[] {
  return catalog.byMarket.spot
    .filter((i) => (i.status !== 'delisted' || now < i.endTime) && (!symbol || i.symbol === symbol))
    .map((i) =>
      i.status !== 'live' && now < i.endTime
        ? { ...spotSymbolRow(i), status: 'online', offTime: '' }
        : spotSymbolRow(i),
    );
}

export function listContracts(
  catalog: Catalog,
  productType: ProductType,
  symbol?: string,
): Record<string, unknown>[] {
  return catalog.byMarket[MARKET_OF[productType]]
    .filter((i) => i.status !== 'delisted' && (!symbol || i.symbol === symbol))
    .map(contractRow);
}
