import { parseAccountsFile } from '../../lib/bridge/accounts-file';
import { environments } from '../../lib/environments';

const env = { K0: 'key0', S0: 'secret0', K1: 'key1', S1: 'secret1', V2K: 'v2key', V2S: 'v2secret' };
const entry = (over: Record<string, unknown> = {}) => ({
  name: 'acct0',
  apiKeyEnv: 'K0',
  apiSecretEnv: 'S0',
  ...over,
});
const file = (...accounts: unknown[]) => JSON.stringify({ accounts });

describe('parseAccountsFile', () => {
  it('reads credentials from the variables it names; environment defaults to production', () => {
    const r = parseAccountsFile(
      file(entry(), {
        name: 'acct1',
        apiKeyEnv: 'K1',
        apiSecretEnv: 'S1',
        environment: environments.demo,
        v2ApiKeyEnv: 'V2K',
        v2ApiSecretEnv: 'V2S',
      }),
      env,
    );
    expect(r).toEqual({
      ok: true,
      accounts: [
        {
          name: 'acct0',
          credentials: { apiKey: 'key0', apiSecret: 'secret0' },
          environment: environments.production,
        },
        {
          name: 'acct1',
          credentials: { apiKey: 'key1', apiSecret: 'secret1' },
          environment: environments.demo,
          v2Credentials: { apiKey: 'v2key', apiSecret: 'v2secret' },
        },
      ],
    });
  });

  it.each([
    ['{', /^accounts file is not JSON: /],
    ['{}', /^accounts file: Missing value at accounts$/],
    [file(), /^accounts file: "accounts" is empty$/],
    [
      file({ name: 'acct0', apiKeyEnv: 'K0' }),
      /^accounts file: accounts\[0\] "acct0": Missing value at apiSecretEnv$/,
    ],
    [file(entry({ name: 'a.b' })), /^accounts file: accounts\[0\] "\?": name must match/],
    [file(entry(), entry()), /^accounts file: accounts\[1\] "acct0": name appears twice$/],
    [
      file(entry({ apiSecretEnv: 'NOPE' })),
      /^accounts file: accounts\[0\] "acct0": apiSecretEnv "NOPE" is not set$/,
    ],
    [
      file(entry({ apiKeyEnv: 'not a name' })),
      /^accounts file: accounts\[0\] "acct0": apiKeyEnv must be an environment variable name/,
    ],
    [
      file(entry({ apiSecret: 'hunter2' })),
      /^accounts file: accounts\[0\] "acct0": "apiSecret" is not allowed/,
    ],
    [file(entry({ v2ApiKeyEnv: 'V2K' })), /v2ApiKeyEnv and v2ApiSecretEnv go together$/],
    [
      file(entry({ environment: { wsUrl: 'x' } })),
      /^accounts file: accounts\[0\] "acct0": Missing value at environment\/restBaseUrl/,
    ],
  ])('%s → %s', (text, error) => {
    const r = parseAccountsFile(text, env);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(error);
      expect(r.error).not.toContain('\n');
      expect(r.error).not.toContain('hunter2');
      expect(r.error).not.toContain('secret0');
    }
  });
});

describe('account names and the byte order mark', () => {
  it.each([
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['acct-0_A', true],
    ['a.b', false],
  ])('name %s accepted: %s', (name, ok) => {
    expect(parseAccountsFile(file(entry({ name })), env).ok).toBe(ok);
  });

  it('a UTF-8 byte order mark before the JSON is accepted', () => {
    expect(parseAccountsFile('\uFEFF' + file(entry()), env).ok).toBe(true);
  });
});
