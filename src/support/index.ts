export * from './paste';
export * from './windows-klist';
export * from './case-report';
