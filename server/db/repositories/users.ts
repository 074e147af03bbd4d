// Users and their API keys. Only SHA-256 hashes of keys are stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal, Role } from '../../domain/access/roles.ts';
import { ACCESS_CHANNEL } from '../../events/access.ts';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Who holds the key with this hash, if the key is in force. */
export async function findKeyHolder(knex: Knex, keySha256: string): Promise<Principal | null> {
  const row = await knex('api_keys as k')
    .join('users as u', 'u.id', 'k.user_id')
    .select('u.id', 'u.name', 'u.role', 'u.scope_prefix')
    .where('k.key_sha256', keySha256)
    .whereNull('k.revoked_at')
    .first();
  if (!row) return null;
  return { id: String(row.id), name: row.name, role: row.role as Role, scopePrefix: row.scope_prefix };
}

/** Tells every replica, when `trx` commits, that the user's keys must be looked up again. */
export async function notifyAccessChanged(trx: Knex, userId: string): Promise<void> {
  await trx.raw(`SELECT pg_notify('${ACCESS_CHANNEL}', ?)`, [JSON.stringify({ userId })]);
}

/** Revokes one key (by its hash); the id of its user, or null when no key in force has that hash. */
export async function revokeKeyByHash(trx: Knex, keySha256: string): Promise<{ keyId: string; userId: string } | null> {
  const [row] = await trx('api_keys').where({ key_sha256: keySha256 }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() }).returning(['id', 'user_id']);
  if (!row) return null;
  await notifyAccessChanged(trx, String(row.user_id));
  return { keyId: String(row.id), userId: String(row.user_id) };
}

/** Adds `increments` (key hash → requests) to the keys' usage counts in one statement per key. */
export async function recordKeyUsage(knex: Knex, increments: Map<string, number>): Promise<void> {
  for (const [keySha256, n] of increments) await knex('api_keys').where({ key_sha256: keySha256 }).increment('usage_count', n);
}

/** A key's stored usage count and when it was issued. */
export async function keyUsage(knex: Knex, keySha256: string): Promise<{ usageCount: number; createdAt: string } | null> {
  const row = await knex('api_keys').select('usage_count', 'created_at').where({ key_sha256: keySha256 }).first();
  return row ? { usageCount: Number(row.usage_count), createdAt: new Date(row.created_at).toISOString() } : null;
}

export async function createUserWithKey(
  knex: Knex,
  user: { name: string; role: Role; scopePrefix: string },
  key = randomBytes(24).toString('base64url'),
): Promise<{ id: string; key: string }> {
  const existing = await knex('users').where({ name: user.name }).first();
  const id = existing
    ? existing.id
    : (await knex('users').insert({ name: user.name, role: user.role, scope_prefix: user.scopePrefix }).returning('id'))[0].id;
  await knex('api_keys').insert({ user_id: id, key_sha256: hashKey(key), label: 'created by wangge' }).onConflict('key_sha256').ignore();
  return { id: String(id), key };
}
