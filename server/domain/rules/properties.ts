// Reads a proposed feature's properties into a ProposedGrid, reporting values of the wrong type or out of range.
import type { Finding } from '../../schemas/resources.ts';
import { GRID_SUBKINDS } from '../../schemas/resources.ts';
import type { Static } from 'typebox';
import type { ManagingUnit, StaffMember } from '../../schemas/resources.ts';
import { DIVISION_CODE } from '../codes/division.ts';
import { featurePointer, type RuleContext } from './finding.ts';
import type { ProposedFeature, ProposedGrid } from './input.ts';

const KINDS = Object.keys(GRID_SUBKINDS) as Array<keyof typeof GRID_SUBKINDS>;

export function readGrid(feature: ProposedFeature, index: number, finding: RuleContext['finding']): { grid: ProposedGrid; findings: Finding[] } {
  const p = feature.properties ?? {};
  const findings: Finding[] = [];
  const invalid = (key: string, zh: string, en: string) =>
    findings.push(finding('properties.invalid', { zh: `属性 ${key}：${zh}`, en: `property ${key}: ${en}` }, { codes: [index], pointer: featurePointer(index, 'properties', key) }));

  const text = (key: string): string | null => {
    const v = p[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    invalid(key, '应为字符串', 'must be a string');
    return null;
  };
  const count = (key: string): number | null => {
    const v = p[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    invalid(key, '应为非负整数', 'must be a non-negative integer');
    return null;
  };

  const rawKind = text('kind');
  const kind = rawKind !== null && (KINDS as string[]).includes(rawKind) ? (rawKind as ProposedGrid['kind']) : null;
  if (rawKind !== null && kind === null) invalid('kind', `应为 ${KINDS.join('|')}`, `must be one of ${KINDS.join('|')}`);
  if (rawKind === null) invalid('kind', '缺失', 'missing');

  const subkind = text('subkind');
  if (kind && subkind !== null && !(GRID_SUBKINDS[kind] as readonly string[]).includes(subkind)) {
    invalid('subkind', `${kind} 网格的子类应为 ${GRID_SUBKINDS[kind].join('|')}`, `a ${kind} grid's subkind is one of ${GRID_SUBKINDS[kind].join('|')}`);
  }
  if (kind === 'maritime' && subkind === null) invalid('subkind', '海上网格必须注明子类', 'required for a maritime grid');

  const divisionCode = text('divisionCode');
  if (divisionCode !== null && !DIVISION_CODE.test(divisionCode)) invalid('divisionCode', '应为12位数字', 'must be 12 digits');

  const code = text('code');
  const grid: ProposedGrid = {
    index,
    ref: code ?? index,
    code,
    name: text('name'),
    kind,
    subkind,
    divisionCode: divisionCode !== null && DIVISION_CODE.test(divisionCode) ? divisionCode : null,
    parentCode: text('parentCode'),
    households: count('households'),
    population: count('population'),
    staff: listOf<Static<typeof StaffMember>>(p.staff, (s) => typeof s.role === 'string' && typeof s.name === 'string'),
    managingUnits: listOf<Static<typeof ManagingUnit>>(p.managingUnits, (u) => typeof u.role === 'string' && typeof u.name === 'string'),
    geometry: null,
  };
  return { grid, findings };
}

// Staff and managing units are judged by the staffing rules; entries without role and name simply do not count.
function listOf<T>(value: unknown, usable: (v: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is T => typeof v === 'object' && v !== null && usable(v as Record<string, unknown>));
}
