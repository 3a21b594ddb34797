import type * as Jetstream from '@nats-io/jetstream';
import type * as Kv from '@nats-io/kv';
import type * as Transport from '@nats-io/transport-node';

/** The three NATS client modules, loaded on first use. @internal */
export interface NatsModules {
  readonly transport: typeof Transport;
  readonly jetstream: typeof Jetstream;
  readonly kv: typeof Kv;
}

/** The optional peer dependencies `indodax-pws/bus` and the bridge need. */
export const NATS_PACKAGES = ['@nats-io/transport-node', '@nats-io/jetstream', '@nats-io/kv'] as const;

/**
 * Loads the NATS clients (optional peer dependencies) the first time the bus is used, so
 * `indodax-pws` itself never requires them. Throws one readable error naming what to install.
 *
 * ## Example
 * ```ts
 * const { transport } = loadNats();
 * const nc = await transport.connect({ servers: 'nats://127.0.0.1:4222' });
 * ```
 * @internal
 */
export function loadNats(): NatsModules {
  // no cache of our own: `require` keeps each module after its first load
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    return {
      transport: require('@nats-io/transport-node') as typeof Transport,
      jetstream: require('@nats-io/jetstream') as typeof Jetstream,
      kv: require('@nats-io/kv') as typeof Kv,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(
      `indodax-pws/bus needs the NATS clients: npm install ${NATS_PACKAGES.map((p) => `${p}@^3.3.1`).join(' ')} (${why})`,
    );
  }
}

/** A NATS connection, as the bus uses it. @internal */
export type NatsConnection = Awaited<ReturnType<typeof Transport.connect>>;
