export * from './codes';
export * from './commands';
export * from './codecs';
export * from './frames';
export * from './messages';
