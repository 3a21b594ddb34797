import { parseArgs } from 'node:util';
import { CALL_HELP, DEMO_DEFAULT_DURATION_S, helpText } from './help';
import {
  BUS_ALLOWED,
  BUS_OPTIONS,
  parseBusCommand,
  type BridgeCommand,
  type TailCommand,
} from './bridge-args';
import {
  FAKE_EXCHANGE_ALLOWED,
  FAKE_EXCHANGE_OPTIONS,
  parseFakeExchangeCommand,
  type FakeExchangeCommand,
} from './fake-exchange-args';

/** A parsed command line. @internal */
export type Command =
  /** `--help`; with `call`, that call's part only (`indodax-pws tail --help`). */
  | { readonly kind: 'help'; readonly call?: string }
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
  | TailCommand
  | FakeExchangeCommand;

/** A usage error: exit 2 with the message and the usage line. @internal */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one-line usage. @internal */
export const USAGE =
  'usage: indodax-pws <demo|watch|replay FILE|bridge|tail|fake-exchange> [options]   (indodax-pws [CALL] --help)';

export { DEMO_DEFAULT_DURATION_S } from './help';

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
  ...FAKE_EXCHANGE_OPTIONS,
} as const;

/** The text of `--help` (every call; `helpText(call)` gives one call's part). @internal */
export const HELP = helpText();

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
  const [call, ...rest] = positionals;
  if (values.help) {
    if (call === undefined) return { kind: 'help' };
    if (!Object.hasOwn(CALL_HELP, call)) throw new UsageError(`unknown call "${call}"`);
    return { kind: 'help', call };
  }
  if (values.version) return { kind: 'version' };
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
    ...FAKE_EXCHANGE_ALLOWED,
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
  if (call === 'fake-exchange') {
    const seed = number('seed', values.seed, 0);
    return parseFakeExchangeCommand(values, rest, { durationS, seed }, (message) => {
      throw new UsageError(message);
    });
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
