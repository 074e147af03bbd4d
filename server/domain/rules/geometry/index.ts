// All geometry rules for one proposed grid. A grid leaves with its geometry only when no geometry error was found:
// topology, island and size rules never see an invalid polygon.
import type { Finding } from '../../../schemas/resources.ts';
import type { RuleContext } from '../finding.ts';
import type { Area, GeometryRepair } from '../input.ts';
import { orientationFindings } from './orientation.ts';
import { selfIntersectionFindings } from './selfIntersection.ts';
import { readArea } from './structure.ts';
import { duplicatePointFindings, spikeFindings } from './vertices.ts';
import { zeroAreaFindings } from './zeroArea.ts';

// Rules whose repair only a real geometry engine (ST_MakeValid) can give.
export const NEEDS_MAKE_VALID = new Set(['geometry.spike', 'geometry.self_intersection', 'geometry.zero_area']);

export async function checkGeometry(
  raw: unknown,
  index: number,
  ctx: Pick<RuleContext, 'finding' | 'ruleSet'>,
  repair?: GeometryRepair,
): Promise<{ area: Area | null; findings: Finding[] }> {
  const read = readArea(raw, index, ctx);
  if (!read.area) return read;
  const area = read.area;
  const crossings = selfIntersectionFindings(area, index, ctx);
  const findings = [
    ...read.findings,
    ...orientationFindings(area, index, ctx),
    ...duplicatePointFindings(area, index, ctx),
    ...spikeFindings(area, index, ctx),
    ...crossings,
    // A bow-tie's lobes cancel to zero signed area; saying so as well would only confuse.
    ...(crossings.length === 0 ? zeroAreaFindings(area, index, ctx) : []),
  ];
  if (repair && findings.some((f) => NEEDS_MAKE_VALID.has(f.ruleId))) {
    const repaired = await repair(area);
    if (repaired) for (const f of findings) if (NEEDS_MAKE_VALID.has(f.ruleId)) f.repair = repaired;
  }
  return { area: findings.some((f) => f.severity === 'error') ? null : area, findings };
}
