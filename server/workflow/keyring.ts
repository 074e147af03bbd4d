// Resolves API keys to principals with a bounded cache in front of the database. Unknown keys are never cached, so
// random bearer tokens cannot grow it; a key that is revoked (or whose user is disabled) leaves the cache of every
// replica within a second: the change is announced in-process and, on PostgreSQL, through NOTIFY wangge_access.
// While the LISTEN connection is down nothing is cached, since a revocation could go unheard.
// Usage counts are batched, so a request does not cost a write.
import { LRUCache } from 'lru-cache';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { Backend } from '../db/database.ts';
import type { Principal } from '../domain/access/roles.ts';
import { findKeyHolder, hashKey, recordKeyUsage } from '../db/repositories/users.ts';
import { ACCESS_CHANNEL, onAccessChanged } from '../events/access.ts';
import { listenToChannels, type ChannelListener } from '../events/listen.ts';

const CACHE_ENTRIES = 10_000;
/** A backstop only: revocations are heard at once; this bounds how long a change made behind the service's back lasts. */
const CACHE_TTL_MS = 60_000;
const USAGE_FLUSH_MS = 5_000;

export interface KeyHolder {
  keySha256: string;
  principal: Principal;
  /** ms since the epoch when the key stops working; null for never */
  expiresAt: number | null;
}

export interface KeyringOptions {
  knex: Knex;
  backend: Backend;
  connectionString: string;
  log?: FastifyBaseLogger;
  /** Most keys held in the cache (default 10,000). */
  capacity?: number;
}

export class Keyring {
  private readonly cache: LRUCache<string, KeyHolder>;
  private readonly usage = new Map<string, { count: number; lastUsedAt: Date }>();
  /** Bumped by every eviction, so a lookup that raced a revocation does not put the revoked key back. */
  private evictions = 0;
  private caching: boolean;
  private listener: ChannelListener | null = null;
  private unsubscribe: (() => void) | null = null;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: KeyringOptions) {
    this.cache = new LRUCache({ max: options.capacity ?? CACHE_ENTRIES, ttl: CACHE_TTL_MS });
    // Until LISTEN is up on PostgreSQL another replica's revocation would go unheard.
    this.caching = options.backend === 'embedded';
  }

  async start(): Promise<void> {
    this.unsubscribe = onAccessChanged(({ userId }) => this.evictUser(userId));
    if (this.options.backend === 'postgresql') {
      this.listener = await listenToChannels({
        connectionString: this.options.connectionString,
        channels: [ACCESS_CHANNEL],
        onNotification: (_channel, payload) => this.heard(payload),
        onConnected: () => {
          this.caching = true;
        },
        onDisconnected: () => {
          this.caching = false;
          this.evictAll();
        },
        log: this.options.log,
      });
    }
    this.flushTimer = setInterval(() => void this.flush().catch((err: unknown) => this.options.log?.warn({ err }, 'usage count flush failed')), USAGE_FLUSH_MS);
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.unsubscribe?.();
    await this.listener?.stop();
    await this.flush();
  }

  /** The holder of `key`, or null for an unknown, revoked or expired key. */
  async resolve(key: string): Promise<KeyHolder | null> {
    const keySha256 = hashKey(key);
    const holder = this.cache.get(keySha256) ?? (await this.lookUp(keySha256));
    if (holder && holder.expiresAt !== null && holder.expiresAt <= Date.now()) {
      this.cache.delete(keySha256);
      return null;
    }
    return holder;
  }

  private async lookUp(keySha256: string): Promise<KeyHolder | null> {
    const evictions = this.evictions;
    const found = await findKeyHolder(this.options.knex, keySha256);
    if (!found) return null;
    const holder = { keySha256, ...found };
    if (this.caching && evictions === this.evictions) this.cache.set(keySha256, holder);
    return holder;
  }

  /** Counts one request made with the key, now; written to the database in batches. */
  countUse(keySha256: string): void {
    const counted = this.usage.get(keySha256);
    this.usage.set(keySha256, { count: (counted?.count ?? 0) + 1, lastUsedAt: new Date() });
  }

  /** Requests counted for a key since the last flush to the database. */
  pendingUsage(keySha256: string): number {
    return this.usage.get(keySha256)?.count ?? 0;
  }

  /** Keys held in the cache now. */
  get size(): number {
    return this.cache.size;
  }

  private heard(payload: string | undefined): void {
    try {
      const { userId } = JSON.parse(payload ?? '') as { userId?: unknown };
      if (typeof userId === 'string') return this.evictUser(userId);
    } catch {
      // fall through: an unreadable notice drops everything
    }
    this.evictAll();
  }

  private evictUser(userId: string): void {
    this.evictions++;
    for (const [keySha256, holder] of this.cache.entries()) if (holder.principal.id === userId) this.cache.delete(keySha256);
  }

  private evictAll(): void {
    this.evictions++;
    this.cache.clear();
  }

  /** Writes the counted requests (and last-used times) to the database. */
  async flush(): Promise<void> {
    if (this.usage.size === 0) return;
    const batch = new Map(this.usage);
    this.usage.clear();
    await recordKeyUsage(this.options.knex, batch);
  }
}
