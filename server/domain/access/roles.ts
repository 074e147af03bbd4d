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
  'city_admin',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * How far each role reaches, low to high: an administrator grants, and manages the users of, roles up to its own rank
 * and never above (a city administrator never makes a global `admin`). The public is nobody's to grant.
 */
export const ROLE_RANK: Record<Role, number> = {
  public: 0,
  api_client: 1,
  ais_feed: 1,
  township_planner: 2,
  county_reviewer: 3,
  maritime_authority: 3,
  city_registrar: 4,
  city_admin: 5,
  admin: 6,
};

/** Roles a user can be given. */
export const GRANTABLE_ROLES = ROLES.filter((role) => role !== 'public');

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
  | 'position:write'
  /** create and disable users, issue, rotate and revoke their keys (target: the user's scope prefix) */
  | 'user:admin';

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
    case 'user:admin':
      return role === 'city_admin' && inScope(principal, target);
  }
}

/** What keeps `actor` from giving (or managing) a user with `role` acting within `scopePrefix`; null when nothing does. */
export function grantRefusal(actor: Principal, role: Role, scopePrefix: string): { field: 'role' | 'scope'; message: string } | null {
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) return { field: 'role', message: `${actor.role} may not grant ${role}, a role above its own` };
  if (!scopePrefix.startsWith(actor.scopePrefix)) {
    return { field: 'scope', message: `${scopePrefix || 'everywhere'} lies outside ${actor.role}'s scope ${actor.scopePrefix}` };
  }
  return null;
}
