/**
 * Identifier mapping between the WebSocket, the Trade API v2 and the legacy TAPI.
 *
 * ```text
 * WebSocket / v2 histories, myTrades   "api" flavor         legacy TAPI
 * orderId  aaveidr-limit-3397          orderId 3397          order_id "3397"
 *                                      fullOrderId (same)
 * symbol   aaveidr                     symbol AAVEIDR        pair aave_idr
 * ```
 *
 * Never derive an order id or a symbol from a client order id: a default client id may
 * carry an older pair name (`lendidr-limit-3397` for `aaveidr-limit-3397`).
 */

/**
 * The quote assets a WebSocket symbol may end with, longest match first. Indodax quotes
 * in IDR and USDT (and, historically, BTC).
 */
export const KNOWN_QUOTE_ASSETS: readonly string[] = ['usdt', 'idr', 'btc'];

/**
 * The numeric legacy `order_id` inside a full order id (its last `-` segment).
 *
 * ## Example
 * ```ts
 * numericOrderId('aaveidr-limit-3397'); // '3397'
 * numericOrderId('3397');               // '3397'
 * numericOrderId('nonsense');           // undefined
 * ```
 * @returns the digits, or `undefined` when the id does not end in `-<digits>`
 */
export function numericOrderId(fullOrderId: string): string | undefined {
  const match = /(?:^|-)(\d+)$/.exec(fullOrderId);
  return match ? match[1] : undefined;
}

/**
 * Builds a full order id from its parts. The order type is not part of the legacy
 * answers, so pass it when you know it (`limit` is the usual one).
 *
 * ## Example
 * ```ts
 * fullOrderId('aaveidr', '3397'); // 'aaveidr-limit-3397'
 * fullOrderId('btcidr', 12, 'market'); // 'btcidr-market-12'
 * ```
 */
export function fullOrderId(symbol: string, numericId: string | number, orderType = 'limit'): string {
  return `${symbol.toLowerCase()}-${orderType.toLowerCase()}-${String(numericId)}`;
}

/**
 * The legacy `pair` of a WebSocket symbol: `aaveidr` → `aave_idr`. The quote is found by
 * its known suffixes ({@link KNOWN_QUOTE_ASSETS}, or your own list).
 *
 * ## Example
 * ```ts
 * symbolToPair('aaveidr');  // 'aave_idr'
 * symbolToPair('BTCUSDT');  // 'btc_usdt'
 * symbolToPair('xyz');      // undefined
 * ```
 * @returns the pair, or `undefined` when no known quote asset ends the symbol
 */
export function symbolToPair(
  symbol: string,
  quotes: readonly string[] = KNOWN_QUOTE_ASSETS,
): string | undefined {
  const lower = symbol.toLowerCase();
  if (lower.includes('_')) return lower;
  const ordered = [...quotes].map((q) => q.toLowerCase()).sort((a, b) => b.length - a.length);
  for (const quote of ordered) {
    if (lower.length > quote.length && lower.endsWith(quote)) {
      return `${lower.slice(0, -quote.length)}_${quote}`;
    }
  }
  return undefined;
}

/**
 * The WebSocket (and v2 histories) symbol of a legacy pair: `aave_idr` → `aaveidr`.
 *
 * ## Example
 * ```ts
 * pairToSymbol('aave_idr'); // 'aaveidr'
 * ```
 */
export function pairToSymbol(pair: string): string {
  return pair.replace(/_/g, '').toLowerCase();
}

/**
 * The "api" flavor's upper-case symbol: `aaveidr` (or `aave_idr`) → `AAVEIDR`.
 *
 * ## Example
 * ```ts
 * toApiSymbol('aaveidr'); // 'AAVEIDR'
 * ```
 */
export function toApiSymbol(symbol: string): string {
  return pairToSymbol(symbol).toUpperCase();
}

/**
 * The WebSocket symbol of an "api" flavor symbol: `AAVEIDR` → `aaveidr`.
 *
 * ## Example
 * ```ts
 * fromApiSymbol('AAVEIDR'); // 'aaveidr'
 * ```
 */
export function fromApiSymbol(apiSymbol: string): string {
  return apiSymbol.toLowerCase();
}
