/**
 * What the REST APIs tell about one order, normalized across the legacy TAPI and the
 * Trade API v2. Ids and symbols are already in WebSocket form (`aaveidr-limit-3397`,
 * `aaveidr`); amounts are exact decimal strings unless `approximate` says otherwise.
 */
export interface RestOrderFact {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  /** Open now (legacy `openOrders`), or how it ended (v2 histories). */
  readonly state: 'OPEN' | 'FILLED' | 'CANCELLED' | 'REJECTED';
  /** The ordered quantity, when the answer gives it. */
  readonly origQty?: string;
  /** The executed quantity, when the answer gives it. */
  readonly executedQty?: string;
  /** For estimated quantities: the executed quantity the quote amounts suggest. */
  readonly estimatedExecutedQty?: string;
  /** Quantities are estimates (a legacy open BUY: IDR amounts with a fee reserve). */
  readonly approximate: boolean;
  readonly submitTime: number;
  readonly finishTime?: number;
  readonly clientOrderId?: string;
  readonly cancelReason?: string;
}

/** One fill as v2 `myTrades` reports it: `commission` is fee + tax, without a breakdown. */
export interface RestFillFact {
  readonly tradeId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly qty: string;
  readonly price: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly isMaker: boolean;
  readonly time: number;
}

/** What the store knew about an order before the gap (derived from a snapshot). */
export interface KnownOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly open: boolean;
  readonly executedQty: string;
  /** The ordered quantity as the store has it (exact unless `approximate`). */
  readonly origQty?: string;
  /** The store's quantities are estimates too. */
  readonly approximate?: boolean;
  /** When it was first seen (ms): histories are queried from the earliest of these. */
  readonly since: number;
  /** The fills the store has already counted. */
  readonly tradeIds: ReadonlySet<string>;
  /** The sum of their quantities: below `executedQty` means fills are missing. */
  readonly fillsQty: string;
}
