import type { ProductType } from '../core/order';
import { SymbolSourceUnavailableError } from './errors';

export const FUTURES_PRODUCT_TYPES = [
  'USDT-FUTURES',
  'USDC-FUTURES',
  'COIN-FUTURES',
] as const satisfies readonly ProductType[];

export interface SymbolInfo {
  symbol: string;
  /** As Bitget spells it: `online`, `offline`, `gray`, `halt`, `normal`, `maintain`, … */
  status: string;
}

/** Where `GET /symbols` gets its lists (wired to the Bitget client's public endpoints). */
export interface SymbolSource {
  spotSymbols(): Promise<SymbolInfo[]>;
  futuresContracts(productType: ProductType): Promise<SymbolInfo[]>;
}

/** A source for deployments where symbol lists are not wired: `GET /symbols` answers 503. */
export const unavailableSymbolSource: SymbolSource = {
  spotSymbols: () => Promise.reject(new SymbolSourceUnavailableError('no symbol source is configured')),
  futuresContracts: () => Promise.reject(new SymbolSourceUnavailableError('no symbol source is configured')),
};

export interface SymbolListSummary {
  total: number;
  byStatus: Record<string, number>;
  symbols: SymbolInfo[];
}

export function summariseSymbols(symbols: SymbolInfo[]): SymbolListSummary {
  const byStatus: Record<string, number> = {};
  for (const s of symbols) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
  return { total: symbols.length, byStatus, symbols };
}
