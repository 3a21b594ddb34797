/**
 * One bridge of the bus bench, in a child process of its own (forked by bench/bus.ts with an
 * IPC channel): `start` runs `startBridge`, `memory` answers its heap after a full collection,
 * `profile` starts a CPU and an allocation profile (or, with `to`, stops them and writes them
 * there), `delay` answers how late its event loop ran since the last `delay`.
 */
import { startBridge, type Bridge } from '../lib/bridge/bridge';
import type { BridgeAccount } from '../lib/bridge/accounts-file';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { heapUsed, percentile } from './report';

type Message =
  | { cmd: 'start'; servers: string; id: string; accounts: BridgeAccount[]; leaseMs: number }
  | { cmd: 'memory' }
  | { cmd: 'profile'; to?: string }
  | { cmd: 'delay' }
  | { cmd: 'stop' };

let bridge: Bridge | undefined;
let retries = 0;
let paused = 0;
let lost = 0;
let leaseErrors = 0;
let profiler: Session | undefined;
let publishMs: number[] = [];
// how late this process's event loop ran, since the last `delay`
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

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
        // what `indodax_pws_publish_duration_seconds` observes: publish → JetStream ack
        meter: {
          published: (_account, seconds) => publishMs.push(seconds * 1000),
          publishRetried: () => undefined,
          reconciled: () => undefined,
          reconnected: () => undefined,
          leaseChanged: () => undefined,
        },
        onEvent: (e) => {
          if (e.type === 'publish-retry') retries += 1;
          if (e.type === 'paused') paused += 1;
          if (e.type === 'lost') lost += 1;
          if (e.type === 'lease-error') leaseErrors += 1;
        },
      });
      process.send?.({ cmd: 'started', heapBefore });
    } else if (m.cmd === 'profile') {
      // BENCH_BUS_PROFILE: a CPU profile of the bridge over one phase of the bench
      if (m.to === undefined) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
        await profiler.post('HeapProfiler.enable');
        // what outlived a young-generation collection (promoted: what makes scavenges slow and
        // the old generation grow), also when a full collection freed it later; with
        // BENCH_BUS_PROFILE_ALL=1 every allocation (what makes scavenges frequent)
        await profiler.post('HeapProfiler.startSampling', {
          samplingInterval: 4096,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: process.env['BENCH_BUS_PROFILE_ALL'] === '1',
        });
      } else if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(m.to, JSON.stringify(profile));
        const heap = await profiler.post('HeapProfiler.stopSampling');
        writeFileSync(m.to.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap.profile));
        profiler.disconnect();
        profiler = undefined;
      }
      process.send?.({ cmd: 'profiled' });
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
    } else if (m.cmd === 'delay') {
      process.send?.({
        cmd: 'delay',
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
        publishP99: percentile(publishMs, 99),
      });
      delay.reset();
      publishMs = [];
    } else {
      await bridge?.stop();
      process.send?.({ cmd: 'stopped' });
      process.exit(0);
    }
  })();
});
