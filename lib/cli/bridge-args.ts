import { isBusName } from '../bus/names';

/** `indodax-pws bridge …`, parsed. @internal */
export interface BridgeCommand {
  readonly kind: 'bridge';
  readonly nats: string;
  readonly accounts: string;
  readonly id?: string;
  readonly leaseMs: number;
  readonly json: boolean;
  /** Serve /metrics, /healthz and /readyz on this port (0: any free one). */
  readonly metricsPort?: number;
  /** Where the metrics server listens (default 127.0.0.1). */
  readonly metricsHost?: string;
}

/** `indodax-pws tail …`, parsed. @internal */
export interface TailCommand {
  readonly kind: 'tail';
  readonly nats: string;
  readonly account: string;
  readonly json: boolean;
  readonly durationS?: number;
}

/** The options of the bus calls, for `parseArgs`. @internal */
export const BUS_OPTIONS = {
  nats: { type: 'string' },
  accounts: { type: 'string' },
  id: { type: 'string' },
  'lease-ms': { type: 'string' },
  account: { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
} as const;

/** Which options each bus call takes. @internal */
export const BUS_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  bridge: ['json', 'nats', 'accounts', 'id', 'lease-ms', 'metrics-port', 'metrics-host'],
  tail: ['json', 'nats', 'account', 'duration'],
};

type Values = Readonly<Record<string, string | boolean | undefined>>;

function text(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Parses `bridge` and `tail` from `parseArgs`' values; `fail` throws the usage error.
 * @internal
 */
export function parseBusCommand(
  call: 'bridge' | 'tail',
  values: Values,
  rest: readonly string[],
  durationS: number | undefined,
  fail: (message: string) => never,
): BridgeCommand | TailCommand {
  if (rest.length > 0) fail(`${call} takes no arguments, got "${rest.join(' ')}"`);
  const nats = text(values, 'nats');
  if (nats === undefined) fail(`${call} needs --nats URL (e.g. nats://127.0.0.1:4222)`);
  const json = values['json'] === true;
  if (call === 'tail') {
    const account = text(values, 'account');
    if (account === undefined) fail('tail needs --account NAME');
    if (!isBusName(account)) fail(`--account must match [A-Za-z0-9_-]+, got "${account}"`);
    return { kind: 'tail', nats, account, json, ...(durationS === undefined ? {} : { durationS }) };
  }
  const accounts = text(values, 'accounts');
  if (accounts === undefined) fail('bridge needs --accounts FILE');
  const id = text(values, 'id');
  if (id !== undefined && !isBusName(id)) fail(`--id must match [A-Za-z0-9_-]+, got "${id}"`);
  const rawLease = text(values, 'lease-ms');
  const leaseMs = rawLease === undefined ? 10_000 : Number(rawLease);
  if (!Number.isInteger(leaseMs) || leaseMs < 500)
    fail(`--lease-ms must be a whole number ≥ 500, got "${rawLease}"`);
  return {
    kind: 'bridge',
    nats,
    accounts,
    json,
    leaseMs,
    ...(id === undefined ? {} : { id }),
    ...metricsOptions(values, fail),
  };
}

/** `--metrics-port P [--metrics-host H]`, checked. @internal */
export function metricsOptions(
  values: Values,
  fail: (message: string) => never,
): { metricsPort?: number; metricsHost?: string } {
  const rawPort = text(values, 'metrics-port');
  const host = text(values, 'metrics-host');
  if (rawPort === undefined) {
    if (host !== undefined) fail('--metrics-host needs --metrics-port');
    return {};
  }
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65_535)
    fail(`--metrics-port must be a port number 0-65535, got "${rawPort}"`);
  if (host !== undefined && !/^[A-Za-z0-9.:[\]_-]+$/.test(host))
    fail(`--metrics-host must be a host name or address, got "${host.slice(0, 40)}"`);
  return { metricsPort: port, ...(host === undefined ? {} : { metricsHost: host }) };
}
