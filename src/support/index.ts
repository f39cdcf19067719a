export * from './paste';
export * from './windows-klist';
export * from './klist-tgt';
export * from './mit-klist';
export * from './dsregcmd';
export * from './setspn';
export * from './case';
export * from './rules';
