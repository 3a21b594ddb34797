import { TradeApiError } from '../rest/error';

const PERMISSION_CODES = new Set(['invalid_credentials', 'permission_denied', 'unauthorized', 'forbidden']);

/**
 * Why a failed reconciliation can never succeed with this key, or `undefined` when a retry
 * may help: HTTP 401/403 or `invalid_credentials` from a REST read means the key lacks the
 * trade-read ("view") permission, or is not a key of this API at all.
 *
 * ## Example
 * ```ts
 * permissionProblem(new TradeApiError('invalid_credentials', 'x', false, 'tapi:openOrders'));
 * // 'the API key may not read orders and trades (tapi:openOrders answered invalid_credentials): …'
 * ```
 */
export function permissionProblem(error: unknown): string | undefined {
  if (!(error instanceof TradeApiError)) return undefined;
  const denied = error.status === 401 || error.status === 403 || PERMISSION_CODES.has(error.code);
  if (!denied) return undefined;
  const answer = error.status === undefined ? error.code : `HTTP ${error.status}, ${error.code}`;
  return (
    `the API key may not read orders and trades (${error.endpoint} answered ${answer}): ` +
    'give it the trade-read ("view") permission, or set reconcile: false; the WebSocket stream goes on'
  );
}
