import type * as PromClient from 'prom-client';
import type { BridgeHealth, BridgeMeter } from './meter';

/** The optional peer dependency `/metrics` needs. */
export const PROM_PACKAGE = 'prom-client';

/**
 * Loads prom-client (an optional peer dependency) when `--metrics-port` asks for it, so the
 * bridge itself never requires it. Throws one readable error naming what to install.
 *
 * ## Example
 * ```ts
 * const prom = loadPromClient();
 * const registry = new prom.Registry();
 * ```
 * @internal
 */
export function loadPromClient(): typeof PromClient {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(PROM_PACKAGE) as typeof PromClient;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`--metrics-port needs ${PROM_PACKAGE}: npm install ${PROM_PACKAGE}@^15 (${why})`);
  }
}

/** A {@link BridgeMeter} that counts into a Prometheus registry. */
export interface PromBridgeMeter extends BridgeMeter {
  /** The registry: process defaults and the `indodax_pws_*` metrics. */
  readonly registry: PromClient.Registry;
}

/** Options of {@link promBridgeMeter}. */
export interface PromBridgeMeterOptions {
  /** Read at every scrape: which accounts are held (for the gauges). */
  readonly health: () => BridgeHealth | undefined;
  /** Milliseconds now (a scheduler's `now`). */
  readonly now: () => number;
  /** prom-client itself (default: loaded with {@link loadPromClient}). */
  readonly prom?: typeof PromClient;
  /** Also collect the process defaults (CPU, memory, event loop; default true). */
  readonly processMetrics?: boolean;
}

/** Publish latency buckets, in seconds: 1 ms … 5 s. */
export const PUBLISH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * A bridge meter backed by prom-client, in its own registry. Labels are bounded: an account name
 * (the accounts file bounds them), a result or a lease change kind; never an order id.
 *
 * ```text
 * indodax_pws_accounts_held                          gauge, read from health() at scrape
 * indodax_pws_updates_published_total{account}       counter
 * indodax_pws_publish_duration_seconds               histogram (hand-over → JetStream ack)
 * indodax_pws_publish_retries_total                  counter
 * indodax_pws_reconciliations_total{account,result}  counter (ok, changed, failed)
 * indodax_pws_lease_changes_total{kind}              counter (claimed, released, lost)
 * indodax_pws_ws_reconnects_total{account}           counter
 * indodax_pws_last_update_age_seconds{account}       gauge per held account, at scrape
 * ```
 *
 * ## Example
 * ```ts
 * const meter = promBridgeMeter({ health: () => bridge?.health(), now: () => Date.now() });
 * const text = await meter.registry.metrics();
 * ```
 */
export function promBridgeMeter(options: PromBridgeMeterOptions): PromBridgeMeter {
  const prom = options.prom ?? loadPromClient();
  const registry = new prom.Registry();
  if (options.processMetrics !== false) prom.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Since when each account counts as updated: its last acknowledged publish, or its claim.
  const lastUpdate = new Map<string, number>();
  const held = (): readonly string[] => options.health()?.held ?? [];
  new prom.Gauge({
    name: 'indodax_pws_accounts_held',
    help: 'Accounts this bridge holds the lease of now.',
    registers,
    collect() {
      this.set(held().length);
    },
  });
  const published = new prom.Counter({
    name: 'indodax_pws_updates_published_total',
    help: 'Order updates acknowledged by JetStream, by account.',
    labelNames: ['account'],
    registers,
  });
  const duration = new prom.Histogram({
    name: 'indodax_pws_publish_duration_seconds',
    help: 'From handing an update to JetStream to its acknowledgement (the successful attempt).',
    buckets: PUBLISH_BUCKETS,
    registers,
  });
  const retries = new prom.Counter({
    name: 'indodax_pws_publish_retries_total',
    help: 'Publish attempts that failed and were tried again.',
    registers,
  });
  const reconciliations = new prom.Counter({
    name: 'indodax_pws_reconciliations_total',
    help: 'Reconciliations of held accounts that ended: ok (nothing missed), changed (filled a gap), failed.',
    labelNames: ['account', 'result'],
    registers,
  });
  const leases = new prom.Counter({
    name: 'indodax_pws_lease_changes_total',
    help: 'Leases this bridge claimed, released or lost.',
    labelNames: ['kind'],
    registers,
  });
  const reconnects = new prom.Counter({
    name: 'indodax_pws_ws_reconnects_total',
    help: "Held accounts' exchange sockets connected again after a drop.",
    labelNames: ['account'],
    registers,
  });
  new prom.Gauge({
    name: 'indodax_pws_last_update_age_seconds',
    help: 'Per held account: seconds since its last update was acknowledged (or since the claim, before any).',
    labelNames: ['account'],
    registers,
    collect() {
      this.reset();
      const now = options.now();
      for (const account of held()) {
        const since = lastUpdate.get(account);
        if (since !== undefined) this.set({ account }, Math.max(0, (now - since) / 1000));
      }
    },
  });
  return {
    registry,
    published: (account, seconds) => {
      published.inc({ account });
      duration.observe(seconds);
      lastUpdate.set(account, options.now());
    },
    publishRetried: () => retries.inc(),
    reconciled: (account, result) => reconciliations.inc({ account, result }),
    reconnected: (account) => reconnects.inc({ account }),
    leaseChanged: (kind, account) => {
      leases.inc({ kind });
      if (kind === 'claimed') lastUpdate.set(account, options.now());
      else lastUpdate.delete(account);
    },
  };
}
