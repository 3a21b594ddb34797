export type { SocketHandlers, TransportSocket, WebSocketFactory } from './socket';
export { createWsFactory, defaultWebSocketFactory, type WsFactoryOptions } from './ws-factory';
export { socketEvents, type SocketEvent } from './socket-events';
