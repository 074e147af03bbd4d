// Administration use cases: the first city administrator, users and their API keys. Each is one transaction with its
// audit entry. A change that takes access away NOTIFYs wangge_access in that transaction (every replica's keyring
// hears it on commit) and is announced in-process at once, for this instance.
import type { Knex } from 'knex';
import { ROLE_RANK, grantRefusal, may, type Principal, type Role } from '../domain/access/roles.ts';
import { divisionPrefix, levelOfCode } from '../domain/divisions/codes.ts';
import { audit } from '../db/repositories/audit.ts';
import {
  disableUser as storeDisabledUser,
  findKey,
  findUser,
  insertKey,
  insertUser,
  listKeys as storedKeys,
  listUsers as storedUsers,
  revokeKey as storeRevokedKey,
  revokeKeyByHash,
  userAuditTrail,
  type ApiKey,
  type User,
} from '../db/repositories/users.ts';
import { announceAccessChanged } from '../events/access.ts';

/** A refusal worded for the caller: `parameter` names the field at fault (rendered as problem+json by the HTTP layer). */
export class AdministrationError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

const forbidden = (message: string, parameter?: string) => new AdministrationError(403, 'forbidden', message, parameter);

/** The scope prefix of a 12-digit division code: `330900000000` → `3309`, `330903001000` → `330903001`. */
export const scopeOf = (divisionCode: string) => divisionPrefix(divisionCode, levelOfCode(divisionCode));

/** The user, if `actor` may administer it: inside its scope, not above its rank. */
async function managedUser(knex: Knex, actor: Principal, userId: string, parameter: string): Promise<User> {
  const user = await findUser(knex, userId);
  if (!user) throw new AdministrationError(404, 'not-found', `user ${userId} does not exist`, parameter);
  if (!may(actor, 'user:admin', { divisionCode: user.scopePrefix })) {
    throw forbidden(`user ${userId} acts in ${user.scopePrefix || 'everywhere'}, outside ${actor.role}'s scope ${actor.scopePrefix}`, parameter);
  }
  if (ROLE_RANK[user.role] > ROLE_RANK[actor.role]) throw forbidden(`${actor.role} may not administer a ${user.role}`, parameter);
  return user;
}

async function managedKey(knex: Knex, actor: Principal, keyId: string): Promise<{ key: ApiKey; user: User }> {
  const key = await findKey(knex, keyId);
  if (!key) throw new AdministrationError(404, 'not-found', `key ${keyId} does not exist`, 'id');
  return { key, user: await managedUser(knex, actor, key.userId, 'id') };
}

/** An expiry in the future, as the store keeps it. */
function expiry(expiresAt: string | undefined): string | null {
  if (expiresAt === undefined) return null;
  const at = new Date(expiresAt);
  if (!(at.getTime() > Date.now())) throw new AdministrationError(400, 'invalid-parameter', `expiresAt ${expiresAt} is not in the future`, '/expiresAt');
  return at.toISOString();
}

export interface ExistingAdministrators {
  scopePrefix: string;
  administrators: User[];
}

/**
 * `npm run admin -- init`: the first administrator of a city and its key. Refuses (409, listing them) when the city
 * already has an enabled administrator, unless forced.
 */
export async function initCityAdministrator(
  knex: Knex,
  operator: Principal,
  request: { cityCode: string; name: string; force: boolean },
): Promise<{ user: User; key: ApiKey & { key: string } }> {
  const scopePrefix = scopeOf(request.cityCode);
  return knex.transaction(async (trx) => {
    const existing = await storedUsers(trx, { scopePrefix, role: 'city_admin', enabledOnly: true });
    const sameScope = existing.filter((u) => u.scopePrefix === scopePrefix);
    if (sameScope.length > 0 && !request.force) {
      const names = sameScope.map((u) => `${u.name} (user ${u.id}, since ${u.createdAt})`).join('; ');
      throw new AdministrationError(409, 'administrator-exists', `city ${scopePrefix} already has an administrator: ${names}; pass --force to add another`, 'city');
    }
    const user = await insertUser(trx, { name: request.name, role: 'city_admin', scopePrefix });
    if (!user) throw new AdministrationError(409, 'name-taken', `a user named ${request.name} exists; choose another --name`, 'name');
    const key = await insertKey(trx, { userId: user.id, label: 'first administrator key (init)', expiresAt: null });
    await audit(trx, { actor: operator.name, action: 'admin.init', entity: 'user', entityId: user.id, after: { role: user.role, scopePrefix, forced: request.force } });
    await audit(trx, { actor: operator.name, action: 'key.issue', entity: 'api_key', entityId: key.id, after: { userId: user.id, label: key.label } });
    return { user, key };
  });
}

