import { parseArgs } from 'node:util';
import {
  BUS_ALLOWED,
  BUS_OPTIONS,
  parseBusCommand,
  type BridgeCommand,
  type TailCommand,
} from './bridge-args';

/** A parsed command line. @internal */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'demo';
      readonly json: boolean;
      /** 0: until Ctrl-C. */
      readonly durationS: number;
      readonly seed?: number;
      readonly record?: string;
    }
  | {
      readonly kind: 'watch';
      readonly json: boolean;
      readonly record?: string;
      readonly environment: 'production' | 'demo';
      readonly restBaseUrl?: string;
      readonly wsUrl?: string;
      readonly tapiV2BaseUrl?: string;
      readonly durationS?: number;
      readonly reconcile: boolean;
    }
  | { readonly kind: 'replay'; readonly json: boolean; readonly file: string; readonly speed: number }
  | BridgeCommand
  | TailCommand;

/** A usage error: exit 2 with the message and the usage line. @internal */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one-line usage. @internal */
export const USAGE =
  'usage: indodax-pws <demo|watch|replay FILE|bridge|tail> [options]   (indodax-pws --help)';

/** How long `demo` runs when no --duration is given, in seconds. @internal */
export const DEMO_DEFAULT_DURATION_S = 40;

/** Every option of the command (`--help` lists each one). @internal */
export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  record: { type: 'string' },
  environment: { type: 'string' },
  'rest-base-url': { type: 'string' },
  'ws-url': { type: 'string' },
  'tapi-v2-base-url': { type: 'string' },
  'no-reconcile': { type: 'boolean' },
  speed: { type: 'string' },
  ...BUS_OPTIONS,
} as const;

