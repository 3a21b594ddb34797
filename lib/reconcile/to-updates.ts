import { addDecimals, compareDecimals, subtractDecimals } from '../util/decimal';
import type { OrderUpdate } from '../orders/codecs';
import type { OrderStateSnapshot } from '../orders/state';
import { restOnlyFill } from '../orders/synthesize';
import type { TrackedOrder } from '../orders/tracked';
import type { RestFillFact, RestOrderFact } from './facts';
import type { ReconcileFindings } from './plan';

const ZERO = '0';
const clampSub = (a: string, b: string): string =>
  compareDecimals(a, b) <= 0 ? ZERO : subtractDecimals(a, b);
const min = (a: string, b: string): string => (compareDecimals(a, b) <= 0 ? a : b);

/**
 * Turns what reconciliation read into synthetic `OrderUpdate`s (`source: 'rest'`) against
 * `snapshot`, the store of the moment the findings land (call it inside the fold, never with
 * a snapshot taken before the REST calls). The rules, which hold under any interleaving of
 * pushes and reads:
 *
 * - a fill counts once per `tradeId`: fills the store already has produce nothing;
 * - a REST fill's cumulative `executedQty` is the sum of the distinct fills (the store's and
 *   those read) no later than it, capped at `origQty`: a sum of real fills, so never above
 *   what the exchange had executed when they were read;
 * - an order's end (`DONE`, `CANCELLED`, `REJECTED`) carries the executed quantity the
 *   histories reported at that read; an open order the store lacks gets a `NEW`;
 * - REST fills carry `commission` as `fee` (`breakdown: false`); estimates (a legacy open
 *   BUY) carry `approximate: true` unless the store knows the order exactly.
 *
 * ## Example
 * ```ts
 * const next = findingsToUpdates(findings, snapshot).reduce(reduceOrderState, snapshot);
 * ```
 */
export function findingsToUpdates(findings: ReconcileFindings, snapshot: OrderStateSnapshot): OrderUpdate[] {
  const fillsByOrder = new Map<string, RestFillFact[]>();
  for (const f of findings.fills) {
    const list = fillsByOrder.get(f.orderId);
    if (list) list.push(f);
    else fillsByOrder.set(f.orderId, [f]);
  }
  const out: OrderUpdate[] = [];
  const done = new Set<string>();
  for (const fact of findings.orders) {
    if (done.has(fact.orderId)) continue;
    done.add(fact.orderId);
    const have = snapshot.orders.get(fact.orderId);
    out.push(...updatesOf(fact, have, fillsByOrder.get(fact.orderId) ?? []));
  }
  // Fills of orders no fact mentions (the store has them): fills only.
  for (const [orderId, fills] of fillsByOrder) {
    const have = snapshot.orders.get(orderId);
    if (done.has(orderId) || !have) continue;
    out.push(...fillUpdates(have, fills, have, have.approximate));
  }
  return out;
}

type Common = Pick<TrackedOrder, 'orderId' | 'symbol' | 'side' | 'origQty' | 'price'> & {
  readonly clientOrderId?: string | undefined;
};

function updatesOf(
  fact: RestOrderFact,
  have: TrackedOrder | undefined,
  fills: RestFillFact[],
): OrderUpdate[] {
  // An estimate (legacy BUY) yields to what the store knows exactly.
  const exactKnown = fact.approximate && have !== undefined && !have.approximate;
  const approximate = fact.approximate && !exactKnown;
  const origQty = exactKnown ? have.origQty : (fact.origQty ?? fact.executedQty ?? have?.origQty ?? ZERO);
  const common: Common = {
    orderId: fact.orderId,
    symbol: fact.symbol,
    side: fact.side,
    origQty,
    price: fact.price,
    clientOrderId: fact.clientOrderId ?? have?.clientOrderId,
  };
  const out = fillUpdates(have, fills, common, approximate);
  const flags = approximate ? ({ approximate: true } as const) : {};
  const filledSoFar = (): string => cumulativeOf(have, fills, Number.POSITIVE_INFINITY, origQty);
  const executed = fact.executedQty ?? (fills.length > 0 || have ? filledSoFar() : ZERO);
  const order = {
    orderId: common.orderId,
    symbol: common.symbol,
    side: common.side,
    origQty,
    price: common.price,
    ...(common.clientOrderId === undefined ? {} : { clientOrderId: common.clientOrderId }),
    executedQty: min(executed, origQty),
    unfilledQty: fact.state === 'FILLED' ? ZERO : clampSub(origQty, executed),
    transactionTime: fact.finishTime ?? fact.submitTime,
  };
  switch (fact.state) {
    case 'OPEN':
      // Unknown to the store, or known only as an estimate (the exact answer corrects it), or
      // first seen after it was submitted (its NEW was lost): the NEW dates it, so later
      // histories, which select by submit time, are read from early enough.
      if (!have || (have.approximate && !fact.approximate) || fact.submitTime < have.firstSeen) {
        out.unshift({
          status: 'NEW',
          source: 'rest',
          ...flags,
          order: { ...order, status: 'NEW', transactionTime: fact.submitTime },
        });
      }
      break;
    case 'FILLED':
      out.push({ status: 'DONE', source: 'rest', ...flags, order: { ...order, status: 'DONE' } });
      break;
    case 'CANCELLED':
      out.push({
        status: 'CANCELLED',
        source: 'rest',
        ...flags,
        order: {
          ...order,
          status: 'CANCELLED',
          ...(fact.cancelReason ? { cancelReason: fact.cancelReason } : {}),
        },
      });
      break;
    case 'REJECTED':
      out.push({ status: 'REJECTED', source: 'rest', ...flags, order: { ...order, status: 'REJECTED' } });
      break;
  }
  return out;
}

/** The sum of the distinct fills (store's and read) at or before `time`, capped at `cap`. */
function cumulativeOf(
  have: TrackedOrder | undefined,
  read: readonly RestFillFact[],
  time: number,
  cap: string,
): string {
  let sum = ZERO;
  if (have) for (const f of have.fills.values()) if (f.transactionTime <= time) sum = addDecimals(sum, f.qty);
  for (const f of read) if (f.time <= time && !have?.fills.has(f.tradeId)) sum = addDecimals(sum, f.qty);
  return min(sum, cap);
}

/** One FILL per fill the store lacks, oldest first, each with its cumulative quantity. */
function fillUpdates(
  have: TrackedOrder | undefined,
  fills: readonly RestFillFact[],
  common: Common,
  approximate: boolean,
): OrderUpdate[] {
  const fresh = fills.filter((f) => !have?.fills.has(f.tradeId)).sort((a, b) => a.time - b.time);
  return fresh.map((fill) => {
    const cumulative = cumulativeOf(have, fills, fill.time, common.origQty);
    const update = restOnlyFill(
      {
        orderId: common.orderId,
        symbol: common.symbol,
        side: common.side,
        origQty: common.origQty,
        price: common.price,
        ...(common.clientOrderId === undefined ? {} : { clientOrderId: common.clientOrderId }),
        executedQty: cumulative,
        unfilledQty: clampSub(common.origQty, cumulative),
        transactionTime: fill.time,
      },
      { ...fill, filledQty: cumulative },
    );
    return approximate ? { ...update, approximate: true } : update;
  });
}
