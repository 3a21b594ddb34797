#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE, UsageError, parseCommand, type Command } from './args';
import { helpText } from './help';
import { runBridge } from './bridge';
import { runDemo } from './demo';
import { runFakeExchange } from './fake-exchange';
import { runReplay } from './replay';
import { runTail } from './tail';
import { runWatch } from './watch';

export type { CliIo } from './io';
import type { CliIo } from './io';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Runs the `indodax-pws` command; resolves to the exit code.
 * @internal
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`indodax-pws: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    return await run(command, io);
  } catch (e) {
    // e.g. --record into a missing directory: found before anything connects.
    if (e instanceof UsageError) {
      io.stderr.write(`indodax-pws: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

function run(command: Command, io: CliIo): Promise<number> | number {
  switch (command.kind) {
    case 'help':
      io.stdout.write(helpText(command.call) + '\n');
      return 0;
    case 'version':
      io.stdout.write(version() + '\n');
      return 0;
    case 'demo':
      return runDemo(command, io);
    case 'watch':
      return runWatch(command, io);
    case 'replay':
      return runReplay(command, io);
    case 'bridge':
      return runBridge(command, io);
    case 'tail':
      return runTail(command, io);
    case 'fake-exchange':
      return runFakeExchange(command, io);
  }
}

/**
 * The process as the command sees it. A closed stdout (`indodax-pws demo --json | head -5`)
 * is a stop request like Ctrl-C: the run ends quietly with exit 0, and nothing more is
 * written to the closed pipe.
 * @internal
 */
export function processIo(): CliIo {
  const stops = new Set<() => void>();
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (closed) return;
    if (error.code !== 'EPIPE') throw error;
    closed = true;
    for (const stop of stops) stop();
  });
  const stdout = {
    write: (text: string) => (closed ? true : process.stdout.write(text)),
    get isTTY() {
      return process.stdout.isTTY;
    },
    get columns() {
      return process.stdout.columns;
    },
    get rows() {
      return process.stdout.rows;
    },
  };
  return {
    stdout,
    stderr: process.stderr,
    env: process.env,
    onStop: (stop) => {
      stops.add(stop);
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return () => {
        stops.delete(stop);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
    },
  };
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      if (process.stdout.destroyed) process.exit(code);
      else process.stdout.write('', () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`indodax-pws: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
