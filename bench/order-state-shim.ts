// TEMPORARY until lib/orders exports orderState.
import { scan, type OperatorFunction } from 'rxjs';
import type { OrderUpdate } from '../lib/orders/codecs';
export function orderState(): OperatorFunction<OrderUpdate, Map<string, OrderUpdate>> {
  return scan((m, u) => m.set(u.order.orderId, u), new Map<string, OrderUpdate>());
}
