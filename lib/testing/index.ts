// indodax-pws/testing: what users need to test their own strategies without the exchange.

// one call for Jest: a fake exchange and a connected client, both torn down after the test
export { withFakeIndodax, type FakeIndodax, type WithFakeIndodaxOptions } from './with-fake-indodax';

// the fake Indodax: token endpoint, private WebSocket, fault controls (docs/testing-kit.md)
export { startFakeServer } from './fake-server';
export type {
  FakeAccount,
  FakeAccountInit,
  FakeCommandKind,
  FakeConnectRejection,
  FakeConnectionInfo,
  FakePublishOptions,
  FakeRejectOptions,
  FakeRequest,
  FakeRoute,
  FakeRouteResult,
  FakeServer,
  FakeServerEvent,
  FakeServerOptions,
  FakeServerStats,
  FakeTarget,
  FakeTokenFault,
} from './fake-server';

// its REST endpoints (legacy TAPI, Trade API v2), folded from the order event log
export {
  fakeRestRoutes,
  foldOrderLog,
  type FakeBookFill,
  type FakeBookOrder,
  type FakeRestCall,
  type FakeRestControls,
  type FakeRestFault,
  type FakeRestOptions,
  type FakeRestRequest,
  type FakeRestResult,
  type FakeRestRoute,
  type FakeRestSource,
  type FakeRestSurface,
} from './fake-rest';
export { storeDifferences, type StoreDifference } from './store-check';

// an in-memory socket for marble tests of the connection
export {
  defaultScript,
  fakeWebSocketFactory,
  type FakeServerScript,
  type FakeSocket,
  type FakeWebSocketOptions,
  type SentCommand,
} from './fake-socket';

// builders of order events and marble helpers
export {
  DEFAULT_TIME,
  cancelled,
  done,
  fill,
  newOrder,
  orderLifecycle,
  pushData,
  rejected,
  type FillSpec,
  type LifecycleEnd,
  type LifecycleSpec,
  type OrderSpec,
} from './builders';
export {
  TEST_CHANNEL,
  channelStatus,
  plainOrder,
  plainOrders,
  publication,
  statusMsg,
  updateOf,
  type PlainTrackedOrder,
} from './marbles';
