/**
 * The lease step alone, in this process: one bridge holding 500 of 1,000 accounts (a second
 * bridge holds the rest), default lease. Each sample is one tick plus what answers it: the acks of
 * its renewals and one watch batch with both bridges' renewals. Prints p50/p99/max in ms. This is
 * the work a bridge does every tick on top of its updates.
 *
 * `npm run bench:lease`.
 */
import { leaseStep } from '../lib/bridge/lease-step';
import { initialLease, leaseTiming, type LeaseEvent, type LeaseState } from '../lib/bridge/lease-state';
import { accountsFingerprint } from '../lib/bridge/lease-plan';
import { percentile, printTable, writeResult } from './report';

const ACCOUNTS = 1_000;
const TICKS = 2_000;
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `acct${i}`);
const leaseMs = 10_000;
const { tickMs, slots } = leaseTiming(leaseMs);
const fingerprint = accountsFingerprint(accounts);
const step = leaseStep({
  self: 'bench-a',
  fingerprint,
  accounts,
  leaseMs,
  tickMs,
  slots,
  maxClaims: 64,
  drainTimeoutMs: 5_000,
});

let revision = 1;
let now = 0;
let state: LeaseState = step(initialLease(), { type: 'start', now })[0];
const apply = (event: LeaseEvent) => {
  const [next, effects] = step(state, event);
  state = next;
  return effects;
};
// the bucket: every other account ours, the rest the other bridge's, both presence keys
const entries = accounts.map((key, i) => ({
  key,
  owner: i % 2 === 0 ? 'bench-a' : 'bench-b',
  revision: revision++,
  watch: 1,
}));
for (const self of ['bench-a', 'bench-b'])
  entries.push({ key: `bridge.${self}`, owner: fingerprint, revision: revision++, watch: 1 });
apply({ type: 'entries', entries, now });
for (const e of entries)
  if (e.owner === 'bench-a') apply({ type: 'written', account: e.key, revision: e.revision, sentAt: now });

const samples: number[] = [];
for (let t = 0; t < TICKS; t++) {
  now += tickMs;
  const t0 = performance.now();
  const renewed = apply({ type: 'tick', now }).flatMap((e) => (e.kind === 'renew' ? [e.account] : []));
  const batch = renewed.map((account) => {
    const r = revision++;
    apply({ type: 'written', account, revision: r, sentAt: now });
    return { key: account, owner: 'bench-a', revision: r, watch: 1 };
  });
  // as many renewals of the other bridge, and its presence
  renewed.forEach((_, k) =>
    batch.push({
      key: accounts[(t * 62 + 2 * k + 1) % ACCOUNTS]!,
      owner: 'bench-b',
      revision: revision++,
      watch: 1,
    }),
  );
  batch.push({ key: 'bridge.bench-b', owner: fingerprint, revision: revision++, watch: 1 });
  apply({ type: 'entries', entries: batch, now });
  samples.push(performance.now() - t0);
}
if (state.held.size !== ACCOUNTS / 2) throw new Error(`bench: held ${state.held.size}, not ${ACCOUNTS / 2}`);

const rows = [
  {
    measure: 'tick + its answers, p50 ms',
    value: Number(percentile(samples, 50).toFixed(3)),
    note: `${TICKS} ticks`,
  },
  { measure: 'tick + its answers, p99 ms', value: Number(percentile(samples, 99).toFixed(3)), note: '' },
  { measure: 'tick + its answers, max ms', value: Number(Math.max(...samples).toFixed(3)), note: '' },
];
printTable(
  `lease step: 500 of ${ACCOUNTS} accounts held, lease ${leaseMs} ms (tick ${tickMs} ms, ${slots} slots)`,
  rows,
);
writeResult('lease', { accounts: ACCOUNTS, rows });
