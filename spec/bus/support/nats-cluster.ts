import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { eventually, freePort, natsServerBinary } from './nats-server';

// A 3-node JetStream cluster on 127.0.0.1 for the bus tests: each node its own client port,
// cluster port and store; routes to the others; `server_name` n0, n1, n2.

/** One node of the cluster. */
export interface ClusterNode {
  readonly name: string;
  readonly url: string;
  /** SIGKILL: no goodbye to the others. */
  kill(): Promise<void>;
}

/** A running cluster the test controls. */
export interface TestCluster {
  readonly nodes: readonly ClusterNode[];
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startCluster(size = 3): Promise<TestCluster> {
  const binary = natsServerBinary();
  const ports = await Promise.all(Array.from({ length: size * 2 }, () => freePort()));
  const clientPorts = ports.slice(0, size);
  const routePorts = ports.slice(size);
  const stores = clientPorts.map(() => mkdtempSync(join(tmpdir(), 'indodax-pws-nats-cluster-')));
  const children = clientPorts.map((port, i) => {
    const routes = routePorts
      .filter((_, j) => j !== i)
      .map((p) => `nats://127.0.0.1:${p}`)
      .join(',');
    const child = spawn(
      binary,
      [
        '-js',
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '--server_name',
        `n${i}`,
        '--cluster_name',
        'indodax-test',
        '--cluster',
        `nats://127.0.0.1:${routePorts[i]}`,
        '--routes',
        routes,
        '-sd',
        stores[i]!,
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    return child;
  });
  const urls = clientPorts.map((p) => `nats://127.0.0.1:${p}`);
  const stop = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map(exited));
    for (const s of stores) rmSync(s, { recursive: true, force: true });
  };
  try {
    // ready when JetStream answers with a meta leader elected (routes up, quorum formed)
    await eventually(
      'the cluster’s JetStream is ready',
      async () => {
        const nc = await connect({ servers: urls[0]!, timeout: 1_000 });
        try {
          const jsm = await jetstreamManager(nc, { timeout: 1_000 });
          await jsm.getAccountInfo();
          return true;
        } finally {
          await nc.close();
        }
      },
      30_000,
      200,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    urls,
    nodes: children.map((child, i) => ({
      name: `n${i}`,
      url: urls[i]!,
      kill: async () => {
        child.kill('SIGKILL');
        await exited(child);
      },
    })),
    stop,
  };
}
