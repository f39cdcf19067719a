export * from './paste';
export * from './windows-klist';
