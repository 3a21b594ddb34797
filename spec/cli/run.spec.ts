import { NEVER, Subject, VirtualTimeScheduler, type Observable } from 'rxjs';
import { ChannelError } from '../../lib/connection/types';
import type { ChannelMessage } from '../../lib/protocol/messages';
import type { InvalidMessage, OrderStateSnapshot, OrderUpdate } from '../../lib/orders';
import type { CliEvent } from '../../lib/cli/events';
import type { Recorder } from '../../lib/cli/record';
import { runClient } from '../../lib/cli/run';
import type { Sink } from '../../lib/cli/sink';

function stubClient() {
  const messages = new Subject<ChannelMessage>();
  const invalid = new Subject<InvalidMessage>();
  const orders = new Subject<OrderStateSnapshot>();
  const client = {
    messages$: messages,
    status$: NEVER,
    orderUpdates$: NEVER as Observable<OrderUpdate>,
    byStatus: {} as never,
    orders$: orders,
    invalid$: invalid,
  };
  return { client, messages, invalid, orders };
}

function recordingSink() {
  const calls: string[] = [];
  const sink: Sink = {
    write: (e: CliEvent) => calls.push(`write ${e.type}`),
    fail: (m) => calls.push(`fail ${m}`),
    note: (m) => calls.push(`note ${m}`),
    end: () => calls.push('end'),
  };
  return { sink, calls };
}

describe('runClient', () => {
  it('a terminal failure goes into the view before its last frame, then to stderr; exit 1', async () => {
    const { client, messages } = stubClient();
    const { sink, calls } = recordingSink();
    const stderr: string[] = [];
    const done = runClient(client, sink, {
      onStop: () => () => undefined,
      stderr: { write: (t: string) => stderr.push(t) },
    });
    messages.next({ type: 'status', status: { state: 'connecting', attempt: 1 } });
    messages.error(new ChannelError('token', undefined, 'invalid_credentials'));
    await expect(done).resolves.toBe(1);
    expect(calls.indexOf('fail token failure: invalid_credentials')).toBeLessThan(calls.indexOf('end'));
    expect(stderr).toEqual(['indodax-pws: stopped: token failure: invalid_credentials\n']);
  });

  it('ends by itself when the store stream completes, with the summary after the snapshot', async () => {
    const { client, orders } = stubClient();
    const { sink, calls } = recordingSink();
    const done = runClient(client, sink, {
      onStop: () => () => undefined,
      stderr: { write: () => undefined },
      summary: () => 'replayed 1 records; invalid items 0 (0 of them unreadable lines of the file)',
      exitCodeAtEnd: () => 0,
    });
    orders.next({ orders: new Map() } as unknown as OrderStateSnapshot);
    orders.complete();
    await expect(done).resolves.toBe(0);
    expect(calls.slice(-3)).toEqual([
      'write snapshot',
      'note replayed 1 records; invalid items 0 (0 of them unreadable lines of the file)',
      'end',
    ]);
  });

  it('records a frame line it could not read, as raw text', async () => {
    const { client, invalid, orders } = stubClient();
    const frames: string[] = [];
    const recorder: Recorder = {
      message: () => undefined,
      restUpdate: () => undefined,
      badFrame: (raw, reason) => frames.push(`${raw} / ${reason}`),
      close: () => Promise.resolve(),
    };
    const done = runClient(client, recordingSink().sink, {
      recorder,
      onStop: () => () => undefined,
      stderr: { write: () => undefined },
    });
    invalid.next({ raw: '{not json', rawText: '{not json', reason: 'frame: not JSON' });
    invalid.next({ raw: { order: {} }, reason: 'Missing value at order/orderId' }); // in a message: recorded with it
    orders.complete();
    await done;
    expect(frames).toEqual(['{not json / not JSON']);
  });

  it('--duration longer than a Node timer can wait runs on the injected scheduler, through safeTimer', async () => {
    const { client } = stubClient();
    const { sink, calls } = recordingSink();
    const scheduler = new VirtualTimeScheduler();
    const done = runClient(client, sink, {
      durationS: 40 * 86_400, // 40 days: more than 2^31-1 ms
      scheduler,
      onStop: () => () => undefined,
      stderr: { write: () => undefined },
    });
    scheduler.flush();
    await expect(done).resolves.toBe(0);
    expect(scheduler.now()).toBe(40 * 86_400 * 1000);
    expect(calls).toEqual(['end']);
  });
});
