// Checks the systemd unit with `systemd-analyze verify` where systemd is installed; where it is
// not, says so and skips that one check (exit 0). The Dockerfile is checked by spec/deploy.spec.ts
// (no image can be built in CI). Any warning of `verify` counts as a failure.
// Usage: node scripts/check-deploy.mjs   (exit 1 with verify's output when the unit is wrong)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNIT = 'deploy/indodax-pws-bridge.service';
const NODE = '/usr/bin/node';

const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.log(
    `check-deploy: SKIPPED systemd-analyze verify of ${UNIT}: systemd-analyze is not installed here ` +
      `(${probe.error?.code ?? `exit ${probe.status}`}); the unit is still read by spec/deploy.spec.ts`,
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'check-deploy-'));
try {
  const copy = join(dir, 'indodax-pws-bridge.service');
  let text = readFileSync(UNIT, 'utf8');
  if (!existsSync(NODE)) {
    // verify checks that ExecStart's program exists: use this machine's node for that check
    console.log(
      `check-deploy: ${NODE} is absent here; verifying with ExecStart's node as ${process.execPath}`,
    );
    text = text.replaceAll(NODE, process.execPath);
  }
  writeFileSync(copy, text);
  const r = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
  const said = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0 || said !== '') {
    console.error(said);
    console.error(`check-deploy: systemd-analyze verify ${UNIT} failed (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`check-deploy: systemd-analyze verify ${UNIT}: ok (${probe.stdout.split('\n')[0]})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
