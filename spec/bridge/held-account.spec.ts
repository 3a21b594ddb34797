import { reconcileOf } from '../../lib/bridge/held-account';
import type { ReconcileOptions } from '../../lib/client';
import { environments } from '../../lib/environments';

const plain = {
  name: 'a',
  credentials: { apiKey: 'k', apiSecret: 's' },
  environment: environments.production,
};
const v2 = { ...plain, v2Credentials: { apiKey: 'k2', apiSecret: 's2' } };
const phase = expect.any(Number) as number;

describe('reconcileOf', () => {
  it.each([
    {
      name: 'defaults: a phase of its own',
      account: plain,
      setting: undefined,
      expected: { checkPhaseMs: phase },
    },
    { name: 'off', account: plain, setting: false, expected: false },
    {
      name: 'the bridge’s setting kept',
      account: plain,
      setting: { minDelayMs: 200 },
      expected: { minDelayMs: 200, checkPhaseMs: phase },
    },
    {
      name: 'the account’s TAPIv2 key joins',
      account: v2,
      setting: undefined,
      expected: { checkPhaseMs: phase, tradeApi: { v2Flavor: 'api', v2Credentials: v2.v2Credentials } },
    },
    { name: 'v2, off', account: v2, setting: false, expected: false },
    {
      name: 'v2 joins the bridge’s trade API options',
      account: v2,
      setting: { minDelayMs: 200, tradeApi: { timeoutMs: 5 } },
      expected: {
        minDelayMs: 200,
        checkPhaseMs: phase,
        tradeApi: { timeoutMs: 5, v2Flavor: 'api', v2Credentials: v2.v2Credentials },
      },
    },
    {
      name: 'a phase the bridge set is kept',
      account: plain,
      setting: { checkPhaseMs: 7 },
      expected: { checkPhaseMs: 7 },
    },
    {
      name: 'checks off: no phase',
      account: plain,
      setting: { checkEveryMs: 0 },
      expected: { checkEveryMs: 0 },
    },
  ])('$name', ({ account, setting, expected }) => {
    expect(reconcileOf(account, setting as boolean | ReconcileOptions | undefined)).toEqual(expected);
  });

  it('spreads 1,000 accounts over the check period, each at the same phase every time', () => {
    const phases = Array.from({ length: 1000 }, (_, i) => {
      const r = reconcileOf({ ...plain, name: `acct${i}` }, { checkEveryMs: 60_000 });
      return typeof r === 'object' ? (r.checkPhaseMs ?? -1) : -1;
    });
    expect(phases.every((p) => p >= 0 && p < 60_000)).toBe(true);
    const perTenth = new Array<number>(10).fill(0);
    for (const p of phases) perTenth[Math.floor(p / 6_000)]! += 1;
    expect(Math.max(...perTenth)).toBeLessThan(150); // no tenth of the minute holds more than 15 %
    expect(reconcileOf({ ...plain, name: 'acct7' })).toEqual(reconcileOf({ ...plain, name: 'acct7' }));
  });
});
