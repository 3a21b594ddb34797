/**
 * One bridge of the bus bench, in a child process of its own (forked by bench/bus.ts with an
 * IPC channel): `start` runs `startBridge`, `memory` answers its heap after a full collection.
 */
import { startBridge, type Bridge } from '../lib/bridge/bridge';
import type { BridgeAccount } from '../lib/bridge/accounts-file';
import { heapUsed } from './report';

type Message =
  | { cmd: 'start'; servers: string; id: string; accounts: BridgeAccount[]; leaseMs: number }
  | { cmd: 'memory' }
  | { cmd: 'stop' };

let bridge: Bridge | undefined;
let retries = 0;
let paused = 0;
let lost = 0;
let leaseErrors = 0;

process.on('message', (m: Message) => {
  void (async () => {
    if (m.cmd === 'start') {
      const heapBefore = heapUsed();
      bridge = await startBridge({
        servers: m.servers,
        id: m.id,
        accounts: m.accounts,
        leaseMs: m.leaseMs,
        reconcile: false,
        client: { pingIntervalMs: 3_600_000 },
        onEvent: (e) => {
          if (e.type === 'publish-retry') retries += 1;
          if (e.type === 'paused') paused += 1;
          if (e.type === 'lost') lost += 1;
          if (e.type === 'lease-error') leaseErrors += 1;
        },
      });
      process.send?.({ cmd: 'started', heapBefore });
    } else if (m.cmd === 'memory') {
      process.send?.({
        cmd: 'memory',
        heap: heapUsed(),
        rss: process.memoryUsage().rss,
        held: bridge?.held().length ?? 0,
        retries,
        paused,
        lost,
        leaseErrors,
      });
    } else {
      await bridge?.stop();
      process.send?.({ cmd: 'stopped' });
      process.exit(0);
    }
  })();
});
