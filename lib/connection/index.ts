export { privateChannel, type PrivateChannelOptions, type ReconnectOptions } from './private-channel';
export * from './types';
