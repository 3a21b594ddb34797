import type { SchedulerLike } from 'rxjs';
import { loadNats } from '../bus/nats';
import { safeTimer } from '../util/safe-timer';
import { BusPublishError } from './publish-errors';

/** The shortest lease a bridge takes, ms. */
export const MIN_LEASE_MS = 500;
/** The longest lease a bridge takes, ms (10 minutes). */
export const MAX_LEASE_MS = 600_000;
/** The lease when none is given and the bucket does not exist yet, ms. */
export const DEFAULT_LEASE_MS = 10_000;

/**
 * A lease outside 500…600 000 ms, or not a whole number.
 *
 * ## Example
 * ```ts
 * new InvalidLeaseError('1e20').message; // '--lease-ms must be a decimal whole number from 500 to 600000, got "1e20"'
 * ```
 */
export class InvalidLeaseError extends RangeError {
  constructor(readonly given: string) {
    super(
      `--lease-ms must be a decimal whole number from ${MIN_LEASE_MS} to ${MAX_LEASE_MS}, got "${given}"`,
    );
    this.name = 'InvalidLeaseError';
  }
}

/**
 * The lease bucket exists with another TTL than this bridge's lease: two leases on one bucket
 * would let one bridge think a lease expired that the other still holds. The bucket keeps the
 * TTL the first bridge made.
 *
 * ## Example
 * ```ts
 * new LeaseMismatchError(9_000, 2_000).message;
 * ```
 */
export class LeaseMismatchError extends Error {
  constructor(
    readonly leaseMs: number,
    readonly bucketLeaseMs: number,
  ) {
    super(
      `the lease bucket's TTL is ${bucketLeaseMs} ms but this bridge's lease is ${leaseMs} ms: ` +
        `run every bridge with --lease-ms ${bucketLeaseMs} (or delete the bucket when no bridge runs)`,
    );
    this.name = 'LeaseMismatchError';
  }
}

/**
 * A NATS call of the bridge did not answer within its bound (NATS away, or slow).
 *
 * ## Example
 * ```ts
 * new NatsTimeoutError('renew', 1_000).message; // 'renew: no answer from NATS within 1000 ms'
 * ```
 */
export class NatsTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what}: no answer from NATS within ${ms} ms`);
    this.name = 'NatsTimeoutError';
  }
}

/**
 * Parses a lease: a decimal whole number (digits only: no `0x1F4`, no `1e3`, no sign) from
 * 500 to 600 000.
 *
 * ## Example
 * ```ts
 * parseLeaseMs('2000'); // 2000
 * parseLeaseMs('0x1F4'); // throws InvalidLeaseError
 * ```
 */
export function parseLeaseMs(text: string): number {
  if (!/^[0-9]{1,7}$/.test(text)) throw new InvalidLeaseError(text);
  return checkLeaseMs(Number(text));
}

/**
 * A lease as a number, checked: a whole number from 500 to 600 000.
 *
 * ## Example
 * ```ts
 * checkLeaseMs(10_000); // 10000
 * ```
 */
export function checkLeaseMs(ms: number): number {
  if (!Number.isInteger(ms) || ms < MIN_LEASE_MS || ms > MAX_LEASE_MS)
    throw new InvalidLeaseError(String(ms));
  return ms;
}

/**
 * Whether a failed KV write failed because the key holds another revision (someone else wrote
 * it): JetStream's API error codes 10071 / 10164 ("wrong last sequence"), read from the error's
 * class and code, never from its text.
 *
 * ## Example
 * ```ts
 * kv.update(account, id, revision).catch((e) => (isRevisionConflict(e) ? 'lost' : 'retry'));
 * ```
 */
export function isRevisionConflict(error: unknown): boolean {
  const { JetStreamApiError, JetStreamApiCodes } = loadNats().jetstream;
  const conflict = (code: number | undefined) =>
    code === JetStreamApiCodes.StreamWrongLastSequence ||
    code === JetStreamApiCodes.StreamWrongLastSequenceUnknown;
  if (error instanceof BusPublishError) return conflict(error.code); // the bridge's own lease writes
  return error instanceof JetStreamApiError && conflict(error.code);
}

/**
 * `promise`, or a {@link NatsTimeoutError} after `ms` on `scheduler`: every NATS call of a
 * stopping bridge is bounded, so it stops in time even when NATS is away.
 *
 * ## Example
 * ```ts
 * await within(kv.delete(account), 1_000, scheduler, 'release');
 * ```
 */
export function within<T>(
  promise: Promise<T>,
  ms: number,
  scheduler: SchedulerLike,
  what: string,
): Promise<T> {
  // A promise and one timer, no pipeline: a bridge bounds every lease write this way.
  return new Promise<T>((resolve, reject) => {
    const timer = safeTimer(ms, scheduler).subscribe(() => reject(new NatsTimeoutError(what, ms)));
    promise.then(
      (value) => {
        timer.unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        timer.unsubscribe();
        // passed through exactly as the call failed, whatever it is
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      },
    );
  });
}
