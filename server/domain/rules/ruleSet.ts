// The rule set file format: one JSON file per jurisdiction in server/rulesets/, validated against RuleSetSchema.
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { Severity } from '../../schemas/resources.ts';

const Band = Type.Object(
  {
    min: Type.Integer({ minimum: 0 }),
    max: Type.Integer({ minimum: 0 }),
    ideal: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const Bbox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[west, south, east, north] in degrees' });

export const RuleSetSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_-]*$', description: 'must equal the file name without .json' }),
    title: Type.Object({ zh: Type.String(), en: Type.String() }, { additionalProperties: false }),
    codeProfile: Type.String({ description: 'name of a code profile in server/domain/codes' }),
    comprehensive: Type.Object(
      {
        households: Band,
        population: Type.Optional(
          Type.Object(
            { target: Type.Integer({ minimum: 1 }), tolerance: Type.Number({ minimum: 0, maximum: 1, description: 'relative, 0.1 = ±10%' }) },
            { additionalProperties: false, description: 'alternative to the household band: a grid of about `target` people is in band too' },
          ),
        ),
        ruralVillageSingleGrid: Type.Boolean({ description: 'a village grid that is the only grid of its administrative village is always in band' }),
      },
      { additionalProperties: false },
    ),
    microGrid: Type.Object({ households: Band }, { additionalProperties: false }),
    islands: Type.Object({ inhabitedResidents: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    topology: Type.Object(
      {
        gapToleranceM2: Type.Number({ minimum: 0 }),
        overlapToleranceM2: Type.Number({ minimum: 0 }),
        outsideToleranceM2: Type.Number({ minimum: 0, description: 'area of a grid allowed outside its parent division or grid' }),
        shorelineToleranceM: Type.Number({ minimum: 0, description: 'how far a sea grid may reach onto land' }),
      },
      { additionalProperties: false },
    ),
    geometry: Type.Object(
      {
        maxVertices: Type.Integer({ minimum: 4, description: 'per grid, all rings counted' }),
        serviceArea: Bbox,
      },
      { additionalProperties: false },
    ),
    staffing: Type.Object(
      {
        leaders: Type.Integer({ minimum: 0 }),
        workers: Type.Integer({ minimum: 0 }),
        fullTimeWorkers: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    severity: Type.Optional(Type.Record(Type.String(), Severity, { description: 'per rule id: override the built-in severity' })),
  },
  { additionalProperties: false },
);
export type RuleSet = Static<typeof RuleSetSchema>;

/** The rule set name was not one of the files in server/rulesets/. The HTTP layer renders it as a 400 naming `parameter`. */
export class UnknownRuleSet extends Error {
  readonly type = 'unknown-rule-set';
  readonly status = 400;
  readonly parameter = 'ruleSet';
  constructor(readonly ruleSet: string, readonly available: readonly string[]) {
    super(`unknown rule set "${ruleSet}"; available: ${available.join(', ')}`);
  }
}

/** A rule set file does not match RuleSetSchema; `errors` point into the file. A deployment fault, so a 500. */
export class InvalidRuleSet extends Error {
  readonly type = 'invalid-rule-set';
  readonly status = 500;
  constructor(readonly ruleSet: string, readonly errors: ReadonlyArray<{ pointer: string; message: string }>) {
    super(`rule set "${ruleSet}" is invalid: ${errors.map((e) => `${e.pointer || '/'} ${e.message}`).join('; ')}`);
  }
}

/** Checks a parsed rule set file; `name` is the file name it came from. */
export function parseRuleSet(name: string, json: unknown): RuleSet {
  if (!Value.Check(RuleSetSchema, json)) {
    throw new InvalidRuleSet(name, Value.Errors(RuleSetSchema, json).map((e) => ({ pointer: e.instancePath, message: e.message })));
  }
  const errors: { pointer: string; message: string }[] = [];
  if (json.name !== name) errors.push({ pointer: '/name', message: `must equal the file name "${name}"` });
  for (const [pointer, band] of [['/comprehensive/households', json.comprehensive.households], ['/microGrid/households', json.microGrid.households]] as const) {
    if (band.min > band.max) errors.push({ pointer, message: 'min must not exceed max' });
  }
  const [w, s, e, n] = json.geometry.serviceArea;
  if (!(w < e && s < n)) errors.push({ pointer: '/geometry/serviceArea', message: 'must be [west, south, east, north] with west < east and south < north' });
  if (errors.length) throw new InvalidRuleSet(name, errors);
  return json;
}
