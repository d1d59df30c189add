export * from './audit.ts';
export * from './common.ts';
export * from './geo.ts';
export * from './imports.ts';
export * from './incidents.ts';
export * from './jobs.ts';
export * from './org.ts';
export * from './system.ts';
