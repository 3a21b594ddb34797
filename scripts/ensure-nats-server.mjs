// Runs before `npm test` (and in .ci/run): the bus tests start a real `nats-server -js` on
// 127.0.0.1, so it must be on PATH. When it is missing and we are root with apt-get, install
// Debian's package (apt-get update first); otherwise fail loudly: the tests never skip it.
import { spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;

if (!has('nats-server')) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !has('apt-get')) {
    console.error(
      'nats-server is not on PATH and cannot be installed here (needs root and apt-get).\n' +
        'Install it (Debian: apt-get update && apt-get install -y nats-server) and run the tests again.',
    );
    process.exit(1);
  }
  console.error('nats-server is not on PATH: apt-get update && apt-get install -y nats-server');
  if (
    !run('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server') ||
    !has('nats-server')
  ) {
    console.error('installing nats-server failed: the bus tests cannot run');
    process.exit(1);
  }
}
const version = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
console.error(`using ${(version.stdout || version.stderr || '').trim().split('\n')[0]}`);
