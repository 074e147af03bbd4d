// Every rule id the engine can report, its built-in severity and what it means. docs/rules.md lists the same ids
// (a unit test keeps them in step). `stage` = warning while drafting, error when filing.
import type { Severity } from '../../schemas/resources.ts';

export type CatalogSeverity = Severity | 'stage';

export const RULES = {
  'properties.invalid': { severity: 'error', en: 'a grid property has the wrong type or value (kind, subkind, divisionCode, households, population)' },
  'geometry.type': { severity: 'error', en: 'geometry missing or not a Polygon/MultiPolygon' },
  'geometry.coordinates': { severity: 'error', en: 'coordinates malformed: not nested arrays of [lon, lat] numbers, or not finite' },
  'geometry.range': { severity: 'error', en: 'longitude outside ±180 or latitude outside ±90' },
  'geometry.swapped': { severity: 'error', en: 'coordinates look like [lat, lon]: swapped they fall in the service area (or in China) and as given they do not; repair = flipped geometry' },
  'geometry.bounds': { severity: 'error', en: 'geometry lies outside China' },
  'geometry.service_area': { severity: 'warning', en: "geometry lies outside the rule set's service area" },
  'geometry.ring_size': { severity: 'error', en: 'a ring has fewer than 4 positions' },
  'geometry.ring_not_closed': { severity: 'error', en: 'a ring does not end where it starts; repair = closed ring' },
  'geometry.vertex_limit': { severity: 'error', en: 'more vertices than the rule set allows' },
  'geometry.orientation': { severity: 'warning', en: 'ring orientation against RFC 7946 (outer counter-clockwise, holes clockwise); repair = rewound geometry' },
  'geometry.duplicate_point': { severity: 'warning', en: 'the same position twice in a row; repair = geometry without the repeats' },
  'geometry.spike': { severity: 'error', en: 'the boundary goes out and straight back (zero-width spike); repair from the GeometryRepair port (ST_MakeValid)' },
  'geometry.self_intersection': { severity: 'error', en: 'a ring crosses or touches itself, or two rings cross (bow-tie); geometry = intersection points' },
  'geometry.zero_area': { severity: 'error', en: 'a polygon part or hole without area' },
  'topology.gap': { severity: 'error', en: 'part of the division covered by no land grid, larger than the gap tolerance; geometry = gap polygon' },
  'topology.overlap': { severity: 'error', en: 'two land grids overlap by more than the overlap tolerance; geometry = overlap polygon' },
  'topology.outside_division': { severity: 'error', en: 'a grid reaches outside the division by more than the outside tolerance; geometry = the part outside' },
  'topology.micro_grid_parent': { severity: 'error', en: 'a micro-grid whose parentCode matches no grid of the submission' },
  'topology.micro_grid_gap': { severity: 'error', en: 'part of a grid covered by none of its micro-grids (when it has micro-grids)' },
  'topology.micro_grid_overlap': { severity: 'error', en: 'two micro-grids of one grid overlap' },
  'topology.micro_grid_outside': { severity: 'error', en: 'a micro-grid reaches outside its parent grid' },
  'topology.shoreline': { severity: 'error', en: 'a sea grid covers land deeper than the shoreline tolerance; geometry = the land covered' },
  'topology.maritime_overlap': { severity: 'error', en: 'two sea grids of the same subkind overlap (different subkinds may)' },
  'size.households': { severity: 'warning', en: 'comprehensive grid households outside the band (gansu: unless about 1,000 people, or a rural village that is one grid)' },
  'size.micro_households': { severity: 'warning', en: 'micro-grid households outside the band' },
  'islands.uncovered': { severity: 'error', en: 'an inhabited island (residents ≥ threshold) that no land grid covers; geometry = island outline' },
  'code.format': { severity: 'error', en: 'code malformed for the code profile' },
  'code.kind_range': { severity: 'error', en: "code sequence outside the kind's range (default: comprehensive 001–499, special 500–799, maritime 800–999)" },
  'code.prefix': { severity: 'error', en: "code does not start with the grid's divisionCode (micro-grid: its parentCode)" },
  'code.division': { severity: 'error', en: "the grid's divisionCode is not inside the division being validated" },
  'code.duplicate': { severity: 'error', en: 'the same code on more than one grid of the submission' },
  'code.taken': { severity: 'error', en: 'code in use elsewhere or retired: codes are never reused' },
  'staffing.leader': { severity: 'stage', en: 'grid without a grid leader' },
  'staffing.worker': { severity: 'stage', en: 'grid with fewer workers than the rule set requires' },
  'staffing.full_time_worker': { severity: 'stage', en: 'grid with fewer full-time workers than the rule set requires (gansu: 1)' },
  'notice.name': { severity: 'stage', en: 'grid without a name for the public notice' },
  'notice.contacts': { severity: 'stage', en: 'leader or worker without a phone number for the public notice' },
  'notice.managing_units': { severity: 'stage', en: 'special or sea grid without both a territorial and a business managing unit (dual management)' },
} as const satisfies Record<string, { severity: CatalogSeverity; en: string }>;

export type RuleId = keyof typeof RULES;
