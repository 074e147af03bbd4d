// Which demo key the editor sends as `Authorization: Bearer`; remembered in localStorage so a reload keeps the role.
import type { PlanTransition } from '../../../server/domain/plans/status.ts';

const STORAGE_KEY = 'wangge.apiKey';

export type DemoRole = 'township_planner' | 'county_reviewer' | 'city_registrar' | 'maritime_authority' | 'api_client';

/** The demo keys the seeded service knows (server/domain/access/demoUsers.ts) and the role each acts in. */
export const DEMO_KEYS: Record<string, DemoRole> = {
  'demo-planner': 'township_planner',
  'demo-reviewer': 'county_reviewer',
  'demo-registrar': 'city_registrar',
  'demo-maritime': 'maritime_authority',
  'demo-client': 'api_client',
};

/** Who may take each step; the server decides in the end, this only hides buttons that would be refused. */
const TRANSITION_ROLES: Record<PlanTransition, DemoRole[]> = {
  submit: ['township_planner', 'maritime_authority'],
  approve: ['county_reviewer'],
  return: ['county_reviewer'],
  file: ['city_registrar'],
};

export function apiKey(): string | null {
  return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
}

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(STORAGE_KEY, key);
  else localStorage.removeItem(STORAGE_KEY);
}

export function mayTake(key: string | null, transition: PlanTransition): boolean {
  const role = key ? DEMO_KEYS[key] : undefined;
  return role !== undefined && TRANSITION_ROLES[transition].includes(role);
}

/**
 * MapLibre's `transformRequest`: the product's own tiles and OGC documents go with the key, since production mode
 * answers them to keys only. Other origins (an external basemap) never see it.
 * @example new maplibregl.Map({ …, transformRequest: (url) => keyedRequest(url, apiKey(), location.origin) })
 */
export function keyedRequest(url: string, key: string | null, pageOrigin: string): { url: string; headers?: Record<string, string> } {
  if (!key) return { url };
  const target = new URL(url, pageOrigin);
  const own = target.origin === pageOrigin && /^\/(tiles|ogc)(\/|\.|$)/.test(target.pathname);
  return own ? { url, headers: { authorization: `Bearer ${key}` } } : { url };
}

export const mayEdit = (key: string | null): boolean => mayTake(key, 'submit');

/** The plans a key drafts: the township planner the land, the maritime authority the sea (each its own scope). */
export function draftingScope(key: string | null): 'land' | 'maritime' | null {
  const role = key ? DEMO_KEYS[key] : undefined;
  return role === 'township_planner' ? 'land' : role === 'maritime_authority' ? 'maritime' : null;
}

export const mayEditPlan = (key: string | null, scope: 'land' | 'maritime'): boolean => draftingScope(key) === scope;

/** The maritime authority watches vessels and their alerts; the panel is its own. */
export const watchesSea = (key: string | null): boolean => (key ? DEMO_KEYS[key] === 'maritime_authority' : false);
