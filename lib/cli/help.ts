/** How long `demo` runs when no --duration is given, in seconds. @internal */
export const DEMO_DEFAULT_DURATION_S = 40;

/**
 * One call's part of `--help`: what `indodax-pws <call> --help` prints (and the full
 * `--help` prints one after another). To add a call or a flag, add a block or a line here.
 * @internal
 */
export interface CallHelp {
  /** The synopsis: `indodax-pws demo [--json] …`, over one or more lines. */
  readonly usage: readonly string[];
  /** What the call does, in a few lines. */
  readonly about: readonly string[];
  readonly example: string;
  /** Each option of the call: `['--seed N', 'the script's seed …', …more lines]`. */
  readonly options: readonly (readonly [string, ...string[]])[];
}

const JSON_OPTION = ['--json', 'one JSON object per line (the default when not on a terminal)'] as const;
const RECORD_OPTION = [
  '--record FILE',
  'write what arrives to FILE as NDJSON (mode 0600; the directory',
  'must exist); replay plays it back',
] as const;

/** How `bridge` and `tail` reach a NATS server that asks for credentials or TLS. */
const NATS_SECURITY: readonly (readonly [string, ...string[]])[] = [
  ['--nats-user NAME', 'or NATS_USER; its password only from NATS_PASSWORD (a token:', 'NATS_TOKEN)'],
  ['--nats-creds FILE', 'or NATS_CREDS: a creds file (user JWT and seed)'],
  ['--nats-nkey FILE', 'or NATS_NKEY: an nkey user seed file'],
  ['--nats-ca FILE', "or NATS_CA: the CA of the server's certificate (TLS)"],
  ['--nats-cert FILE', 'or NATS_CERT: a client certificate, for mutual TLS'],
  ['--nats-key FILE', "or NATS_KEY: the client certificate's key"],
  [
    '--nats-password',
    'refused, as --nats-token: set NATS_PASSWORD / NATS_TOKEN',
    '(a command line shows in ps)',
  ],
  ['--nats-token', 'refused: set NATS_TOKEN'],
];
const NATS_ABOUT = [
  'A flag wins over its variable. A tls:// URL requires TLS; a password or token is never',
  'sent in plain text to a host that is not loopback.',
];

