// In-process notice that a user's access changed (a key revoked or rotated, the user disabled or rescoped): the key
// cache drops that user's keys. Replicas hear the same through PostgreSQL NOTIFY wangge_access, sent in the
// transaction that made the change (db/repositories/users.ts) and heard in workflow/keyring.ts.
import { inProcessEvent } from './inProcess.ts';

export interface AccessChanged {
  userId: string;
}

export const ACCESS_CHANNEL = 'wangge_access';

const accessChanged = inProcessEvent<AccessChanged>();

export const onAccessChanged = accessChanged.on;
export const announceAccessChanged = accessChanged.announce;
