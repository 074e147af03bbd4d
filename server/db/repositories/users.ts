// Users and their API keys. Only SHA-256 hashes of keys are stored; a change that takes access away NOTIFYs
// wangge_access in its transaction, so every replica's key cache hears it on commit.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal, Role } from '../../domain/access/roles.ts';
import { ACCESS_CHANNEL } from '../../events/access.ts';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const newKey = () => randomBytes(24).toString('base64url');

export interface User {
  id: string;
  name: string;
  role: Role;
  scopePrefix: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface ApiKey {
  id: string;
  userId: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  usageCount: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

type Row = Record<string, unknown>;
const toUser = (r: Row): User => ({
  id: String(r.id),
  name: r.name as string,
  role: r.role as Role,
  scopePrefix: r.scope_prefix as string,
  createdAt: iso(r.created_at as Date)!,
  disabledAt: iso(r.disabled_at as Date | null),
});
const toKey = (r: Row): ApiKey => ({
  id: String(r.id),
  userId: String(r.user_id),
  label: (r.label as string | null) ?? '',
  createdAt: iso(r.created_at as Date)!,
  expiresAt: iso(r.expires_at as Date | null),
  lastUsedAt: iso(r.last_used_at as Date | null),
  revokedAt: iso(r.revoked_at as Date | null),
  usageCount: Number(r.usage_count),
});

/** Who holds the key with this hash and until when, if the key is in force (not revoked or expired, user enabled). */
export async function findKeyHolder(knex: Knex, keySha256: string): Promise<{ principal: Principal; expiresAt: number | null } | null> {
  const row = await knex('api_keys as k')
    .join('users as u', 'u.id', 'k.user_id')
    .select('u.id', 'u.name', 'u.role', 'u.scope_prefix', 'k.expires_at')
    .where('k.key_sha256', keySha256)
    .whereNull('k.revoked_at')
    .whereNull('u.disabled_at')
    .where((q) => q.whereNull('k.expires_at').orWhere('k.expires_at', '>', knex.fn.now()))
    .first();
  if (!row) return null;
  return {
    principal: { id: String(row.id), name: row.name, role: row.role as Role, scopePrefix: row.scope_prefix },
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
  };
}

/** Adds each key's counted requests to its usage count and moves its last-used time forward. */
export async function recordKeyUsage(knex: Knex, increments: Map<string, { count: number; lastUsedAt: Date }>): Promise<void> {
  for (const [keySha256, { count, lastUsedAt }] of increments) {
    await knex('api_keys')
      .where({ key_sha256: keySha256 })
      .update({
        usage_count: knex.raw('usage_count + ?', [count]),
        last_used_at: knex.raw('greatest(last_used_at, ?::timestamptz)', [lastUsedAt.toISOString()]),
      });
  }
}

/** A key's stored usage count and when it was issued. */
export async function keyUsage(knex: Knex, keySha256: string): Promise<{ usageCount: number; createdAt: string } | null> {
  const row = await knex('api_keys').select('usage_count', 'created_at').where({ key_sha256: keySha256 }).first();
  return row ? { usageCount: Number(row.usage_count), createdAt: new Date(row.created_at).toISOString() } : null;
}

/** The demo's and the tests' shortcut: the user (created if new, by name) with `key` as one of its keys. */
export async function createUserWithKey(
  knex: Knex,
  user: { name: string; role: Role; scopePrefix: string },
  key = newKey(),
): Promise<{ id: string; key: string }> {
  const existing = await knex('users').where({ name: user.name }).first();
  const id = existing
    ? existing.id
    : (await knex('users').insert({ name: user.name, role: user.role, scope_prefix: user.scopePrefix }).returning('id'))[0].id;
  await knex('api_keys').insert({ user_id: id, key_sha256: hashKey(key), label: 'created by wangge' }).onConflict('key_sha256').ignore();
  return { id: String(id), key };
}

/** Tells every replica, when `trx` commits, that the user's keys must be looked up again. */
export async function notifyAccessChanged(trx: Knex, userId: string): Promise<void> {
  await trx.raw(`SELECT pg_notify('${ACCESS_CHANNEL}', ?)`, [JSON.stringify({ userId })]);
}

/** A new user; null when the name is taken. */
export async function insertUser(trx: Knex, user: { name: string; role: Role; scopePrefix: string }): Promise<User | null> {
  const [row] = await trx('users')
    .insert({ name: user.name, role: user.role, scope_prefix: user.scopePrefix })
    .onConflict('name')
    .ignore()
    .returning('*');
  return row ? toUser(row) : null;
}

export async function findUser(knex: Knex, id: string): Promise<User | null> {
  const row = await knex('users').where({ id }).first();
  return row ? toUser(row) : null;
}

export async function findUserByName(knex: Knex, name: string): Promise<User | null> {
  const row = await knex('users').where({ name }).first();
  return row ? toUser(row) : null;
}

/** Users acting within `scopePrefix` (their scope starts with it), optionally of one role, enabled ones only if asked. */
export async function listUsers(knex: Knex, filter: { scopePrefix: string; role?: Role; enabledOnly?: boolean }): Promise<User[]> {
  const rows = await knex('users')
    .where('scope_prefix', 'like', `${filter.scopePrefix}%`)
    .modify((q) => {
      if (filter.role) q.where('role', filter.role);
      if (filter.enabledOnly) q.whereNull('disabled_at');
    })
    .orderBy('id');
  return rows.map(toUser);
}

/** Disables a user (its keys are refused from then on); the user as it is now. */
export async function disableUser(trx: Knex, id: string): Promise<User> {
  const [row] = await trx('users').where({ id }).update({ disabled_at: trx.raw('coalesce(disabled_at, now())') }).returning('*');
  await notifyAccessChanged(trx, id);
  return toUser(row);
}

/** A new key for the user; the key itself is returned this once. */
export async function insertKey(trx: Knex, key: { userId: string; label: string; expiresAt: string | null }): Promise<ApiKey & { key: string }> {
  const secret = newKey();
  const [row] = await trx('api_keys')
    .insert({ user_id: key.userId, key_sha256: hashKey(secret), label: key.label, expires_at: key.expiresAt })
    .returning('*');
  return { ...toKey(row), key: secret };
}

export async function findKey(knex: Knex, id: string): Promise<ApiKey | null> {
  const row = await knex('api_keys').where({ id }).first();
  return row ? toKey(row) : null;
}

/** Keys of users acting within `scopePrefix`, or of one user. */
export async function listKeys(knex: Knex, filter: { scopePrefix: string; userId?: string }): Promise<ApiKey[]> {
  const rows = await knex('api_keys as k')
    .join('users as u', 'u.id', 'k.user_id')
    .select('k.*')
    .where('u.scope_prefix', 'like', `${filter.scopePrefix}%`)
    .modify((q) => {
      if (filter.userId) q.where('k.user_id', filter.userId);
    })
    .orderBy('k.id');
  return rows.map(toKey);
}

/** Revokes a key (a no-op when it already was); the key as it is now. */
export async function revokeKey(trx: Knex, id: string): Promise<ApiKey> {
  const [row] = await trx('api_keys').where({ id }).update({ revoked_at: trx.raw('coalesce(revoked_at, now())') }).returning('*');
  await notifyAccessChanged(trx, String(row.user_id));
  return toKey(row);
}

/** Revokes one key by its hash; the key, or null when no key in force has that hash. */
export async function revokeKeyByHash(trx: Knex, keySha256: string): Promise<ApiKey | null> {
  const [row] = await trx('api_keys').where({ key_sha256: keySha256 }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() }).returning('*');
  if (!row) return null;
  await notifyAccessChanged(trx, String(row.user_id));
  return toKey(row);
}

/** Administration entries about a user and its keys, oldest first. */
export async function userAuditTrail(knex: Knex, userId: string) {
  const keyIds = knex('api_keys').select(knex.raw('id::text')).where({ user_id: userId });
  const rows = await knex('audit_log')
    .where((q) => q.where({ entity: 'user', entity_id: userId }).orWhere((k) => k.where({ entity: 'api_key' }).whereIn('entity_id', keyIds)))
    .orderBy('id');
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), actor: r.actor as string, action: r.action as string, entity: r.entity as string, entityId: r.entity_id as string, after: r.after }));
}
