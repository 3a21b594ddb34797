import { HELP, OPTIONS, UsageError, parseCommand } from '../../lib/cli/args';
import { CALL_HELP, helpText } from '../../lib/cli/help';

describe('parseCommand', () => {
  it('--help names every option', () => {
    for (const name of Object.keys(OPTIONS)) expect(HELP).toContain(`--${name}`);
  });

  it.each(['0x10', '1e400', 'Infinity', '', ' 5', '-1', '5s', 'NaN', '0b1'])(
    '--duration=%j is a usage error',
    (raw) => {
      expect(() => parseCommand(['demo', `--duration=${raw}`])).toThrow(UsageError);
    },
  );

  it.each([
    ['12', 12],
    ['0.5', 0.5],
    ['1e-3', 0.001],
    ['0', 0],
  ])('--duration=%s is %d', (raw, value) => {
    expect(parseCommand(['demo', `--duration=${raw}`])).toMatchObject({ kind: 'demo', durationS: value });
  });

  it('demo ends by itself by default and accepts --record', () => {
    const c = parseCommand(['demo', '--record', 'x.ndjson']);
    expect(c).toMatchObject({ kind: 'demo', record: 'x.ndjson' });
    expect(c.kind === 'demo' && c.durationS > 0 && c.durationS <= 60).toBe(true);
  });

  it('replay --speed 1e-300 is allowed (waits are clamped)', () => {
    expect(parseCommand(['replay', 'f', '--speed', '1e-300'])).toMatchObject({
      kind: 'replay',
      speed: 1e-300,
    });
  });
});

describe("--help of a call prints that call's part", () => {
  const calls = Object.keys(CALL_HELP);

  it('lists demo, watch, replay, bridge and tail', () => {
    expect(calls).toEqual(expect.arrayContaining(['demo', 'watch', 'replay', 'bridge', 'tail']));
  });

  it.each(calls)('%s --help → its block only, with its example and each of its options', (call) => {
    expect(parseCommand([call, '--help'])).toEqual({ kind: 'help', call });
    expect(parseCommand(['--help', call])).toEqual({ kind: 'help', call });
    const text = helpText(call);
    expect(text).toContain(`indodax-pws ${call}`);
    expect(text).toContain('example: ');
    for (const other of calls.filter((c) => c !== call)) {
      expect(text).not.toMatch(new RegExp(`^  indodax-pws ${other}\\b`, 'm'));
    }
    for (const [flag] of CALL_HELP[call]!.options) expect(text).toContain(flag);
    expect(text).toContain('Exit codes');
  });

  it('the full --help is every block; a call takes only the options its block names', () => {
    for (const call of calls)
      expect(HELP).toContain(helpText(call).split('Usage:\n')[1]!.split('\n\nEvery call')[0]);
    for (const call of calls) {
      const listed = CALL_HELP[call]!.options.map(([flag]) => flag.split(' ')[0]!.slice(2));
      for (const name of Object.keys(OPTIONS).filter((n) => n !== 'help' && n !== 'version')) {
        let accepted = true;
        try {
          parseCommand([call, `--${name}`, '1', 'f']);
        } catch (e) {
          accepted = !(e instanceof UsageError && e.message === `--${name} does not apply to ${call}`);
        }
        expect([name, accepted]).toEqual([name, listed.includes(name)]);
      }
    }
  });

  it('--help with an unknown call is a usage error', () => {
    expect(() => parseCommand(['frobnicate', '--help'])).toThrow(UsageError);
  });
});
