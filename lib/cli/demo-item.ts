import { cancelled, done, fill, newOrder, rejected } from '../testing/builders';
import type { DemoOrder, DemoStep } from './demo-script';

/** A step of the script that is a market event (faults act on the server instead). @internal */
export type MarketStep = Exclude<DemoStep, { kind: 'fault' }>;

/**
 * The `order_update` item the exchange pushes for one market step of the demo's script, stamped
 * `now`: what the demo and `fake-exchange` publish.
 *
 * ## Example
 * ```ts
 * server.publish(pushData(marketItem(step, scheduler.now())));
 * ```
 * @internal
 */
export function marketItem(step: MarketStep, now: number): unknown {
  const spec = (o: DemoOrder) => ({
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.qty,
    transactionTime: now,
  });
  switch (step.kind) {
    case 'place':
      return newOrder(spec(step.order));
    case 'fill':
      return fill({
        ...spec(step.order),
        qty: step.qty,
        filledQty: step.executed,
        tradeId: step.tradeId,
        participant: step.maker ? 'MAKER' : 'TAKER',
      });
    case 'done':
      return done(spec(step.order));
    case 'cancel':
      return cancelled({ ...spec(step.order), executedQty: step.executed });
    case 'reject':
      return rejected(spec(step.order));
  }
}
