// Staffing and public-notice completeness: warnings while drafting, errors at filing (the catalog's `stage` severity).
import type { Finding } from '../../schemas/resources.ts';
import { featurePointer, gridLabel, type RuleContext } from './finding.ts';
import { WORKER_ROLES } from '../staff/roster.ts';

export function staffingFindings(ctx: RuleContext): Finding[] {
  const required = ctx.ruleSet.staffing;
  const findings: Finding[] = [];
  for (const g of ctx.grids) {
    const at = (key: string) => ({ codes: [g.ref], pointer: featurePointer(g.index, 'properties', key) });
    const label = gridLabel(g);
    if (!g.name?.trim()) findings.push(ctx.finding('notice.name', { zh: `网格 ${label} 缺少名称`, en: `grid ${label} has no name` }, at('name')));
    if (g.parentCode !== null) continue;

    const leaders = g.staff.filter((s) => s.role === 'leader');
    const workers = g.staff.filter((s) => WORKER_ROLES.includes(s.role));
    const fullTime = g.staff.filter((s) => s.role === 'full_time');
    if (leaders.length < required.leaders) {
      findings.push(ctx.finding('staffing.leader', { zh: `网格 ${label} 未配备网格长`, en: `grid ${label} has no grid leader` }, at('staff')));
    }
    if (workers.length < required.workers) {
      findings.push(ctx.finding('staffing.worker', { zh: `网格 ${label} 网格员不足 ${required.workers} 名`, en: `grid ${label} has fewer than ${required.workers} worker(s)` }, at('staff')));
    }
    if (fullTime.length < required.fullTimeWorkers) {
      findings.push(
        ctx.finding('staffing.full_time_worker', { zh: `网格 ${label} 专职网格员不足 ${required.fullTimeWorkers} 名`, en: `grid ${label} has fewer than ${required.fullTimeWorkers} full-time worker(s)` }, at('staff')),
      );
    }
    const noPhone = [...leaders, ...workers].filter((s) => !s.phone?.trim());
    if (noPhone.length > 0) {
      findings.push(
        ctx.finding('notice.contacts', { zh: `网格 ${label}：${noPhone.map((s) => s.name).join('、')} 缺少联系电话`, en: `grid ${label}: no phone for ${noPhone.map((s) => s.name).join(', ')}` }, at('staff')),
      );
    }
    if (g.kind === 'special' || g.kind === 'maritime') {
      const roles = new Set(g.managingUnits.map((u) => u.role));
      if (!roles.has('territorial') || !roles.has('business')) {
        findings.push(
          ctx.finding('notice.managing_units', { zh: `专属网格 ${label} 应同时有属地和业务主管单位（双重管理）`, en: `special grid ${label} needs both a territorial and a business managing unit` }, at('managingUnits')),
        );
      }
    }
  }
  return findings;
}
