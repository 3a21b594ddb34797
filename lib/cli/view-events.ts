import { isTerminalStatus, type OrderFields, type OrderStateSnapshot } from '../orders';
import { pickFields } from '../orders/tracked';
import type { CliEvent } from './events';
import type { OpenOrderRow, ViewEvent } from './view';

/** What a CLI event means for the live view. @internal */
export function toViewEvents(event: CliEvent): readonly ViewEvent[] {
  switch (event.type) {
    case 'status':
      return [{ type: 'status', status: event.status }];
    case 'order_update': {
      const u = event.update;
      const seen: readonly ViewEvent[] =
        u.source === 'ws' ? [{ type: 'message' }, { type: 'update' }] : [{ type: 'update', rest: true }];
      if (u.status !== 'FILL') return seen;
      const f = u.order.fillInformation;
      return [
        ...seen,
        {
          type: 'fill',
          fill: {
            time: u.order.transactionTime,
            orderId: u.order.orderId,
            side: u.order.side,
            qty: f.qty,
            price: u.order.price,
            fee: f.fee,
            tax: f.tax,
            clearing: f.clearing,
            asset: f.feeAsset,
            breakdown: u.breakdown !== false,
          },
        },
      ];
    }
    case 'invalid':
      return [{ type: 'message' }, { type: 'invalid', reason: event.reason }];
    case 'note':
      return [{ type: 'note', message: event.message }];
    case 'reconciliation':
      return [{ type: 'reconciliation', event: event.event }];
    case 'snapshot':
      return [];
  }
}

/** The fields of an order the open-orders table shows (names from the orders' one field list). */
const ROW_FIELDS = [
  'orderId',
  'symbol',
  'side',
  'price',
  'origQty',
  'executedQty',
  'status',
  'approximate',
] as const satisfies readonly (keyof OrderFields & keyof OpenOrderRow)[];

/** The open-orders table of a snapshot, newest first. @internal */
export function ordersView(snapshot: OrderStateSnapshot): ViewEvent {
  const open: OpenOrderRow[] = [];
  for (const o of snapshot.orders.values()) {
    if (isTerminalStatus(o.status)) continue;
    open.push(pickFields(o, ROW_FIELDS));
  }
  open.sort((a, b) => (a.orderId < b.orderId ? 1 : -1));
  return { type: 'orders', open, total: snapshot.orders.size };
}
