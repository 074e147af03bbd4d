export * from './chinese-offsets.ts';
export * from './to-wgs84.ts';
