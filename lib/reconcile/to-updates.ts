import { addDecimals, compareDecimals, subtractDecimals } from '../orders/decimal';
import type { OrderUpdate } from '../orders/codecs';
import { restOnlyFill } from '../orders/synthesize';
import type { KnownOrder, RestFillFact, RestOrderFact } from './facts';
import type { ReconcileFindings } from './plan';

const ZERO = '0';
const clampSub = (a: string, b: string): string =>
  compareDecimals(a, b) <= 0 ? ZERO : subtractDecimals(a, b);
const sum = (fills: readonly RestFillFact[]): string =>
  fills.reduce((acc, f) => addDecimals(acc, f.qty), ZERO);

/**
 * Turns what reconciliation found into synthetic `OrderUpdate`s (`source: 'rest'`) for the
 * store, in an order the store's merge rules make safe: each order's new fills (oldest
 * first, cumulative `executedQty` growing), then its end (`DONE` for `FILLED`,
 * `CANCELLED`, `REJECTED`), or a `NEW` for an open order the store did not know.
 *
 * REST fills carry only `commission` (fee + tax) in `commissionAsset`: the update's
 * `fee` holds it, tax and clearing are `"0"`, and `breakdown: false` says so. Estimated
 * quantities (a legacy open BUY) carry `approximate: true`.
 *
 * ## Example
 * ```ts
 * findingsToUpdates(findings, knownById).forEach((u) => store$.next(u));
 * ```
 */
export function findingsToUpdates(
  findings: ReconcileFindings,
  known: ReadonlyMap<string, KnownOrder>,
): OrderUpdate[] {
  const fillsByOrder = new Map<string, RestFillFact[]>();
  for (const f of findings.fills) {
    const list = fillsByOrder.get(f.orderId) ?? [];
    list.push(f);
    fillsByOrder.set(f.orderId, list);
  }
  const out: OrderUpdate[] = [];
  for (const fact of findings.orders) {
    const fills = (fillsByOrder.get(fact.orderId) ?? []).sort((a, b) => a.time - b.time);
    out.push(...orderUpdatesOf(fact, fills, known.get(fact.orderId)));
  }
  return out;
}

function orderUpdatesOf(
  fact: RestOrderFact,
  fills: readonly RestFillFact[],
  known: KnownOrder | undefined,
): OrderUpdate[] {
  const executed = fact.executedQty ?? addDecimals(known?.executedQty ?? ZERO, sum(fills));
  // An estimate (legacy BUY) yields to what the store knows exactly from a push.
  const exactKnown = fact.approximate && known?.origQty !== undefined && known.approximate !== true;
  const orig = exactKnown ? (known?.origQty ?? executed) : (fact.origQty ?? executed);
  const flags = fact.approximate && !exactKnown ? ({ approximate: true } as const) : {};
  const common = {
    orderId: fact.orderId,
    symbol: fact.symbol,
    side: fact.side,
    origQty: orig,
    price: fact.price,
    ...(fact.clientOrderId ? { clientOrderId: fact.clientOrderId } : {}),
  };
  const out: OrderUpdate[] = [];
  let cumulative = clampSub(executed, sum(fills));
  for (const fill of fills) {
    cumulative = addDecimals(cumulative, fill.qty);
    const update = restOnlyFill(
      {
        ...common,
        executedQty: cumulative,
        unfilledQty: clampSub(orig, cumulative),
        transactionTime: fill.time,
      },
      { ...fill, filledQty: cumulative },
    );
    out.push({ ...update, ...flags });
  }
  const end = {
    ...common,
    executedQty: executed,
    unfilledQty: fact.state === 'FILLED' ? ZERO : clampSub(orig, executed),
    transactionTime: fact.finishTime ?? fact.submitTime,
  };
  switch (fact.state) {
    case 'OPEN':
      if (fills.length === 0 && (!known || !known.open)) {
        out.push({
          status: 'NEW',
          source: 'rest',
          ...flags,
          order: { ...end, status: 'NEW', transactionTime: fact.submitTime },
        });
      }
      break;
    case 'FILLED':
      out.push({ status: 'DONE', source: 'rest', ...flags, order: { ...end, status: 'DONE' } });
      break;
    case 'CANCELLED':
      out.push({
        status: 'CANCELLED',
        source: 'rest',
        ...flags,
        order: {
          ...end,
          status: 'CANCELLED',
          ...(fact.cancelReason ? { cancelReason: fact.cancelReason } : {}),
        },
      });
      break;
    case 'REJECTED':
      out.push({ status: 'REJECTED', source: 'rest', ...flags, order: { ...end, status: 'REJECTED' } });
      break;
  }
  return out;
}
