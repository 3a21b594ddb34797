import { HELP, UsageError, parseCommand } from '../../lib/cli/args';
import { helpText } from '../../lib/cli/help';

const usage = (args: string[]): string => {
  try {
    parseCommand(args);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
};

describe('bridge --metrics-port / --metrics-host', () => {
  const base = ['bridge', '--nats', 'nats://127.0.0.1:4222', '--accounts', 'a.json'];

  it.each([
    {
      name: 'no flag: no metrics server',
      args: [],
      want: { metricsPort: undefined, metricsHost: undefined },
    },
    { name: 'a port', args: ['--metrics-port', '9464'], want: { metricsPort: 9464, metricsHost: undefined } },
    { name: 'port 0: any free one', args: ['--metrics-port', '0'], want: { metricsPort: 0 } },
    {
      name: 'a host',
      args: ['--metrics-port', '9464', '--metrics-host', '0.0.0.0'],
      want: { metricsPort: 9464, metricsHost: '0.0.0.0' },
    },
    {
      name: 'an IPv6 host',
      args: ['--metrics-port', '1', '--metrics-host', '::1'],
      want: { metricsHost: '::1' },
    },
  ])('$name', ({ args, want }) => {
    const c = parseCommand([...base, ...args]);
    expect(c.kind).toBe('bridge');
    for (const [k, v] of Object.entries(want)) expect((c as unknown as Record<string, unknown>)[k]).toBe(v);
  });

  it.each([
    {
      name: 'not a number',
      args: ['--metrics-port', 'x'],
      message: '--metrics-port must be a port number 0-65535, got "x"',
    },
    {
      name: 'too big',
      args: ['--metrics-port', '70000'],
      message: '--metrics-port must be a port number 0-65535',
    },
    { name: 'negative', args: ['--metrics-port', '-1'], message: '--metrics-port' },
    {
      name: 'host alone',
      args: ['--metrics-host', '127.0.0.1'],
      message: '--metrics-host needs --metrics-port',
    },
    {
      name: 'a host with a path',
      args: ['--metrics-port', '1', '--metrics-host', 'a/b'],
      message: '--metrics-host must be a host name or address',
    },
  ])('usage error: $name', ({ args, message }) => {
    expect(usage([...base, ...args])).toContain(message);
  });

  it('tail takes no --metrics-port', () => {
    expect(usage(['tail', '--nats', 'n', '--account', 'a', '--metrics-port', '1'])).toBe(
      '--metrics-port does not apply to tail',
    );
  });
});

describe('fake-exchange', () => {
  it('parses its flags; --duration 0 means until Ctrl-C', () => {
    expect(
      parseCommand([
        'fake-exchange',
        '--accounts',
        '3',
        '--write-accounts',
        'a.json',
        '--seed',
        '7.9',
        '--json',
      ]),
    ).toEqual({ kind: 'fake-exchange', accounts: 3, writeAccounts: 'a.json', seed: 7, json: true });
    expect(
      parseCommand(['fake-exchange', '--accounts', '1', '--write-accounts', 'a.json', '--duration', '0']),
    ).toEqual({ kind: 'fake-exchange', accounts: 1, writeAccounts: 'a.json', json: false });
    expect(
      parseCommand(['fake-exchange', '--accounts', '1', '--write-accounts', 'a.json', '--duration', '2.5']),
    ).toMatchObject({ durationS: 2.5 });
  });

  it.each([
    { name: 'no --accounts', args: ['--write-accounts', 'f'], message: 'fake-exchange needs --accounts N' },
    { name: 'no file', args: ['--accounts', '2'], message: 'fake-exchange needs --write-accounts FILE' },
    {
      name: 'zero users',
      args: ['--accounts', '0', '--write-accounts', 'f'],
      message: '--accounts must be a whole number 1-10000, got "0"',
    },
    {
      name: 'a fraction',
      args: ['--accounts', '1.5', '--write-accounts', 'f'],
      message: '--accounts must be a whole number',
    },
    {
      name: 'too many',
      args: ['--accounts', '10001', '--write-accounts', 'f'],
      message: '--accounts must be a whole number',
    },
    {
      name: 'an argument',
      args: ['x', '--accounts', '1', '--write-accounts', 'f'],
      message: 'fake-exchange takes no arguments',
    },
    {
      name: 'a bridge flag',
      args: ['--accounts', '1', '--write-accounts', 'f', '--nats', 'n'],
      message: '--nats does not apply to fake-exchange',
    },
    {
      name: 'a bad seed',
      args: ['--accounts', '1', '--write-accounts', 'f', '--seed', 'x'],
      message: '--seed must be a number',
    },
  ])('usage error: $name', ({ args, message }) => {
    expect(usage(['fake-exchange', ...args])).toContain(message);
  });
});

describe('--help of one call', () => {
  it('`CALL --help` parses as help for that call', () => {
    expect(parseCommand(['bridge', '--help'])).toEqual({ kind: 'help', call: 'bridge' });
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    {
      call: 'bridge',
      has: [
        '--nats URL',
        '--accounts FILE',
        '--id NAME',
        '--lease-ms MS',
        '--metrics-port P',
        '--metrics-host H',
        '--json',
      ],
      hasNot: ['--duration S', '--account NAME', '--accounts N', 'indodax-pws tail', '--record FILE'],
    },
    {
      call: 'tail',
      has: ['--nats URL', '--account NAME', '--duration S', '--json'],
      hasNot: ['--accounts FILE', '--metrics-port', 'indodax-pws bridge'],
    },
    {
      call: 'fake-exchange',
      has: ['--accounts N', '--write-accounts FILE', '--duration S', '--seed N', '--json'],
      hasNot: ['--nats', '--accounts FILE', 'indodax-pws demo'],
    },
  ])('$call --help shows its part only', ({ call, has, hasNot }) => {
    const text = helpText(call);
    expect(text).toContain(`\n  indodax-pws ${call} `);
    expect(text).toContain('example:');
    expect(text).toContain('Exit codes:');
    for (const s of has) expect(text).toContain(s);
    for (const s of hasNot) expect(text).not.toContain(s);
  });

  it('the whole --help lists fake-exchange', () => {
    expect(HELP).toContain('indodax-pws fake-exchange --accounts N --write-accounts FILE');
  });
});
