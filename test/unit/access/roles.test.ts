// The permission table: every role against every action, inside and outside its scope.
import { describe, expect, it } from 'vitest';
import { ROLE_RANK, grantRefusal, may, type Action, type Principal, type Role } from '../../../server/domain/access/roles.ts';

const SHENJIAMEN = '330903001001'; // a village of 沈家门街道, 普陀区
const DINGHAI_VILLAGE = '330902002001'; // a village of 昌国街道, 定海区

const principal = (role: Role, scopePrefix: string, id: string = role): Principal => ({ id, name: role, role, scopePrefix });
const planner = principal('township_planner', '330903001');
const reviewer = principal('county_reviewer', '330903');
const registrar = principal('city_registrar', '3309');
const maritime = principal('maritime_authority', '3309');
const client = principal('api_client', '');
const aisFeed = principal('ais_feed', '');
const ningboMaritime = principal('maritime_authority', '3302');
const anonymous = principal('public', '', 'anon');

type Row = [Principal, Action, { divisionCode?: string; maritime?: boolean; createdBy?: string }, boolean];
const TABLE: Row[] = [
  [planner, 'plan:edit', { divisionCode: SHENJIAMEN }, true],
  [planner, 'plan:edit', { divisionCode: DINGHAI_VILLAGE }, false],
  [planner, 'plan:edit', { divisionCode: SHENJIAMEN, maritime: true }, false],
  [planner, 'plan:read', { divisionCode: DINGHAI_VILLAGE }, false],
  [planner, 'plan:review', { divisionCode: SHENJIAMEN }, false],
  [planner, 'plan:file', { divisionCode: SHENJIAMEN }, false],
  [reviewer, 'plan:review', { divisionCode: SHENJIAMEN, createdBy: 'township_planner' }, true],
  [reviewer, 'plan:review', { divisionCode: SHENJIAMEN, createdBy: 'county_reviewer' }, false],
  [reviewer, 'plan:review', { divisionCode: DINGHAI_VILLAGE, createdBy: 'x' }, false],
  [reviewer, 'plan:edit', { divisionCode: SHENJIAMEN }, false],
  [reviewer, 'plan:read', { divisionCode: SHENJIAMEN }, true],
  [registrar, 'plan:file', { divisionCode: DINGHAI_VILLAGE }, true],
  [registrar, 'plan:file', { divisionCode: '330201001001' }, false],
  [registrar, 'plan:review', { divisionCode: SHENJIAMEN }, false],
  [maritime, 'plan:edit', { divisionCode: SHENJIAMEN, maritime: true }, true],
  [maritime, 'plan:edit', { divisionCode: SHENJIAMEN, maritime: false }, false],
  // Staff rosters: whoever drafts the grid's partition, land or sea; not the county or city above.
  [planner, 'staff:edit', { divisionCode: SHENJIAMEN }, true],
  [planner, 'staff:edit', { divisionCode: DINGHAI_VILLAGE }, false],
  [planner, 'staff:edit', { divisionCode: SHENJIAMEN, maritime: true }, false],
  [maritime, 'staff:edit', { divisionCode: SHENJIAMEN, maritime: true }, true],
  [reviewer, 'staff:edit', { divisionCode: SHENJIAMEN }, false],
  [registrar, 'staff:edit', { divisionCode: SHENJIAMEN }, false],
  [client, 'staff:edit', { divisionCode: SHENJIAMEN }, false],
  [client, 'lookup', {}, true],
  [client, 'registry:read', {}, true],
  [client, 'plan:read', { divisionCode: SHENJIAMEN }, false],
  [client, 'personal:read', { divisionCode: SHENJIAMEN }, false],
  [anonymous, 'notice:read', {}, true],
  [anonymous, 'lookup', {}, false],
  [anonymous, 'registry:read', {}, false],
  [anonymous, 'personal:read', {}, false],
  [planner, 'personal:read', { divisionCode: SHENJIAMEN }, true],
  [planner, 'personal:read', { divisionCode: DINGHAI_VILLAGE }, false],
  // Vessel rosters: the maritime authority within its city; position reports: the authority and AIS feeds.
  [maritime, 'vessel:edit', {}, true],
  [maritime, 'vessel:edit', { divisionCode: SHENJIAMEN }, true],
  [ningboMaritime, 'vessel:edit', { divisionCode: SHENJIAMEN }, false],
  [planner, 'vessel:edit', {}, false],
  [client, 'vessel:edit', {}, false],
  [aisFeed, 'vessel:edit', {}, false],
  [maritime, 'position:write', {}, true],
  [aisFeed, 'position:write', {}, true],
  [client, 'position:write', {}, false],
  [planner, 'position:write', {}, false],
  [registrar, 'position:write', {}, false],
  [anonymous, 'position:write', {}, false],
  [aisFeed, 'lookup', {}, true],
  [aisFeed, 'registry:read', {}, true],
  [aisFeed, 'personal:read', {}, false],
  [aisFeed, 'plan:edit', { divisionCode: SHENJIAMEN, maritime: true }, false],
  [aisFeed, 'plan:read', { divisionCode: SHENJIAMEN }, false],
];

describe('may', () => {
  it.each(TABLE)('%o %s %o → %s', (who, action, target, expected) => {
    expect(may(who, action, target)).toBe(expected);
  });

  it('opens registry reads and lookups to the public in demo mode only', () => {
    expect(may(anonymous, 'lookup', {}, true)).toBe(true);
    expect(may(anonymous, 'registry:read', {}, true)).toBe(true);
    expect(may(anonymous, 'plan:read', { divisionCode: SHENJIAMEN }, true)).toBe(false);
  });
});

describe('grantRefusal', () => {
  const cityAdmin = principal('city_admin', '3309');
  const countyAdmin = principal('city_admin', '330903');

  it('lets an administrator grant roles up to its own rank, inside its scope', () => {
    for (const role of ['township_planner', 'county_reviewer', 'city_registrar', 'maritime_authority', 'api_client', 'ais_feed', 'city_admin'] as const) {
      expect(grantRefusal(cityAdmin, role, '330903001')).toBeNull();
    }
    expect(grantRefusal(countyAdmin, 'township_planner', '330903001')).toBeNull();
  });

  it('names the role when it lies above the administrator\'s own', () => {
    expect(grantRefusal(cityAdmin, 'admin', '3309')).toMatchObject({ field: 'role' });
    expect(grantRefusal(registrar, 'city_admin', '3309')).toMatchObject({ field: 'role' });
    expect(ROLE_RANK.city_admin).toBeGreaterThan(ROLE_RANK.city_registrar);
  });

  it('names the scope when it lies outside the administrator\'s', () => {
    expect(grantRefusal(cityAdmin, 'township_planner', '330203001')).toMatchObject({ field: 'scope' });
    expect(grantRefusal(countyAdmin, 'township_planner', '330902002')).toMatchObject({ field: 'scope' });
    expect(grantRefusal(cityAdmin, 'api_client', '')).toMatchObject({ field: 'scope' });
  });

  it('lets a city administrator administer users only in its city', () => {
    expect(may(cityAdmin, 'user:admin', { divisionCode: '330903001' })).toBe(true);
    expect(may(cityAdmin, 'user:admin', { divisionCode: '3302' })).toBe(false);
    expect(may(registrar, 'user:admin', { divisionCode: '330903001' })).toBe(false);
  });
});
