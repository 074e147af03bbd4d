// The plan life cycle the regulations prescribe: the township divides, the county approves, the city files (备案).

export const PLAN_TRIGGERS = ['initial', 'scale_change', 'demolition_relocation', 'population_movement', 'other'] as const;
export type PlanTrigger = (typeof PLAN_TRIGGERS)[number];

export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned', 'filed', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_TRANSITIONS = ['submit', 'approve', 'return', 'file'] as const;
export type PlanTransition = (typeof PLAN_TRANSITIONS)[number];

// A returned plan goes back to the planner, who may edit and submit it again.
const NEXT: Record<PlanStatus, Partial<Record<PlanTransition, PlanStatus>>> = {
  draft: { submit: 'submitted' },
  returned: { submit: 'submitted' },
  submitted: { approve: 'approved', return: 'returned' },
  approved: { file: 'filed' },
  filed: {},
  superseded: {},
};

export function allowedTransitions(status: PlanStatus): PlanTransition[] {
  return Object.keys(NEXT[status]) as PlanTransition[];
}

/** The status after `transition`, or null when the transition is not allowed from `status`. */
export function nextStatus(status: PlanStatus, transition: PlanTransition): PlanStatus | null {
  return NEXT[status][transition] ?? null;
}

/** Only drafts and returned plans can be edited; everything later is frozen. */
export function isEditable(status: PlanStatus): boolean {
  return status === 'draft' || status === 'returned';
}
