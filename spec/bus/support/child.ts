import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, 'cli-child.js');

/** `indodax-pws …` from the sources in a child process, its output lines collected. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: () => string;
  /** Resolves with the first output line that satisfies `pred`. */
  line(pred: (line: string) => boolean): Promise<string>;
  readonly exited: Promise<number | null>;
}

export function spawnCli(args: readonly string[], env: Record<string, string>): CliChild {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buffer = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      for (const w of [...waiters]) {
        if (w.pred(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    line: (pred) => {
      const found = lines.find(pred);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exited.then((code) => reject(new Error(`the child exited (${code}) first: ${err}`)));
      });
    },
  };
}

/** `indodax-pws bridge … --json` over a test's NATS and fake exchange. */
export function spawnBridge(
  natsUrl: string,
  accountsFile: string,
  env: Record<string, string>,
  id: string,
  leaseMs: number,
): CliChild {
  return spawnCli(
    [
      'bridge',
      '--nats',
      natsUrl,
      '--accounts',
      accountsFile,
      '--id',
      id,
      '--lease-ms',
      String(leaseMs),
      '--json',
    ],
    env,
  );
}
