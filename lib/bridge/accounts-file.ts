import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { Credentials } from '../auth/credentials';
import { isBusName } from '../bus/names';
import { environments, type Environment } from '../environments';
import { formatValidationErrors } from '../util/report';

const EnvironmentEntry = t.type(
  { restBaseUrl: t.string, wsUrl: t.string, tapiV2BaseUrl: t.string },
  'environment',
);

/** One entry of the bridge's accounts file: names of environment variables, never secrets. */
export const AccountEntry = t.intersection(
  [
    t.type({ name: t.string, apiKeyEnv: t.string, apiSecretEnv: t.string }),
    t.partial({
      environment: EnvironmentEntry,
      /** The "api" flavor's dedicated TAPIv2 key pair, by environment variable names. */
      v2ApiKeyEnv: t.string,
      v2ApiSecretEnv: t.string,
    }),
  ],
  'AccountEntry',
);
/** One entry of the accounts file. */
export type AccountEntry = t.TypeOf<typeof AccountEntry>;

/** The accounts file: `{"accounts":[AccountEntry, ...]}`. */
export const AccountsFile = t.type({ accounts: t.array(AccountEntry) }, 'AccountsFile');
/** The accounts file. */
export type AccountsFile = t.TypeOf<typeof AccountsFile>;

/** An account the bridge can run: its name, credentials read from the environment, its exchange. */
export interface BridgeAccount {
  readonly name: string;
  readonly credentials: Credentials;
  readonly environment: Environment;
  /** The "api" flavor's TAPIv2 key pair, when the entry names one. */
  readonly v2Credentials?: Credentials;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The longest account name: it is a subject token, a KV key and a metrics label.
 *
 * ## Example
 * ```ts
 * 'acct0'.length <= MAX_ACCOUNT_NAME_LENGTH; // true
 * ```
 */
export const MAX_ACCOUNT_NAME_LENGTH = 64;

/**
 * Whether `name` can name an account: `[A-Za-z0-9_-]+`, at most
 * {@link MAX_ACCOUNT_NAME_LENGTH} characters.
 *
 * ## Example
 * ```ts
 * isAccountName('acct-0'); // true
 * isAccountName('a'.repeat(65)); // false
 * ```
 */
export function isAccountName(name: string): boolean {
  return name.length <= MAX_ACCOUNT_NAME_LENGTH && isBusName(name);
}
const SECRET_FIELDS = ['apiKey', 'apiSecret', 'secret', 'key', 'v2ApiKey', 'v2ApiSecret'];

/**
 * Reads the accounts file's text and the process environment into the accounts to run, or one
 * line saying what is wrong and naming the entry (`accounts[2] "acct2": apiSecretEnv
 * "ACCT2_SECRET" is not set`). Secrets come only from the environment variables the file
 * names; a file that holds a secret itself is refused. Names are `[A-Za-z0-9_-]`, at most
 * 64 characters; a UTF-8 byte order mark before the JSON is accepted. Pure: no I/O.
 *
 * ## Example
 * ```ts
 * const r = parseAccountsFile(readFileSync('accounts.json', 'utf8'), process.env);
 * if (!r.ok) throw new UsageError(r.error);
 * ```
 */
export function parseAccountsFile(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly ok: true; readonly accounts: readonly BridgeAccount[] }
  | { readonly ok: false; readonly error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `accounts file is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const envelope = t.type({ accounts: t.array(t.unknown) }).decode(raw);
  if (isLeft(envelope)) {
    return {
      ok: false,
      error: `accounts file: ${formatValidationErrors(envelope.left, { redactValues: true, max: 1 })}`,
    };
  }
  const rawEntries = envelope.right.accounts;
  if (rawEntries.length === 0) return { ok: false, error: 'accounts file: "accounts" is empty' };
  const seen = new Set<string>();
  const accounts: BridgeAccount[] = [];
  for (const [index, rawEntry] of rawEntries.entries()) {
    const rawName = (rawEntry as { name?: unknown } | null)?.name;
    const where = `accounts[${index}] "${typeof rawName === 'string' && isAccountName(rawName) ? rawName : '?'}"`;
    const fail = (what: string) => ({ ok: false as const, error: `accounts file: ${where}: ${what}` });
    const decoded = AccountEntry.decode(rawEntry);
    if (isLeft(decoded)) return fail(formatValidationErrors(decoded.left, { redactValues: true, max: 1 }));
    const entry = decoded.right;
    if (!isBusName(entry.name)) return fail(`name must match [A-Za-z0-9_-]+`);
    if (!isAccountName(entry.name)) {
      return fail(`name is ${entry.name.length} characters long; at most ${MAX_ACCOUNT_NAME_LENGTH}`);
    }
    if (seen.has(entry.name)) return fail('name appears twice');
    seen.add(entry.name);
    const secretField = SECRET_FIELDS.find(
      (f) => f in (raw as { accounts: Record<string, unknown>[] }).accounts[index]!,
    );
    if (secretField)
      return fail(`"${secretField}" is not allowed: name environment variables (apiKeyEnv, apiSecretEnv)`);
    const read = (field: string, name: string): string | { error: string } => {
      if (!ENV_NAME.test(name))
        return { error: `${field} must be an environment variable name, got "${name.slice(0, 40)}"` };
      const value = env[name];
      return value ? value : { error: `${field} "${name}" is not set` };
    };
    const apiKey = read('apiKeyEnv', entry.apiKeyEnv);
    if (typeof apiKey !== 'string') return fail(apiKey.error);
    const apiSecret = read('apiSecretEnv', entry.apiSecretEnv);
    if (typeof apiSecret !== 'string') return fail(apiSecret.error);
    let v2Credentials: Credentials | undefined;
    if (entry.v2ApiKeyEnv !== undefined || entry.v2ApiSecretEnv !== undefined) {
      if (entry.v2ApiKeyEnv === undefined || entry.v2ApiSecretEnv === undefined) {
        return fail('v2ApiKeyEnv and v2ApiSecretEnv go together');
      }
      const v2Key = read('v2ApiKeyEnv', entry.v2ApiKeyEnv);
      if (typeof v2Key !== 'string') return fail(v2Key.error);
      const v2Secret = read('v2ApiSecretEnv', entry.v2ApiSecretEnv);
      if (typeof v2Secret !== 'string') return fail(v2Secret.error);
      v2Credentials = { apiKey: v2Key, apiSecret: v2Secret };
    }
    accounts.push({
      name: entry.name,
      credentials: { apiKey, apiSecret },
      environment: entry.environment ?? environments.production,
      ...(v2Credentials ? { v2Credentials } : {}),
    });
  }
  return { ok: true, accounts };
}
