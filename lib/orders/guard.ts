/**
 * The success path of decoding: a hand-written check that a raw item is a valid
 * `order_update` exactly as the codecs of `./codecs` would accept it AND return it
 * unchanged (so the decoded value is the item itself). When it says no, the io-ts codecs
 * run to decide and to describe the failure with paths; it never says yes to anything
 * they refuse. Its leaves are the codecs' own checks (`./primitives`); its field list is
 * held to the codecs' by a generated test that walks every field of every status
 * (spec/orders/guard-fields.spec.ts) and by a property test.
 *
 * @module
 */

import { isAmount, isIdentifier, isTime } from './primitives';

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && Object.prototype.toString.call(u) === '[object Object]';
const isOptionalIdentifier = (u: unknown): boolean => u === undefined || isIdentifier(u);
const isRate = (u: unknown): boolean => typeof u === 'number' && Number.isFinite(u);

/**
 * `fillInformation`, whose order's `executedQty` (`executed`) is an amount already. A value
 * equal to one already checked is not scanned again: `filledQty` is mostly `executed`,
 * `qty` mostly `filledQty`, the three assets mostly one (`idr`).
 */
function isFillInformation(f: unknown, executed: unknown): boolean {
  if (!isRecord(f)) return false;
  const filled = f['filledQty'];
  const qty = f['qty'];
  const fee = f['feeAsset'];
  const tax = f['taxAsset'];
  const clearing = f['clearingAsset'];
  return (
    (f['participant'] === 'TAKER' || f['participant'] === 'MAKER') &&
    (filled === executed || isAmount(filled)) &&
    (qty === filled || isAmount(qty)) &&
    isAmount(f['fee']) &&
    isAmount(f['tax']) &&
    isAmount(f['clearing']) &&
    isIdentifier(fee) &&
    (tax === fee || isIdentifier(tax)) &&
    (clearing === fee || clearing === tax || isIdentifier(clearing)) &&
    isRate(f['feeRate']) &&
    isRate(f['taxRate']) &&
    isRate(f['clearingRate'])
  );
}

/**
 * Whether `item` is an `order_update` the codecs accept unchanged; then its `order` is the
 * decoded order. @internal
 */
export function isPlainOrderUpdateItem(item: unknown): item is { readonly order: Record<string, unknown> } {
  if (!isRecord(item) || item['eventType'] !== 'order_update') return false;
  const o = item['order'];
  if (!isRecord(o)) return false;
  // A quantity equal to one already checked is not scanned again (a NEW order's
  // `unfilledQty` is its `origQty`, a DONE one's `executedQty`).
  const orig = o['origQty'];
  const unfilled = o['unfilledQty'];
  const executed = o['executedQty'];
  if (
    !isIdentifier(o['orderId']) ||
    !isIdentifier(o['symbol']) ||
    (o['side'] !== 'BUY' && o['side'] !== 'SELL') ||
    !isAmount(orig) ||
    (unfilled !== orig && !isAmount(unfilled)) ||
    (executed !== orig && executed !== unfilled && !isAmount(executed)) ||
    !isAmount(o['price']) ||
    !isTime(o['transactionTime']) ||
    !isOptionalIdentifier(o['description']) ||
    !isOptionalIdentifier(o['clientOrderId'])
  ) {
    return false;
  }
  switch (o['status']) {
    case 'NEW':
    case 'DONE':
    case 'REJECTED':
      return true;
    case 'CANCELLED':
      return isOptionalIdentifier(o['cancelReason']);
    case 'FILL':
      return isIdentifier(o['tradeId']) && isFillInformation(o['fillInformation'], executed);
    default:
      return false;
  }
}
