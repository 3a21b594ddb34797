import { reconcileOf } from '../../lib/bridge/held-account';
import { environments } from '../../lib/environments';

const plain = {
  name: 'a',
  credentials: { apiKey: 'k', apiSecret: 's' },
  environment: environments.production,
};
const v2 = { ...plain, v2Credentials: { apiKey: 'k2', apiSecret: 's2' } };

describe('reconcileOf', () => {
  it.each([
    [plain, undefined, {}],
    [plain, false, false],
    [plain, { minDelayMs: 200 }, { minDelayMs: 200 }],
    [v2, undefined, { tradeApi: { v2Flavor: 'api', v2Credentials: v2.v2Credentials } }],
    [v2, false, false],
    [
      v2,
      { minDelayMs: 200, tradeApi: { timeoutMs: 5 } },
      { minDelayMs: 200, tradeApi: { timeoutMs: 5, v2Flavor: 'api', v2Credentials: v2.v2Credentials } },
    ],
  ])('%#: the account’s TAPIv2 key joins the bridge’s setting', (account, setting, expected) => {
    expect(reconcileOf(account, setting as never)).toEqual(expected);
  });
});
