import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidRuleSet, parseRuleSet, RULES, UnknownRuleSet } from '../../../server/domain/rules/index.ts';
import { loadRuleSet, ruleSetNames } from '../../../server/rulesets/index.ts';

describe('rule sets', () => {
  it('ships zhoushan (default) and gansu', () => {
    expect(ruleSetNames()).toEqual(expect.arrayContaining(['gansu', 'zhoushan']));
    expect(loadRuleSet().name).toBe('zhoushan');
    expect(loadRuleSet().comprehensive.households).toEqual({ min: 300, max: 500, ideal: 400 });
    const gansu = loadRuleSet('gansu');
    expect(gansu.comprehensive.population).toEqual({ target: 1000, tolerance: 0.1 });
    expect(gansu.comprehensive.ruralVillageSingleGrid).toBe(true);
    expect(gansu.staffing.fullTimeWorkers).toBe(1);
  });

  it('names the parameter for an unknown rule set', () => {
    const error = (() => {
      try {
        loadRuleSet('../zhoushan');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownRuleSet);
    expect(error).toMatchObject({ status: 400, parameter: 'ruleSet', available: expect.arrayContaining(['zhoushan']) });
  });

  it('points into a malformed file', () => {
    const file = JSON.parse(readFileSync(new URL('../../../server/rulesets/zhoushan.json', import.meta.url), 'utf8'));
    expect(() => parseRuleSet('zhoushan', { ...file, microGrid: { households: { min: 80, max: 50 } } })).toThrow(InvalidRuleSet);
    try {
      parseRuleSet('ningbo', { ...file, islands: { inhabitedResidents: 'fifty' } });
    } catch (e) {
      expect((e as InvalidRuleSet).errors.map((x) => x.pointer)).toEqual(expect.arrayContaining(['/islands/inhabitedResidents']));
    }
  });

  it('docs/rules.md documents every rule id', () => {
    const docs = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    const missing = Object.keys(RULES).filter((id) => !docs.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });
});
