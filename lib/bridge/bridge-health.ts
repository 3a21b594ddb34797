import type { BridgeHealth } from './meter';

/**
 * Whether a bridge is ready: NATS is up, it holds at least its share, and every held account is
 * subscribed and was reconciled.
 *
 * ## Example
 * ```ts
 * if (!isReady(bridge.health())) response.statusCode = 503;
 * ```
 */
export function isReady(health: BridgeHealth): boolean {
  return (
    health.natsConnected &&
    health.held.length >= health.fairShare &&
    health.held.every((a) => health.readyAccounts.includes(a))
  );
}
