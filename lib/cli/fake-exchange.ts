import { closeSync, fchmodSync, openSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Subscription, asyncScheduler, firstValueFrom, merge, Observable } from 'rxjs';
import { seededRandom } from '../util/random';
import { safeTimer } from '../util/safe-timer';
import { cancelled, done, fill, newOrder, pushData, rejected } from '../testing/builders';
import { fakeRestRoutes } from '../testing/fake-rest';
import { startFakeServer, type FakeAccount, type FakeServer } from '../testing/fake-server';
import { UsageError } from './args';
import { demoSteps, type DemoOrder, type DemoStep } from './demo-script';
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
import { paced } from './pace';

/** The longest round of an account's script; longer runs play round after round. @internal */
const ROUND_MS = 45_000;
/** The mean time between two market steps of one account. @internal */
const STEP_MS = 400;

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

/** Publishes one market step of an account's script (its faults are handled by the caller). */
function play(
  server: FakeServer,
  account: FakeAccount,
  step: Exclude<DemoStep, { kind: 'fault' }>,
  now: number,
): void {
  const spec = (o: DemoOrder) => ({
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.qty,
    transactionTime: now,
  });
  const push = (item: unknown) => void server.publish(pushData(item), { account });
  switch (step.kind) {
    case 'place':
      return push(newOrder(spec(step.order)));
    case 'fill':
      return push(
        fill({
          ...spec(step.order),
          qty: step.qty,
          filledQty: step.executed,
          tradeId: step.tradeId,
          participant: step.maker ? 'MAKER' : 'TAKER',
        }),
      );
    case 'done':
      return push(done(spec(step.order)));
    case 'cancel':
      return push(cancelled({ ...spec(step.order), executedQty: step.executed }));
    case 'reject':
      return push(rejected(spec(step.order)));
  }
}

/**
 * `indodax-pws fake-exchange`: the testing kit's exchange for N users on 127.0.0.1, each with the
 * demo's seeded market (orders, fills, cancels, a dropped link once a round), its accounts file
 * and the file's variables; at the end, one `book` line per account.
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

  const durationMs = (command.durationS ?? 0) * 1000;
  const roundMs = durationMs === 0 ? ROUND_MS : Math.min(durationMs, ROUND_MS);
  const rounds = durationMs === 0 ? Infinity : Math.max(1, Math.floor(durationMs / roundMs));
  const started = scheduler.now();
  const market = new Subscription();
  users.forEach((user, i) => {
    const steps = demoSteps(seededRandom(seed * 10_007 + i), { roundMs, rounds, stepMs: STEP_MS });
    const offset = Math.floor((STEP_MS * i) / users.length); // the users do not move in lockstep
    market.add(
      paced(
        () => steps.next(),
        (step) => step.at + offset - (scheduler.now() - started),
        scheduler,
      ).subscribe((step) => {
        if (step.kind !== 'fault') return play(server, user, step, scheduler.now());
        // The script's other faults act on the whole server; a dropped link is one user's.
        if (step.fault !== 'drop-link') return;
        const sockets = server.dropConnections({ account: user });
        say('warn', { type: 'fault', account: names[i]!.name, fault: 'drop-link', sockets });
      }),
    );
  });

  const stop$ = new Observable<void>((subscriber) => io.onStop(() => subscriber.next()));
  await firstValueFrom(merge(stop$, ...(durationMs === 0 ? [] : [safeTimer(durationMs, scheduler)])));
  market.unsubscribe();
  users.forEach((user, i) => say('info', bookEvent(names[i]!.name, server.orderLog(user))));
  await server.close();
  return 0;
}
