export * from './bytes';
export * from './errors';
export * from './printable';
