// Grid codes in a submission: well-formed for the profile, in the kind's range, under the right prefix, unique, never reused.
import type { Finding } from '../../schemas/resources.ts';
import { isWithinDivision } from '../codes/division.ts';
import type { CodeProfile } from '../codes/profile.ts';
import { featurePointer, type RuleContext } from './finding.ts';

export function codeFindings(ctx: RuleContext, profile: CodeProfile, taken: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number[]>();
  for (const g of ctx.grids) {
    if (g.divisionCode !== null && !isWithinDivision(g.divisionCode, ctx.division.code)) {
      findings.push(
        ctx.finding('code.division', { zh: `区划代码 ${g.divisionCode} 不属于 ${ctx.division.code}`, en: `divisionCode ${g.divisionCode} is not inside ${ctx.division.code}` }, {
          codes: [g.ref],
          pointer: featurePointer(g.index, 'properties', 'divisionCode'),
        }),
      );
    }
    if (g.code === null) continue;
    const pointer = featurePointer(g.index, 'properties', 'code');
    seen.set(g.code, [...(seen.get(g.code) ?? []), g.index]);
    if (taken.has(g.code)) {
      findings.push(ctx.finding('code.taken', { zh: `编码 ${g.code} 已被使用或已注销，不得重复使用`, en: `code ${g.code} is in use or retired and is never reused` }, { codes: [g.code], pointer }));
    }
    const micro = g.parentCode !== null;
    const malformed = profile.checkFormat(g.code, micro);
    if (malformed) {
      findings.push(ctx.finding('code.format', { zh: `编码 ${g.code}：${malformed.zh}`, en: `code ${g.code}: ${malformed.en}` }, { codes: [g.code], pointer }));
      continue;
    }
    if (g.kind && !micro) {
      const range = profile.kindRange(g.kind);
      const n = profile.sequenceOf(g.code);
      if (!range || n < range.first || n > range.last) {
        const allowed = range ? `${range.first}–${range.last}` : '—';
        findings.push(
          ctx.finding('code.kind_range', { zh: `编码 ${g.code} 的序号 ${n} 不在 ${g.kind} 网格的范围 ${allowed} 内`, en: `code ${g.code}: sequence ${n} is outside the ${g.kind} range ${allowed}` }, {
            codes: [g.code],
            pointer,
          }),
        );
      }
    }
    if (g.divisionCode !== null || micro) {
      const prefix = profile.expectedPrefix({ kind: g.kind ?? 'comprehensive', divisionCode: g.divisionCode ?? '', parentCode: g.parentCode });
      if (!g.code.startsWith(prefix)) {
        findings.push(
          ctx.finding('code.prefix', { zh: `编码 ${g.code} 应以 ${prefix} 开头`, en: `code ${g.code} must start with ${prefix} (${micro ? 'its parent grid' : 'its division'})` }, {
            codes: [g.code],
            pointer,
          }),
        );
      }
    }
  }
  for (const [code, indexes] of seen) {
    if (indexes.length < 2) continue;
    findings.push(
      ctx.finding('code.duplicate', { zh: `编码 ${code} 在本次提交中出现 ${indexes.length} 次（要素 ${indexes.join('、')}）`, en: `code ${code} is used ${indexes.length} times (features ${indexes.join(', ')})` }, {
        codes: [code, ...indexes],
        pointer: featurePointer(indexes[1], 'properties', 'code'),
      }),
    );
  }
  return findings;
}

