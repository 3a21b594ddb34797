/** `indodax-pws fake-exchange …`, parsed. @internal */
export interface FakeExchangeCommand {
  readonly kind: 'fake-exchange';
  /** How many users (accounts `acct0` … `acct<N-1>`). */
  readonly accounts: number;
  /** The accounts file to write; its variables go to `<file>.env`. */
  readonly writeAccounts: string;
  readonly json: boolean;
  /** Stop after S seconds (absent or 0: until Ctrl-C). */
  readonly durationS?: number;
  readonly seed?: number;
}

/** The options only `fake-exchange` takes, for `parseArgs`. @internal */
export const FAKE_EXCHANGE_OPTIONS = {
  'write-accounts': { type: 'string' },
} as const;

/** Which options `fake-exchange` takes. @internal */
export const FAKE_EXCHANGE_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'fake-exchange': ['json', 'accounts', 'write-accounts', 'duration', 'seed'],
};

/** The most users one fake exchange serves. @internal */
export const FAKE_EXCHANGE_MAX_ACCOUNTS = 10_000;

type Values = Readonly<Record<string, string | boolean | undefined>>;

/**
 * Parses `fake-exchange` from `parseArgs`' values (`--duration` and `--seed` already checked as
 * numbers); `fail` throws the usage error.
 * @internal
 */
export function parseFakeExchangeCommand(
  values: Values,
  rest: readonly string[],
  numbers: { readonly durationS: number | undefined; readonly seed: number | undefined },
  fail: (message: string) => never,
): FakeExchangeCommand {
  if (rest.length > 0) fail(`fake-exchange takes no arguments, got "${rest.join(' ')}"`);
  const raw = values['accounts'];
  if (typeof raw !== 'string') fail('fake-exchange needs --accounts N (how many users)');
  const accounts = Number(raw);
  if (!/^\d+$/.test(raw) || accounts < 1 || accounts > FAKE_EXCHANGE_MAX_ACCOUNTS)
    fail(`--accounts must be a whole number 1-${FAKE_EXCHANGE_MAX_ACCOUNTS}, got "${raw}"`);
  const file = values['write-accounts'];
  if (typeof file !== 'string' || file === '')
    fail('fake-exchange needs --write-accounts FILE (the accounts file to write)');
  const { durationS, seed } = numbers;
  return {
    kind: 'fake-exchange',
    accounts,
    writeAccounts: file,
    json: values['json'] === true,
    ...(durationS === undefined || durationS === 0 ? {} : { durationS }),
    ...(seed === undefined ? {} : { seed: Math.floor(seed) }),
  };
}
