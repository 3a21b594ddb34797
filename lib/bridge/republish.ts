import type { OrderStateSnapshot, OrderUpdate, TrackedOrder } from '../orders';

/**
 * A store turned back into updates (`source: 'rest'`): for each order, one FILL per distinct
 * fill (oldest first) and then its status (NEW, or its end) unless that status is FILL. Folded
 * into an empty store they give the same orders, fills and totals; a bridge publishes them when
 * the bus came back empty, so a consumer reading from the start converges.
 *
 * ```text
 * store   { o1: DONE, fills t1 t2 }   { o2: NEW }
 * updates  FILL t1, FILL t2, DONE o1,  NEW o2
 * ```
 *
 * ## Example
 * ```ts
 * const again = updatesOfStore(snapshot).reduce(reduceOrderState, initialOrderState);
 * ```
 */
export function updatesOfStore(snapshot: OrderStateSnapshot): OrderUpdate[] {
  const out: OrderUpdate[] = [];
  for (const order of snapshot.orders.values()) out.push(...updatesOfOrder(order));
  return out;
}

function updatesOfOrder(o: TrackedOrder): OrderUpdate[] {
  const flags = o.approximate ? ({ approximate: true } as const) : {};
  const common = {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    unfilledQty: o.unfilledQty,
    ...(o.description === undefined ? {} : { description: o.description }),
    ...(o.clientOrderId === undefined ? {} : { clientOrderId: o.clientOrderId }),
  };
  const fills = [...o.fills.values()].sort(
    (a, b) => a.transactionTime - b.transactionTime || a.tradeId.localeCompare(b.tradeId),
  );
  const out: OrderUpdate[] = fills.map((f): OrderUpdate => {
    const { tradeId, transactionTime, hasBreakdown, source: _source, ...fillInformation } = f;
    return {
      status: 'FILL',
      source: 'rest',
      ...flags,
      ...(hasBreakdown ? {} : { breakdown: false as const }),
      order: { ...common, status: 'FILL', tradeId, transactionTime, fillInformation },
    };
  });
  if (o.status === 'FILL') return out;
  const end =
    o.status === 'CANCELLED' && o.cancelReason !== undefined ? { cancelReason: o.cancelReason } : {};
  out.push({
    status: o.status,
    source: 'rest',
    ...flags,
    order: { ...common, ...end, status: o.status, transactionTime: o.transactionTime },
  } as OrderUpdate);
  return out;
}
