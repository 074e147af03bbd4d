// The plans a role can open, as the plan panel lists them: those waiting for this role's step first, newest first.
import { mayTake } from '../api/auth.ts';
import type { PlanTransition, PlanView } from '../api/client.ts';

export interface PlanRow {
  id: string;
  townshipCode: string;
  status: PlanView['status'];
  version: number;
  updatedAt: string;
  /** The role can take a workflow step on it now (submit, approve, return or file). */
  awaitsRole: boolean;
}

/**
 * Plans of one township (all visible plans when none is chosen), those awaiting the role's step first, then by last change.
 * @example planListing(plans, 'demo-reviewer', null)[0].status // 'submitted'
 */
export function planListing(plans: PlanView[], key: string | null, township: string | null): PlanRow[] {
  return plans
    .filter((p) => !township || p.townshipCode === township)
    .map((p) => ({
      id: p.id,
      townshipCode: p.townshipCode,
      status: p.status,
      version: p.version,
      updatedAt: p.updatedAt,
      awaitsRole: (p.allowedTransitions as PlanTransition[]).some((step) => mayTake(key, step)),
    }))
    .sort((a, b) => Number(b.awaitsRole) - Number(a.awaitsRole) || Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || Number(b.id) - Number(a.id));
}