/** The text of `--help`. @internal */
export const HELP = `indodax-pws: watch an Indodax account's private order stream

Calls:
  indodax-pws demo [--json] [--duration S] [--seed N] [--record FILE]
      The embedded simulator: a fake exchange on 127.0.0.1 with a scripted market and scripted
      faults (a dropped link, an expiring token, a bad frame, a gap), watched through the real
      client. No credentials, no network. Ends after ${DEMO_DEFAULT_DURATION_S} s with a check of the store against the
      exchange; --duration 0 runs until Ctrl-C.
      example: indodax-pws demo --duration 30 --seed 7 --record demo.ndjson

  indodax-pws watch [--json] [--record FILE] [--duration S] [--environment production|demo]
                    [--rest-base-url URL] [--ws-url URL] [--tapi-v2-base-url URL] [--no-reconcile]
      Your real account. Credentials come only from INDODAX_API_KEY and INDODAX_API_SECRET.
      Runs until Ctrl-C (or --duration).
      example: INDODAX_API_KEY=... INDODAX_API_SECRET=... indodax-pws watch --record today.ndjson

  indodax-pws replay FILE [--json] [--speed X]
      Plays a recording back through the same operators, then prints the final snapshot and a
      summary (records, invalid lines). Ends by itself.
      example: indodax-pws replay today.ndjson --speed 0 --json

  indodax-pws bridge --nats URL --accounts FILE [--id NAME] [--lease-ms MS] [--drain-timeout-ms MS] [--json]
      Holds leased accounts' connections and publishes their updates to NATS JetStream.
      example: ACCT0_KEY=... ACCT0_SECRET=... indodax-pws bridge --nats nats://127.0.0.1:4222 --accounts accounts.json

  indodax-pws tail --nats URL --account NAME [--json] [--duration S]
      The watch view of one account, read from the bus.
      example: indodax-pws tail --nats nats://127.0.0.1:4222 --account acct0 --json --duration 10

Options:
  --json                  one JSON object per line (the default when the output is not a terminal)
  --duration S            stop cleanly after S seconds (exit 0); demo: default ${DEMO_DEFAULT_DURATION_S}, 0 = until Ctrl-C
  --seed N                demo: the script's seed (same seed, same market and faults)
  --record FILE           demo, watch: write what arrives to FILE as NDJSON (mode 0600; the
                          directory must exist); replay plays it back
  --speed X               replay: X times the recorded pace (default 1; 0 = as fast as it can);
                          a silence longer than 60 s is cut to 60 s
  --environment NAME      watch: production (default) or demo
  --rest-base-url URL     watch: the token endpoint and legacy /tapi host (overrides the environment)
  --ws-url URL            watch: the private WebSocket URL (overrides the environment)
  --tapi-v2-base-url URL  watch: the Trade API v2 host (overrides the environment)
  --no-reconcile          watch: do not ask the REST APIs what a gap missed
  --nats URL              bridge, tail: the NATS server
  --accounts FILE         bridge: the accounts to lease (JSON)
  --id NAME               bridge: this bridge's name in the leases
  --lease-ms MS           bridge: how long a lease lasts, 500..600000 (must equal the lease bucket's
                          TTL when it exists, else exit 2; default: the bucket's, 10000 for a new one)
  --drain-timeout-ms MS   bridge: on SIGTERM/SIGINT, how long buffered updates may drain (default 5000)
  --account NAME          tail: the account to show
  --help, -h              this text
  --version, -v           the package version

Numbers are plain decimals (12, 0.5, 1e-3); hex, Infinity and empty values are usage errors.

Exit codes: 0 done (after --duration, end of the demo or of a replay with at least one record,
Ctrl-C, or a closed pipe such as | head);
1 terminal failure, or a replay with no record; 2 usage error (also --record into a missing
directory, found before anything connects) or missing credentials.`;

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function number(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isFinite(value) || value < min) {
    throw new UsageError(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * Parses the command line with `node:util` `parseArgs`; throws {@link UsageError}.
 * @internal
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [call, ...rest] = positionals;
  const json = values.json === true;
  const allowed: Record<string, readonly string[]> = {
    demo: ['json', 'duration', 'seed', 'record'],
    watch: [
      'json',
      'duration',
      'record',
      'environment',
      'rest-base-url',
      'ws-url',
      'tapi-v2-base-url',
      'no-reconcile',
    ],
    replay: ['json', 'speed'],
    ...BUS_ALLOWED,
  };
  if (call === undefined) throw new UsageError('no call given');
  const options = allowed[call];
  if (!options) throw new UsageError(`unknown call "${call}"`);
  for (const name of Object.keys(values)) {
    if (!options.includes(name)) throw new UsageError(`--${name} does not apply to ${call}`);
  }
  const durationS = number('duration', values.duration, 0);
  if (call === 'demo') {
    if (rest.length > 0) throw new UsageError(`demo takes no arguments, got "${rest.join(' ')}"`);
    const seed = number('seed', values.seed, 0);
    return {
      kind: 'demo',
      json,
      durationS: durationS ?? DEMO_DEFAULT_DURATION_S,
      ...(seed === undefined ? {} : { seed: Math.floor(seed) }),
      ...(values.record === undefined ? {} : { record: values.record }),
    };
  }
  if (call === 'bridge' || call === 'tail') {
    return parseBusCommand(call, values, rest, durationS, (message) => {
      throw new UsageError(message);
    });
  }
  if (call === 'watch') {
    if (rest.length > 0) throw new UsageError(`watch takes no arguments, got "${rest.join(' ')}"`);
    const environment = values.environment ?? 'production';
    if (environment !== 'production' && environment !== 'demo') {
      throw new UsageError(`--environment must be production or demo, got "${environment}"`);
    }
    return {
      kind: 'watch',
      json,
      environment,
      reconcile: values['no-reconcile'] !== true,
      ...(values.record === undefined ? {} : { record: values.record }),
      ...(values['rest-base-url'] === undefined ? {} : { restBaseUrl: values['rest-base-url'] }),
      ...(values['ws-url'] === undefined ? {} : { wsUrl: values['ws-url'] }),
      ...(values['tapi-v2-base-url'] === undefined ? {} : { tapiV2BaseUrl: values['tapi-v2-base-url'] }),
      ...(durationS === undefined ? {} : { durationS }),
    };
  }
  const [file, ...extra] = rest;
  if (file === undefined) throw new UsageError('replay needs a FILE');
  if (extra.length > 0) throw new UsageError(`replay takes one FILE, got "${rest.join(' ')}"`);
  return { kind: 'replay', json, file, speed: number('speed', values.speed, 0) ?? 1 };
}
