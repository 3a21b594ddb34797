import { fakeRestRoutes, type FakeRestControls } from '../../lib/testing/fake-rest';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../../lib/testing/fake-server';

/** The fake exchange with its REST endpoints mounted (as the demo does), and their fault controls. */
export async function startExchange(
  options: FakeServerOptions = {},
): Promise<{ server: FakeServer; rest: FakeRestControls }> {
  let rest: FakeRestControls | undefined;
  const server = await startFakeServer({
    pingIntervalMs: 1_000,
    ...options,
    routes: (s) => {
      const built = fakeRestRoutes({
        orderLog: (key) => s.orderLog(s.accountByKey(key)?.id ?? '') ?? [],
        secretOf: (key) => s.secretOf(key),
      });
      rest = built.controls;
      return built.routes;
    },
  });
  if (!rest) throw new Error('REST routes not mounted');
  return { server, rest };
}