/** Every call's block, in the order `--help` lists them. @internal */
export const CALL_HELP: Readonly<Record<string, CallHelp>> = {
  demo: {
    usage: ['indodax-pws demo [--json] [--duration S] [--seed N] [--record FILE]'],
    about: [
      'The embedded simulator: a fake exchange on 127.0.0.1 with a scripted market and scripted',
      'faults (a dropped link, an expiring token, a bad frame, a gap), watched through the real',
      `client. No credentials, no network. Ends after ${DEMO_DEFAULT_DURATION_S} s with a check of the store against the`,
      'exchange; --duration 0 runs until Ctrl-C.',
    ],
    example: 'indodax-pws demo --duration 30 --seed 7 --record demo.ndjson',
    options: [
      JSON_OPTION,
      [
        '--duration S',
        `stop cleanly after S seconds (exit 0); default ${DEMO_DEFAULT_DURATION_S}, 0 = until Ctrl-C`,
      ],
      ['--seed N', "the script's seed (same seed, same market and faults)"],
      RECORD_OPTION,
    ],
  },
  watch: {
    usage: [
      'indodax-pws watch [--json] [--record FILE] [--duration S] [--environment production|demo]',
      '                  [--rest-base-url URL] [--ws-url URL] [--tapi-v2-base-url URL] [--no-reconcile]',
    ],
    about: [
      'Your real account. Credentials come only from INDODAX_API_KEY and INDODAX_API_SECRET.',
      'Runs until Ctrl-C (or --duration).',
    ],
    example: 'INDODAX_API_KEY=... INDODAX_API_SECRET=... indodax-pws watch --record today.ndjson',
    options: [
      JSON_OPTION,
      RECORD_OPTION,
      ['--duration S', 'stop cleanly after S seconds (exit 0)'],
      ['--environment NAME', 'production (default) or demo'],
      ['--rest-base-url URL', 'the token endpoint and legacy /tapi host (overrides the environment)'],
      ['--ws-url URL', 'the private WebSocket URL (overrides the environment)'],
      ['--tapi-v2-base-url URL', 'the Trade API v2 host (overrides the environment)'],
      ['--no-reconcile', 'do not ask the REST APIs what a gap missed'],
    ],
  },
  replay: {
    usage: ['indodax-pws replay FILE [--json] [--speed X]'],
    about: [
      'Plays a recording back through the same operators, then prints the final snapshot and a',
      'summary: records replayed, invalid items (as the view counts them) and how many of them',
      'were unreadable lines of the file. Any file, any size: a line over 16 MB is one invalid',
      'line. Ends by itself.',
    ],
    example: 'indodax-pws replay today.ndjson --speed 0 --json',
    options: [
      JSON_OPTION,
      [
        '--speed X',
        'X times the recorded pace (default 1; 0 = as fast as it can);',
        'a silence longer than 60 s is cut to 60 s',
      ],
    ],
  },
  bridge: {
    usage: [
      'indodax-pws bridge --nats URL --accounts FILE [--id NAME] [--lease-ms MS] [--json] [NATS security]',
    ],
    about: [
      "Holds leased accounts' connections and publishes their updates to NATS JetStream.",
      ...NATS_ABOUT,
    ],
    example:
      'ACCT0_KEY=... ACCT0_SECRET=... indodax-pws bridge --nats nats://127.0.0.1:4222 --accounts a.json',
    options: [
      ['--nats URL', 'the NATS server (a cluster: its URLs, comma-separated)'],
      [
        '--accounts FILE',
        'the accounts to lease: a regular JSON file of at most 1 MB; names',
        '[A-Za-z0-9_-], at most 64 characters; secrets only by the names of',
        'environment variables',
      ],
      ['--id NAME', "this bridge's name in the leases"],
      [
        '--lease-ms MS',
        "how long a lease lasts, 500..600000; must equal the lease bucket's",
        "TTL when it exists, else exit 2 (default: the bucket's; 10000 for a new one)",
      ],
      ['--drain-timeout-ms MS', 'on SIGTERM/SIGINT, how long buffered updates may drain (default 5000)'],
      ['--replicas N', 'replicas of the stream and buckets it creates (1 to 5, default 1)'],
      ['--metrics-port P', 'serve /metrics, /healthz, /readyz on port P'],
      ['--metrics-host H', 'the address the metrics server listens on (default 127.0.0.1)'],
      JSON_OPTION,
      ...NATS_SECURITY,
    ],
  },
  tail: {
    usage: ['indodax-pws tail --nats URL --account NAME [--json] [--duration S] [NATS security]'],
    about: ['The watch view of one account, read from the bus.', ...NATS_ABOUT],
    example: 'indodax-pws tail --nats nats://127.0.0.1:4222 --account acct0 --json --duration 10',
    options: [
      ['--nats URL', 'the NATS server'],
      ['--account NAME', 'the account to show'],
      JSON_OPTION,
      ['--duration S', 'stop cleanly after S seconds (exit 0); the last line is the', 'final snapshot'],
      ...NATS_SECURITY,
    ],
  },
  'fake-exchange': {
    usage: [
      'indodax-pws fake-exchange --accounts N --write-accounts FILE [--duration S] [--seed N] [--json]',
    ],
    about: [
      "The testing kit's exchange on 127.0.0.1 for N users (acct0 …), each with a scripted market",
      '(orders, fills, cancels, now and then a dropped link). Writes FILE (an accounts file for',
      'bridge) and FILE.env (its variables, mode 0600). Runs until Ctrl-C or --duration; under',
      '--json it ends with one "book" line per account: the exchange\'s truth.',
    ],
    example: 'indodax-pws fake-exchange --accounts 3 --write-accounts accounts.json --json > books.ndjson',
    options: [
      ['--accounts N', 'how many users'],
      ['--write-accounts FILE', 'where to write the accounts file (and FILE.env)'],
      ['--duration S', "how long each user's market runs once a client subscribes"],
      ['--seed N', "the script's seed (same seed, same market and faults)"],
      JSON_OPTION,
    ],
  },
};

const COMMON = `Every call:
      --help, -h              this text (indodax-pws <call> --help: that call's part)
      --version, -v           the package version

Numbers are plain decimals (12, 0.5, 1e-3); hex, Infinity and empty values are usage errors.

Exit codes: 0 done (after --duration, end of the demo or of a replay with at least one record,
Ctrl-C, or a closed pipe such as | head);
1 terminal failure, or a replay with no record; 2 usage error (also --record into a missing
directory, found before anything connects, or an --accounts file that is not a regular file of
at most 1 MB) or missing credentials.`;

const option = ([flag, first, ...more]: readonly [string, ...string[]]): string =>
  [`      ${flag.padEnd(24)}${first ?? ''}`, ...more.map((line) => `      ${' '.repeat(24)}${line}`)].join(
    '\n',
  );

function block(help: CallHelp): string {
  return [
    ...help.usage.map((line) => `  ${line}`),
    ...help.about.map((line) => `      ${line}`),
    `      example: ${help.example}`,
    ...help.options.map(option),
  ].join('\n');
}

/**
 * The text of `--help`: every call's block, or only `call`'s when one is named
 * (`indodax-pws tail --help`).
 *
 * ## Example
 * ```ts
 * helpText('tail'); // 'indodax-pws: …\n\nUsage:\n  indodax-pws tail --nats URL …'
 * ```
 * @internal
 */
export function helpText(call?: string): string {
  const calls = call === undefined ? Object.keys(CALL_HELP) : [call];
  const blocks = calls.map((name) => block(CALL_HELP[name]!));
  return `indodax-pws: watch an Indodax account's private order stream

${call === undefined ? 'Calls' : 'Usage'}:
${blocks.join('\n\n')}

${COMMON}`;
}
