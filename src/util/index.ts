export * from './bytes';
export * from './errors';
