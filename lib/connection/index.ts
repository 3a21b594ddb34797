export { privateChannel, type PrivateChannelOptions, type ReconnectOptions } from './private-channel';
export { backoff } from './backoff';
export * from './types';
