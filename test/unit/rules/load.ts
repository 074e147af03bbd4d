// Turns a fixture FeatureCollection from test/fixtures/rules into validatePartition input.
import { readFileSync } from 'node:fs';
import type { Feature } from 'geojson';
import { loadRuleSet } from '../../../server/rulesets/index.ts';
import type { Area, PartitionInput, Stage } from '../../../server/domain/rules/index.ts';

export interface Fixture {
  features: Feature[];
  takenCodes?: string[];
}

export function readFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/rules/${name}`, import.meta.url), 'utf8'));
}

export function partitionInput(name: string, overrides: { ruleSet?: string; stage?: Stage } = {}): PartitionInput {
  const fc = readFixture(name);
  const byRole = (role: string) => fc.features.filter((f) => f.properties?.role === role);
  const division = byRole('division')[0];
  return {
    ruleSet: loadRuleSet(overrides.ruleSet ?? 'zhoushan'),
    division: { code: division.properties!.code, geometry: division.geometry as Area },
    features: byRole('grid'),
    islands: byRole('island').map((f) => ({ id: f.properties!.id, name: f.properties!.name, residents: f.properties!.residents, geometry: f.geometry as Area })),
    land: byRole('land').map((f) => f.geometry as Area),
    takenCodes: fc.takenCodes ?? [],
    stage: overrides.stage ?? 'draft',
  };
}
