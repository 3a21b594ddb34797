import type { Bridge } from '../bridge/bridge';
import { startMetricsServer, type MetricsServer } from '../bridge/metrics-server';
import { promBridgeMeter, type PromBridgeMeter } from '../bridge/metrics';
import type { BridgeCommand } from './bridge-args';

/** The bridge's metrics endpoint, started before the bridge (probes answer 503 until it runs). @internal */
export interface BridgeMetrics {
  readonly meter: PromBridgeMeter;
  readonly server: MetricsServer;
  /** Hands the running bridge to the probes and gauges. */
  attach(bridge: Bridge): void;
}

/**
 * Starts `/metrics`, `/healthz` and `/readyz` for `bridge --metrics-port P [--metrics-host H]`:
 * loads prom-client (only now: an optional peer), listens, and returns the meter to give the
 * bridge. `undefined` without `--metrics-port`. Fails (prom-client missing, port taken) before
 * the bridge connects anywhere.
 *
 * ## Example
 * ```ts
 * const metrics = await startBridgeMetrics(command, () => Date.now());
 * const bridge = await startBridge({ ...options, ...(metrics ? { meter: metrics.meter } : {}) });
 * metrics?.attach(bridge);
 * ```
 * @internal
 */
export async function startBridgeMetrics(
  command: BridgeCommand,
  now: () => number,
): Promise<BridgeMetrics | undefined> {
  if (command.metricsPort === undefined) return undefined;
  let bridge: Bridge | undefined;
  const health = () => bridge?.health();
  const meter = promBridgeMeter({ health, now });
  const server = await startMetricsServer({
    port: command.metricsPort,
    ...(command.metricsHost === undefined ? {} : { host: command.metricsHost }),
    health,
    metrics: async () => ({ contentType: meter.registry.contentType, text: await meter.registry.metrics() }),
  });
  return {
    meter,
    server,
    attach: (b) => {
      bridge = b;
    },
  };
}
