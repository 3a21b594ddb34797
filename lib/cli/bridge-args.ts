import type { NatsSecurity } from '../bus/connect-options';
import { InvalidLeaseError, parseLeaseMs } from '../bridge/lease-errors';
import { isBusName } from '../bus/names';

/** `indodax-pws bridge …`, parsed. @internal */
export interface BridgeCommand {
  readonly kind: 'bridge';
  readonly nats: string;
  /** The `--nats-*` flags (files and the user; the environment fills in the rest). */
  readonly natsFlags: NatsSecurity;
  readonly accounts: string;
  readonly id?: string;
  /** Given: must equal the bucket's TTL; left out: the bridge follows the bucket. */
  readonly leaseMs?: number;
  /** On SIGTERM/SIGINT, how long buffered updates may drain (ms). */
  readonly drainTimeoutMs: number;
  /** Replicas of the stream and buckets the bridge creates (1 to 5). */
  readonly replicas?: number;
  readonly json: boolean;
  /** Serve /metrics, /healthz and /readyz on this port (0: a free one, chosen by the system). */
  readonly metricsPort?: number;
  /** Where the metrics server listens (default 127.0.0.1). */
  readonly metricsHost?: string;
}

/** `indodax-pws tail …`, parsed. @internal */
export interface TailCommand {
  readonly kind: 'tail';
  readonly nats: string;
  /** The `--nats-*` flags (files and the user; the environment fills in the rest). */
  readonly natsFlags: NatsSecurity;
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
  replicas: { type: 'string' },
  'drain-timeout-ms': { type: 'string' },
  account: { type: 'string' },
  'nats-user': { type: 'string' },
  'nats-creds': { type: 'string' },
  'nats-nkey': { type: 'string' },
  'nats-ca': { type: 'string' },
  'nats-cert': { type: 'string' },
  'nats-key': { type: 'string' },
  // refused with a pointer to the variable: a secret on the command line shows in `ps`
  'nats-password': { type: 'string' },
  'nats-token': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
} as const;

/** The NATS flags, their setting, and the variable each overrides. @internal */
export const NATS_FLAGS = {
  'nats-user': 'user',
  'nats-creds': 'credsFile',
  'nats-nkey': 'nkeyFile',
  'nats-ca': 'caFile',
  'nats-cert': 'certFile',
  'nats-key': 'keyFile',
} as const satisfies Record<string, keyof NatsSecurity>;

const NATS_SECRET_FLAGS = { 'nats-password': 'NATS_PASSWORD', 'nats-token': 'NATS_TOKEN' } as const;

const NATS_ALLOWED = [...Object.keys(NATS_FLAGS), ...Object.keys(NATS_SECRET_FLAGS)];

/** Which options each bus call takes. @internal */
export const BUS_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  bridge: [
    'json',
    'nats',
    'accounts',
    'id',
    'lease-ms',
    'drain-timeout-ms',
    'replicas',
    'metrics-port',
    'metrics-host',
    ...NATS_ALLOWED,
  ],
  tail: ['json', 'nats', 'account', 'duration', ...NATS_ALLOWED],
};

type Values = Readonly<Record<string, string | boolean | undefined>>;

function text(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function natsFlagsOf(values: Values): NatsSecurity {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(NATS_FLAGS)) {
    const value = text(values, flag);
    if (value !== undefined) out[key] = value;
  }
  return out;
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
  for (const [flag, variable] of Object.entries(NATS_SECRET_FLAGS))
    if (values[flag] !== undefined)
      fail(`--${flag} is not taken (a command line shows in ps and shell history): set ${variable} instead`);
  if (nats.includes('@'))
    fail('--nats must not hold credentials: set NATS_USER and NATS_PASSWORD (or NATS_TOKEN) instead');
  const natsFlags = natsFlagsOf(values);
  const json = values['json'] === true;
  if (call === 'tail') {
    const account = text(values, 'account');
    if (account === undefined) fail('tail needs --account NAME');
    if (!isBusName(account)) fail(`--account must match [A-Za-z0-9_-]+, got "${account}"`);
    return {
      kind: 'tail',
      nats,
      natsFlags,
      account,
      json,
      ...(durationS === undefined ? {} : { durationS }),
    };
  }
  const accounts = text(values, 'accounts');
  if (accounts === undefined) fail('bridge needs --accounts FILE');
  const id = text(values, 'id');
  if (id !== undefined && !isBusName(id)) fail(`--id must match [A-Za-z0-9_-]+, got "${id}"`);
  const rawLease = text(values, 'lease-ms');
  let leaseMs: number | undefined;
  try {
    leaseMs = rawLease === undefined ? undefined : parseLeaseMs(rawLease);
  } catch (e) {
    fail(e instanceof InvalidLeaseError ? e.message : String(e));
  }
  const rawDrain = text(values, 'drain-timeout-ms') ?? '5000';
  if (!/^[0-9]{1,6}$/.test(rawDrain))
    fail(`--drain-timeout-ms must be a decimal whole number from 0 to 999999, got "${rawDrain}"`);
  const rawReplicas = text(values, 'replicas');
  if (rawReplicas !== undefined && !/^[1-5]$/.test(rawReplicas))
    fail(`--replicas must be 1 to 5, got "${rawReplicas}"`);
  const replicas = rawReplicas === undefined ? undefined : Number(rawReplicas);
  return {
    kind: 'bridge',
    nats,
    natsFlags,
    accounts,
    json,
    drainTimeoutMs: Number(rawDrain),
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(id === undefined ? {} : { id }),
    ...(replicas === undefined ? {} : { replicas }),
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
