// Configuration from the environment, validated once at start so a typo fails with a clear message, not later.
import path from 'node:path';
import { ruleSetNames } from '../rulesets/index.ts';
import { codeProfiles } from '../domain/codes/index.ts';
import { DEFAULT_FOOTPRINT } from '../domain/maritime/footprint.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../domain/formats/zip.ts';

export type LookupEngine = 'memory' | 'postgis';
export type Mode = 'demo' | 'production';
/** Origins whose pages may read the API: none, any, or the listed ones. */
export type CorsOrigins = 'none' | 'any' | string[];

export interface Config {
  databaseUrl: string | null;
  port: number;
  host: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  ruleSet: string;
  codeProfile: string;
  mode: Mode;
  seedDemo: boolean;
  lookupEngine: LookupEngine;
  /** requests per minute: per client address without a key, and per API key */
  rateLimit: { public: number; perKey: number };
  /** Supervision hotline printed on every public notice (舟山条例 Art. 22); 12345 is the citizens' service hotline. */
  noticeHotline: string;
  /** POSITION_RETENTION_DAYS: vessel position reports older than this are pruned (default 90 days). */
  positionRetentionDays: number;
  /** FORMATION_BUFFER_M, FORMATION_FRESHNESS_MINUTES: a formation's footprint is the hull of its members' latest reports
   * no older than the freshness window, buffered by this distance (defaults 1852 m, 30 min). */
  formationFootprint: { bufferM: number; freshnessMs: number };
  /** CORS_ORIGINS: `*`, `none`, or comma-separated origins (https://map.example.org); default `*` in demo, none in production. */
  corsOrigins: CorsOrigins;
  /** IMPORT_MAX_UPLOAD_MB, IMPORT_MAX_INFLATED_MB, IMPORT_MAX_ENTRIES, IMPORT_MAX_RATIO: what an import may be
   * (defaults 100 MB uploaded, 512 MB inflated from a zip, 64 zip entries, 200× compression of a zip entry). */
  importLimits: ImportLimits;
}

export interface ImportLimits extends ZipLimits {
  /** bytes an upload may have, as sent */
  uploadBytes: number;
}

const MB = 1024 * 1024;
/** Uploads up to this size are read; larger ones get 413 before a byte is parsed. */
export const DEFAULT_UPLOAD_BYTES = 100 * MB;

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function oneOf<T extends string>(variable: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(variable, `"${value}" is not one of ${allowed.join(', ')}`);
}

function port(variable: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(variable, `"${value}" is not a TCP port (0–65535)`);
  return n;
}

function databaseUrl(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `scheme "${url.protocol}" is not postgres: or postgresql:`);
  }
  return value;
}

function positiveInteger(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(variable, `"${value}" is not a positive whole number`);
  return n;
}

function flag(variable: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new ConfigError(variable, `"${value}" is not a boolean (true/false)`);
}

function corsOrigins(value: string | undefined, mode: Mode): CorsOrigins {
  const setting = value?.trim() || (mode === 'demo' ? '*' : 'none');
  if (setting === '*') return 'any';
  if (setting === 'none') return 'none';
  return setting.split(',').map((entry) => {
    const origin = entry.trim();
    const url = URL.canParse(origin) ? new URL(origin) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin such as https://map.example.org (scheme, host, optional port; no path); or use * or none`);
    }
    return origin;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = oneOf('WANGGE_MODE', env.WANGGE_MODE ?? 'demo', ['demo', 'production'] as const);
  return {
    databaseUrl: databaseUrl(env.DATABASE_URL),
    port: port('PORT', env.PORT ?? '3000'),
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL ?? 'info', LOG_LEVELS),
    ruleSet: oneOf('RULE_SET', env.RULE_SET ?? 'zhoushan', ruleSetNames()),
    codeProfile: oneOf('CODE_PROFILE', env.CODE_PROFILE ?? 'default', Object.keys(codeProfiles)),
    mode,
    seedDemo: flag('SEED_DEMO', env.SEED_DEMO, mode === 'demo'),
    lookupEngine: oneOf('LOOKUP_ENGINE', env.LOOKUP_ENGINE ?? 'memory', ['memory', 'postgis'] as const),
    rateLimit: {
      public: positiveInteger('RATE_LIMIT_PUBLIC', env.RATE_LIMIT_PUBLIC, 1_200),
      perKey: positiveInteger('RATE_LIMIT_PER_KEY', env.RATE_LIMIT_PER_KEY, 1_200_000),
    },
    noticeHotline: env.NOTICE_HOTLINE || '12345',
    positionRetentionDays: positiveInteger('POSITION_RETENTION_DAYS', env.POSITION_RETENTION_DAYS, 90),
    formationFootprint: {
      bufferM: positiveInteger('FORMATION_BUFFER_M', env.FORMATION_BUFFER_M, DEFAULT_FOOTPRINT.bufferM),
      freshnessMs: positiveInteger('FORMATION_FRESHNESS_MINUTES', env.FORMATION_FRESHNESS_MINUTES, DEFAULT_FOOTPRINT.freshnessMs / 60_000) * 60_000,
    },
    corsOrigins: corsOrigins(env.CORS_ORIGINS, mode),
    importLimits: {
      uploadBytes: positiveInteger('IMPORT_MAX_UPLOAD_MB', env.IMPORT_MAX_UPLOAD_MB, DEFAULT_UPLOAD_BYTES / MB) * MB,
      inflatedBytes: positiveInteger('IMPORT_MAX_INFLATED_MB', env.IMPORT_MAX_INFLATED_MB, DEFAULT_ZIP_LIMITS.inflatedBytes / MB) * MB,
      entries: positiveInteger('IMPORT_MAX_ENTRIES', env.IMPORT_MAX_ENTRIES, DEFAULT_ZIP_LIMITS.entries),
      ratio: positiveInteger('IMPORT_MAX_RATIO', env.IMPORT_MAX_RATIO, DEFAULT_ZIP_LIMITS.ratio),
    },
  };
}
