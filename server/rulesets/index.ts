// Rule set files: every <name>.json in this folder is a rule set. Read once per process and cached.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRuleSet, UnknownRuleSet, type RuleSet } from '../domain/rules/ruleSet.ts';

export const DEFAULT_RULE_SET = 'zhoushan';
const folder = fileURLToPath(new URL('.', import.meta.url));
const cache = new Map<string, RuleSet>();

/** Names of the rule sets available in this deployment, sorted. */
export function ruleSetNames(): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads and checks a rule set by name (default `zhoushan`).
 * Throws UnknownRuleSet (400, parameter `ruleSet`) for a name without a file, InvalidRuleSet for a malformed file.
 * @example loadRuleSet('gansu').comprehensive.population // { target: 1000, tolerance: 0.1 }
 */
export function loadRuleSet(name: string = DEFAULT_RULE_SET): RuleSet {
  const cached = cache.get(name);
  if (cached) return cached;
  const names = ruleSetNames();
  if (!names.includes(name)) throw new UnknownRuleSet(name, names);
  const ruleSet = parseRuleSet(name, JSON.parse(readFileSync(`${folder}/${name}.json`, 'utf8')));
  cache.set(name, ruleSet);
  return ruleSet;
}
