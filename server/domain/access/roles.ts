// Graded access (分级准入授权): roles scoped by division code prefix. Pure, so every route asks the same question
// the same way and the permission table is tested without a server.

export const ROLES = [
  'township_planner',
  'county_reviewer',
  'city_registrar',
  'maritime_authority',
  'api_client',
  'ais_feed',
  'public',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string | null;
  name: string;
  role: Role;
  /** Division code prefix the role acts within: township 9 digits, county 6, city 4; '' for everywhere. */
  scopePrefix: string;
}

export const ANONYMOUS: Principal = { id: null, name: 'anonymous', role: 'public', scopePrefix: '' };

export type Action =
  | 'registry:read'
  | 'lookup'
  | 'notice:read'
  | 'personal:read'
  | 'plan:read'
  | 'plan:edit'
  | 'plan:review'
  | 'plan:file'
  /** change a filed grid's staff roster without refiling: whoever drafts that grid's partition */
  | 'staff:edit'
  | 'audit:read'
  /** register vessels and keep formation and aquaculture rosters */
  | 'vessel:edit'
  /** send position reports (AIS feeds, the maritime authority's own uploads) */
  | 'position:write';

export interface Target {
  /** Division code (12 digits) the resource belongs to: the plan's township, the grid's division. */
  divisionCode?: string;
  /** True for plans or grids at sea (maritime kind). */
  maritime?: boolean;
  /** Principal id that created the resource (nobody approves their own plan). */
  createdBy?: string | null;
}

const inScope = (p: Principal, t: Target) => t.divisionCode === undefined || t.divisionCode.startsWith(p.scopePrefix);

/**
 * Whether `principal` may do `action` on `target`. `openReads` is demo mode: registry reads and lookups need no key.
 */
export function may(principal: Principal, action: Action, target: Target = {}, openReads = false): boolean {
  const { role } = principal;
  if (role === 'admin') return true;
  switch (action) {
    case 'notice:read':
      return true;
    case 'registry:read':
    case 'lookup':
      return openReads || role !== 'public';
    case 'personal:read':
      return ['township_planner', 'county_reviewer', 'city_registrar', 'maritime_authority'].includes(role) && inScope(principal, target);
    case 'plan:read':
      return ['township_planner', 'county_reviewer', 'city_registrar', 'maritime_authority'].includes(role) && inScope(principal, target);
    case 'plan:edit':
      if (role === 'township_planner') return inScope(principal, target) && !target.maritime;
      if (role === 'maritime_authority') return inScope(principal, target) && target.maritime === true;
      return false;
    case 'staff:edit':
      return may(principal, 'plan:edit', target);
    case 'plan:review':
      return role === 'county_reviewer' && inScope(principal, target) && (target.createdBy ?? null) !== principal.id;
    case 'plan:file':
      return role === 'city_registrar' && inScope(principal, target);
    case 'audit:read':
      return ['county_reviewer', 'city_registrar'].includes(role) && inScope(principal, target);
    case 'vessel:edit':
      return role === 'maritime_authority' && inScope(principal, target);
    case 'position:write':
      return role === 'maritime_authority' || role === 'ais_feed';
  }
}
