import type { Observable } from 'rxjs';
import type { RestFillFact, RestOrderFact } from './facts';

/**
 * The three questions reconciliation asks the exchange. {@link tradeApiSource} answers
 * them with `createTradeApi`; tests may answer them with anything.
 */
export interface ReconcileSource {
  /** Every order open now, on every pair (one call). */
  openOrders(): Observable<readonly RestOrderFact[]>;
  /** The orders of `symbol` that ended in [startTime, endTime] (windows and paging are the source's job). */
  closedOrders(symbol: string, startTime: number, endTime: number): Observable<readonly RestOrderFact[]>;
  /** The fills of one order, from `startTime` on. */
  fills(symbol: string, orderId: string, startTime: number): Observable<readonly RestFillFact[]>;
}
