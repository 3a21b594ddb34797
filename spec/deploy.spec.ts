import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No image can be built and no unit started here: both files are read and held to what
// docs/operations.md promises. `systemd-analyze verify` runs in CI (scripts/check-deploy.mjs).

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The instructions of a Dockerfile per stage: continuation lines joined, comments dropped. */
function dockerStages(text: string): { instruction: string; args: string }[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: { instruction: string; args: string }[][] = [];
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const entry = { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    if (entry.instruction === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(entry);
  }
  return stages;
}

/** A systemd unit's keys per section (a key may repeat). */
function unitKeys(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    current?.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('deploy/Dockerfile', () => {
  const stages = dockerStages(read('deploy/Dockerfile'));
  const final = stages[stages.length - 1]!;
  const one = (instruction: string) => final.filter((i) => i.instruction === instruction).map((i) => i.args);

  it('runs on a Node LTS base (an even major ≥ 20, slim)', () => {
    for (const stage of stages) {
      const from = /^node:(\d+)-[a-z]+-slim(?:\s|$)/.exec(stage[0]!.args);
      expect(from).not.toBeNull();
      const major = Number(from![1]);
      expect(major % 2 === 0 && major >= 20).toBe(true);
    }
  });

  it('installs without dev dependencies, plus the optional peers the bridge needs', () => {
    const run = one('RUN').join('\n');
    expect(run).toMatch(/npm (ci|install) --omit=dev/);
    for (const peer of ['@nats-io/transport-node', '@nats-io/jetstream', '@nats-io/kv', 'prom-client'])
      expect(run).toContain(peer);
    expect(one('ENV')).toContain('NODE_ENV=production');
  });

  it('runs as the unprivileged user node', () => {
    expect(one('USER')).toEqual(['node']);
    // the user comes before the entrypoint
    const order = final.map((i) => i.instruction);
    expect(order.lastIndexOf('USER')).toBeLessThan(order.indexOf('ENTRYPOINT'));
  });

  it('enters node on dist/cli/main.js directly (exec form: signals reach node), told to run with --init', () => {
    expect(one('ENTRYPOINT').map((a) => JSON.parse(a) as unknown)).toEqual([['node', 'dist/cli/main.js']]);
    expect(read('deploy/Dockerfile')).toMatch(/docker run --init/);
    expect(one('WORKDIR').pop()).toBe('/opt/indodax-pws/node_modules/indodax-pws');
  });

  it('sends only what it builds from', () => {
    const ignore = read('deploy/Dockerfile.dockerignore');
    expect(ignore).toMatch(/^\*\*$/m);
    expect(ignore).not.toMatch(/node_modules|\.env/);
  });
});

describe('deploy/indodax-pws-bridge.service', () => {
  const unit = unitKeys(read('deploy/indodax-pws-bridge.service'));
  const service = unit.get('Service')!;
  const key = (name: string) => service.get(name)?.join(' ');

  it('runs node on dist/cli/main.js bridge itself, never npx or npm', () => {
    const exec = key('ExecStart')!;
    expect(exec).toMatch(/^\/usr\/bin\/node \S+\/dist\/cli\/main\.js bridge /);
    expect(exec).not.toMatch(/\bnpx\b|\bnpm\b/);
    expect(exec).toContain('--accounts ');
    expect(exec).toContain('--metrics-port ');
  });

  it('reads its variables from an EnvironmentFile, never from the unit', () => {
    expect(key('EnvironmentFile')).toBe('/etc/indodax-pws/bridge.env');
    expect(service.has('Environment')).toBe(false);
  });

  it('stops with SIGTERM, with time to drain (5 s) and exit (+2 s) before SIGKILL', () => {
    expect(key('KillSignal')).toBe('SIGTERM');
    expect(Number(key('TimeoutStopSec'))).toBeGreaterThan(7);
    expect(key('Restart')).toBe('on-failure');
    expect(key('RestartPreventExitStatus')).toBe('2');
  });

  it('is hardened', () => {
    expect(key('NoNewPrivileges')).toBe('yes');
    expect(key('DynamicUser')).toBe('yes');
    expect(key('ProtectSystem')).toBe('strict');
    expect(key('ProtectHome')).toBe('yes');
    expect(key('PrivateTmp')).toBe('yes');
    expect(key('CapabilityBoundingSet')).toBe('');
    expect(key('RestrictAddressFamilies')).toBe('AF_INET AF_INET6 AF_UNIX');
    expect(service.has('MemoryDenyWriteExecute')).toBe(false); // V8's JIT needs it off
  });

  it('starts after the network and is wanted by multi-user.target', () => {
    expect(unit.get('Unit')?.get('After')?.join(' ')).toContain('network-online.target');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });
});
