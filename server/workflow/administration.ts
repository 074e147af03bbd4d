// Administration use cases: users and their API keys. Each is one transaction with its audit entry; a change that
// takes access away is announced to this instance's keyring at once and to other replicas by NOTIFY on commit.
import type { Knex } from 'knex';
import type { Principal } from '../domain/access/roles.ts';
import { audit } from '../db/repositories/audit.ts';
import { revokeKeyByHash } from '../db/repositories/users.ts';
import { announceAccessChanged } from '../events/access.ts';

/** The caller revokes the key it sent (a key that leaked); false when it was already revoked. */
export async function revokeOwnKey(knex: Knex, principal: Principal, keySha256: string): Promise<boolean> {
  const revoked = await knex.transaction(async (trx) => {
    const key = await revokeKeyByHash(trx, keySha256);
    if (key) await audit(trx, { actor: principal.name, action: 'key.revoke', entity: 'api_key', entityId: key.keyId, after: { by: 'holder' } });
    return key;
  });
  if (revoked) announceAccessChanged({ userId: revoked.userId });
  return revoked !== null;
}
