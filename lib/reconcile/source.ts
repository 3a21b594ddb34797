import type { Observable } from 'rxjs';
import type { RestFillFact, RestOrderFact } from './facts';

/**
 * The three questions reconciliation asks the exchange. {@link tradeApiSource} answers
 * them with `createTradeApi`; tests may answer them with anything. Windows longer than
 * the API allows and full pages are the source's job: one call here may be several
 * requests.
 *
 * ## Example
 * ```ts
 * const source: ReconcileSource = {
 *   openOrders: () => of([]),
 *   closedOrders: () => of([]),
 *   trades: () => of([]),
 * };
 * ```
 */
export interface ReconcileSource {
  /** Every order open now, on every pair. */
  openOrders(): Observable<readonly RestOrderFact[]>;
  /** The orders of `symbol` that ended, submitted in [startTime, endTime]. */
  closedOrders(symbol: string, startTime: number, endTime: number): Observable<readonly RestOrderFact[]>;
  /**
   * The fills of `symbol` from `startTime` until now (the moment of the read, so they cover
   * what an open-orders answer read before them reports), of every order or of `orderId` only.
   */
  trades(symbol: string, startTime: number, orderId?: string): Observable<readonly RestFillFact[]>;
}
