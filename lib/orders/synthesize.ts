import type { Order, OrderUpdate, UpdateSource } from './codecs';

/** Flags a synthesized update may carry. */
export interface SynthesizeFlags {
  /** The quantities are estimates (e.g. a legacy REST open BUY quoted in IDR). */
  readonly approximate?: boolean;
}

/**
 * Wraps an `order` object into an {@link OrderUpdate} of the same shape `orderUpdates()`
 * produces (`status` lifted from `order.status`): the way REST reconciliation and
 * recordings feed the store.
 *
 * ## Example
 * ```ts
 * reduceOrderState(state, orderUpdateOf({ ...order, status: 'DONE' }, 'rest'));
 * ```
 */
export function orderUpdateOf(order: Order, source: UpdateSource, flags: SynthesizeFlags = {}): OrderUpdate {
  return {
    status: order.status,
    order,
    source,
    ...(flags.approximate ? { approximate: true } : {}),
  } as OrderUpdate;
}

/** The order fields a REST-only fill is attached to (as in any `order_update`). */
export type FillOrderFields = Omit<
  Extract<Order, { status: 'FILL' }>,
  'status' | 'tradeId' | 'fillInformation'
>;

/** A fill as REST `myTrades` reports it: the whole commission, no breakdown. */
export interface CommissionFill {
  readonly tradeId: string;
  /** This trade's quantity. */
  readonly qty: string;
  /** The order's cumulative quantity after it (default: the order's `executedQty`). */
  readonly filledQty?: string;
  /** Fee + tax as one amount. */
  readonly commission: string;
  readonly commissionAsset: string;
  readonly isMaker: boolean;
}

/**
 * A FILL update for a fill known only from REST: `fee` = `commission` in
 * `commissionAsset`, tax and clearing `"0"`, rates 0, `breakdown: false`, `source: 'rest'`.
 * The store marks it `hasBreakdown: false`, and a later push of the same `tradeId`
 * replaces its amounts with the pushed breakdown.
 *
 * ## Example
 * ```ts
 * restOnlyFill(orderFields, { tradeId: '72057594037968281', qty: '0.1', commission: '62', commissionAsset: 'idr', isMaker: false });
 * ```
 */
export function restOnlyFill(
  order: FillOrderFields,
  fill: CommissionFill,
): Extract<OrderUpdate, { status: 'FILL' }> {
  const asset = fill.commissionAsset.toLowerCase();
  return {
    status: 'FILL',
    order: {
      ...order,
      status: 'FILL',
      tradeId: fill.tradeId,
      fillInformation: {
        participant: fill.isMaker ? 'MAKER' : 'TAKER',
        filledQty: fill.filledQty ?? order.executedQty,
        qty: fill.qty,
        feeAsset: asset,
        feeRate: 0,
        fee: fill.commission,
        taxAsset: asset,
        taxRate: 0,
        tax: '0',
        clearingAsset: asset,
        clearingRate: 0,
        clearing: '0',
      },
    },
    source: 'rest',
    breakdown: false,
  };
}