export async function createUser(knex: Knex, actor: Principal, request: { name: string; role: Role; scopePrefix: string }): Promise<User> {
  const refusal = grantRefusal(actor, request.role, request.scopePrefix);
  if (refusal) throw forbidden(refusal.message, refusal.field === 'role' ? '/role' : '/divisionCode');
  return knex.transaction(async (trx) => {
    const user = await insertUser(trx, request);
    if (!user) throw new AdministrationError(409, 'name-taken', `a user named ${request.name} exists`, '/name');
    await audit(trx, { actor: actor.name, action: 'user.create', entity: 'user', entityId: user.id, after: { name: user.name, role: user.role, scopePrefix: user.scopePrefix } });
    return user;
  });
}

export const listUsers = (knex: Knex, actor: Principal, role?: Role) => storedUsers(knex, { scopePrefix: actor.scopePrefix, role });

export async function disableUser(knex: Knex, actor: Principal, userId: string): Promise<User> {
  await managedUser(knex, actor, userId, 'id');
  const user = await knex.transaction(async (trx) => {
    const disabled = await storeDisabledUser(trx, userId);
    await audit(trx, { actor: actor.name, action: 'user.disable', entity: 'user', entityId: userId, after: { disabledAt: disabled.disabledAt } });
    return disabled;
  });
  announceAccessChanged({ userId });
  return user;
}

export async function issueKey(knex: Knex, actor: Principal, request: { userId: string; label: string; expiresAt?: string }) {
  const user = await managedUser(knex, actor, request.userId, '/userId');
  if (user.disabledAt) throw new AdministrationError(409, 'user-disabled', `user ${user.id} is disabled since ${user.disabledAt}`, '/userId');
  const expiresAt = expiry(request.expiresAt);
  return knex.transaction(async (trx) => {
    const key = await insertKey(trx, { userId: user.id, label: request.label, expiresAt });
    await audit(trx, { actor: actor.name, action: 'key.issue', entity: 'api_key', entityId: key.id, after: { userId: user.id, label: key.label, expiresAt } });
    return key;
  });
}

/** A new key in place of `keyId` (same user and label), the old one revoked in the same transaction. */
export async function rotateKey(knex: Knex, actor: Principal, keyId: string, request: { expiresAt?: string }) {
  const { key: old, user } = await managedKey(knex, actor, keyId);
  if (old.revokedAt) throw new AdministrationError(409, 'key-revoked', `key ${keyId} was revoked at ${old.revokedAt}; issue a new one`, 'id');
  if (user.disabledAt) throw new AdministrationError(409, 'user-disabled', `user ${user.id} is disabled since ${user.disabledAt}`, 'id');
  const expiresAt = expiry(request.expiresAt);
  const key = await knex.transaction(async (trx) => {
    await storeRevokedKey(trx, keyId);
    const fresh = await insertKey(trx, { userId: user.id, label: old.label, expiresAt });
    await audit(trx, { actor: actor.name, action: 'key.rotate', entity: 'api_key', entityId: keyId, after: { replacedBy: fresh.id } });
    await audit(trx, { actor: actor.name, action: 'key.issue', entity: 'api_key', entityId: fresh.id, after: { userId: user.id, label: fresh.label, expiresAt, replaces: keyId } });
    return fresh;
  });
  announceAccessChanged({ userId: user.id });
  return key;
}

export async function revokeKey(knex: Knex, actor: Principal, keyId: string): Promise<ApiKey> {
  await managedKey(knex, actor, keyId);
  const key = await knex.transaction(async (trx) => {
    const revoked = await storeRevokedKey(trx, keyId);
    await audit(trx, { actor: actor.name, action: 'key.revoke', entity: 'api_key', entityId: keyId, after: { revokedAt: revoked.revokedAt } });
    return revoked;
  });
  announceAccessChanged({ userId: key.userId });
  return key;
}

export async function listKeys(knex: Knex, actor: Principal, userId?: string): Promise<ApiKey[]> {
  if (userId !== undefined) await managedUser(knex, actor, userId, 'userId');
  return storedKeys(knex, { scopePrefix: actor.scopePrefix, userId });
}

export async function auditOfUser(knex: Knex, actor: Principal, userId: string) {
  await managedUser(knex, actor, userId, 'id');
  return userAuditTrail(knex, userId);
}

/** The caller revokes the key it sent (a key that leaked); false when it was already revoked. */
export async function revokeOwnKey(knex: Knex, principal: Principal, keySha256: string): Promise<boolean> {
  const revoked = await knex.transaction(async (trx) => {
    const key = await revokeKeyByHash(trx, keySha256);
    if (key) await audit(trx, { actor: principal.name, action: 'key.revoke', entity: 'api_key', entityId: key.id, after: { by: 'holder' } });
    return key;
  });
  if (revoked) announceAccessChanged({ userId: revoked.userId });
  return revoked !== null;
}
