/**
 * The success path of decoding: a hand-written check that a raw item is a valid
 * `order_update` exactly as the codecs of `./codecs` would accept it AND return it
 * unchanged (so the decoded value is the item itself). When it says no, the io-ts codecs
 * run to decide and to describe the failure with paths; it never says yes to anything
 * they refuse (a property test holds it to that).
 *
 * @module
 */

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && Object.prototype.toString.call(u) === '[object Object]';
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** `/^\d+(\.\d+)?$/` (the codecs' unsigned decimal), as a loop: it runs 4–9 times per item. */
function isAmount(u: unknown): boolean {
  if (typeof u !== 'string') return false;
  const n = u.length;
  let i = 0;
  while (i < n && isDigit(u.charCodeAt(i))) i++;
  if (i === 0) return false;
  if (i === n) return true;
  if (u.charCodeAt(i) !== 46 || i === n - 1) return false;
  for (i++; i < n; i++) if (!isDigit(u.charCodeAt(i))) return false;
  return true;
}
const isOptionalText = (u: unknown): boolean => u === undefined || typeof u === 'string';
const isRate = (u: unknown): boolean => typeof u === 'number' && Number.isFinite(u);

function isFillInformation(f: unknown): boolean {
  return (
    isRecord(f) &&
    (f['participant'] === 'TAKER' || f['participant'] === 'MAKER') &&
    isAmount(f['qty']) &&
    isAmount(f['filledQty']) &&
    isAmount(f['fee']) &&
    isAmount(f['tax']) &&
    isAmount(f['clearing']) &&
    typeof f['feeAsset'] === 'string' &&
    typeof f['taxAsset'] === 'string' &&
    typeof f['clearingAsset'] === 'string' &&
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
  const time = o['transactionTime'];
  if (
    typeof o['orderId'] !== 'string' ||
    typeof o['symbol'] !== 'string' ||
    (o['side'] !== 'BUY' && o['side'] !== 'SELL') ||
    !isAmount(o['origQty']) ||
    !isAmount(o['unfilledQty']) ||
    !isAmount(o['executedQty']) ||
    !isAmount(o['price']) ||
    typeof time !== 'number' ||
    !Number.isSafeInteger(time) ||
    time <= 0 ||
    !isOptionalText(o['description']) ||
    !isOptionalText(o['clientOrderId'])
  ) {
    return false;
  }
  switch (o['status']) {
    case 'NEW':
    case 'DONE':
    case 'REJECTED':
      return true;
    case 'CANCELLED':
      return isOptionalText(o['cancelReason']);
    case 'FILL':
      return typeof o['tradeId'] === 'string' && isFillInformation(o['fillInformation']);
    default:
      return false;
  }
}
