import { InvalidLeaseError, parseLeaseMs } from '../bridge/lease-errors';
import { isBusName } from '../bus/names';

/** `indodax-pws bridge …`, parsed. @internal */
export interface BridgeCommand {
  readonly kind: 'bridge';
  readonly nats: string;
  readonly accounts: string;
  readonly id?: string;
  /** Given: must equal the bucket's TTL; left out: the bridge follows the bucket. */
  readonly leaseMs?: number;
  readonly drainTimeoutMs: number;
  readonly json: boolean;
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
  'drain-timeout-ms': { type: 'string' },
  account: { type: 'string' },
} as const;

/** Which options each bus call takes. @internal */
export const BUS_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  bridge: ['json', 'nats', 'accounts', 'id', 'lease-ms', 'drain-timeout-ms'],
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
  let leaseMs: number | undefined;
  try {
    leaseMs = rawLease === undefined ? undefined : parseLeaseMs(rawLease);
  } catch (e) {
    fail(e instanceof InvalidLeaseError ? e.message : String(e));
  }
  const rawDrain = text(values, 'drain-timeout-ms') ?? '5000';
  if (!/^[0-9]{1,6}$/.test(rawDrain))
    fail(`--drain-timeout-ms must be a decimal whole number from 0 to 999999, got "${rawDrain}"`);
  return {
    kind: 'bridge',
    nats,
    accounts,
    json,
    drainTimeoutMs: Number(rawDrain),
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(id === undefined ? {} : { id }),
  };
}
