import { closeSync, fchmodSync, openSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asyncScheduler, tap } from 'rxjs';
import { fakeRestRoutes } from '../testing/fake-rest';
import { startFakeServer } from '../testing/fake-server';
import { UsageError } from './args';
import {
  accountsFileText,
  bookEvent,
  envFileText,
  fakeAccountNames,
  fakeUserId,
  type BookEvent,
} from './fake-exchange-book';
import type { FakeExchangeCommand } from './fake-exchange-args';
import type { CliIo } from './io';
import { logLine, type LogLevel } from './log-line';
import { runMarkets } from './fake-market';

/** What `fake-exchange` prints (`--json`: one line each, with `level` and `time`). @internal */
export type FakeExchangeEvent =
  | {
      readonly type: 'listening';
      readonly url: string;
      readonly accounts: number;
      readonly seed: number;
      readonly file: string;
      readonly envFile: string;
    }
  | { readonly type: 'market-open'; readonly account: string; readonly why: 'subscribed' | 'no client came' }
  | {
      readonly type: 'fault';
      readonly account: string;
      readonly fault: 'drop-link';
      readonly sockets: number;
    }
  | BookEvent;

function textOf(event: FakeExchangeEvent): string {
  switch (event.type) {
    case 'listening':
      return (
        `fake exchange on ${event.url}: ${event.accounts} users (seed ${event.seed}); wrote ${event.file} ` +
        `and ${event.envFile}\n  next: set -a; . ${event.envFile}; set +a; ` +
        `indodax-pws bridge --nats nats://127.0.0.1:4222 --accounts ${event.file}`
      );
    case 'market-open':
      return `${event.account}: market opens (${event.why === 'subscribed' ? 'a client subscribed' : 'no client came within --duration'})`;
    case 'fault':
      return `${event.account}: fault: dropped the link (${event.sockets} sockets)`;
    case 'book': {
      const open = event.orders.filter((o) => o.status === 'NEW' || o.status === 'FILL').length;
      const fills = event.orders.reduce((n, o) => n + o.fills.length, 0);
      return `${event.account}: book: ${event.orders.length} orders (${open} open), ${fills} fills`;
    }
  }
}

/** Writes `text` to a new file of mode 0600 (also when it existed): the secrets. */
function writeSecret(file: string, text: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * `indodax-pws fake-exchange`: the testing kit's exchange for N users on 127.0.0.1, each with the
 * demo's seeded market (orders, fills, cancels, a dropped link once a round; see
 * {@link runMarkets}), its accounts file and the file's variables; at the end, one `book` line
 * per account.
 * @internal
 */
export async function runFakeExchange(command: FakeExchangeCommand, io: CliIo): Promise<number> {
  const scheduler = io.scheduler ?? asyncScheduler;
  const file = resolve(command.writeAccounts);
  const envFile = `${file}.env`;
  let isDir = false;
  try {
    isDir = statSync(dirname(file)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--write-accounts: the directory ${dirname(file)} does not exist`);
  const seed = command.seed ?? Math.floor(Math.random() * 1_000_000);
  const json = command.json || !io.stdout.isTTY;
  const say = (level: LogLevel, event: FakeExchangeEvent): void => {
    const now = scheduler.now();
    io.stdout.write(
      (json ? logLine(level, now, event) : `${new Date(now).toISOString()} ${textOf(event)}`) + '\n',
    );
  };
  const server = await startFakeServer({
    routes: (s) =>
      fakeRestRoutes({
        orderLog: (key) => s.orderLog(s.accountByKey(key)?.id ?? '') ?? [],
        secretOf: (key) => s.secretOf(key),
      }).routes,
  });
  const names = fakeAccountNames(command.accounts);
  const users = names.map((a) => server.addAccount({ id: fakeUserId(a.name) }));
  try {
    writeSecret(envFile, envFileText(users.map((u) => u.credentials)));
    writeFileSync(`${file}.tmp`, accountsFileText(command.accounts, server.environment));
    renameSync(`${file}.tmp`, file); // whole or not at all, for whoever waits for it
  } catch (e) {
    await server.close();
    throw new UsageError(`--write-accounts: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  say('info', { type: 'listening', url: server.restBaseUrl, accounts: users.length, seed, file, envFile });

  // Until Ctrl-C, or until every market has run its --duration.
  await new Promise<void>((resolve) => {
    const unregister = io.onStop(() => end());
    const markets = runMarkets({
      server,
      users,
      seed,
      durationMs: (command.durationS ?? 0) * 1000,
      scheduler,
    })
      .pipe(
        tap((note) => {
          const account = names[note.user]!.name;
          if (note.kind === 'open') say('info', { type: 'market-open', account, why: note.why });
          if (note.kind === 'dropped')
            say('warn', { type: 'fault', account, fault: 'drop-link', sockets: note.sockets });
        }),
      )
      .subscribe({ complete: () => end() });
    function end(): void {
      unregister();
      markets.unsubscribe();
      resolve();
    }
  });
  users.forEach((user, i) => say('info', bookEvent(names[i]!.name, server.orderLog(user))));
  await server.close();
  return 0;
}
