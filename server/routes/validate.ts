import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DivisionCode, RuleReport } from '../schemas/resources.ts';
import { ProblemResponses } from '../schemas/common.ts';
import { ProblemError } from '../http/problem.ts';
import { authorize } from '../http/auth.ts';
import { validateAgainstStore } from '../workflow/validation.ts';
import type { RouteContext } from './context.ts';
import { JSON_OR_GEOJSON, acceptGeoJsonBodies } from '../http/geojson-media.ts';

/** Findings that mean the request itself is malformed, answered as 400 rather than as a rule report. */
const MALFORMED_INPUT = new Set(['properties.invalid', 'geometry.type', 'geometry.coordinates', 'geometry.range', 'geometry.ring_size', 'geometry.vertex_limit']);

export const MAX_FEATURES = 5_000;

const LooseFeature = Type.Object(
  {
    type: Type.Literal('Feature'),
    properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    geometry: Type.Unknown(),
  },
  { additionalProperties: true },
);

export const ValidateRequest = Type.Object({
  divisionCode: DivisionCode,
  ruleSet: Type.Optional(Type.String({ description: 'rule set name (default from RULE_SET)' })),
  stage: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('filing')])),
  scope: Type.Optional(Type.Union([Type.Literal('land'), Type.Literal('maritime')], { description: 'land partition (default) or the sea grids of the division' })),
  features: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(LooseFeature) }),
});

export const validateRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  acceptGeoJsonBodies(app);
  app.post(
    '/v1/validate',
    {
      // Checking a proposal stores nothing; demo mode answers the public.
      config: { readOnly: true },
      schema: {
        tags: ['rules'],
        summary: 'Check a proposed partition of a division against a rule set',
        consumes: JSON_OR_GEOJSON,
        body: ValidateRequest,
        response: { 200: RuleReport, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, config.mode === 'demo');
      const { divisionCode, features } = request.body;
      if (features.features.length > MAX_FEATURES) {
        throw new ProblemError(413, 'too-many-features', 'Too many features', `${features.features.length} features; at most ${MAX_FEATURES} per request`, [
          { pointer: '/features/features', message: `at most ${MAX_FEATURES} features` },
        ]);
      }
      const report = await validateAgainstStore(knex, {
        divisionCode,
        ruleSet: request.body.ruleSet ?? config.ruleSet,
        features: features.features,
        stage: request.body.stage ?? 'draft',
        scope: request.body.scope ?? 'land',
      });
      const malformed = report.findings.filter((f) => MALFORMED_INPUT.has(f.ruleId));
      if (malformed.length) {
        throw new ProblemError(
          400,
          'malformed-features',
          'Malformed features',
          `${malformed.length} feature problem(s): ${malformed[0].message.en}`,
          malformed.map((f) => ({ pointer: `/features${f.pointer ?? `/features/${f.codes[0]}`}`, message: f.message.en })),
        );
      }
      return report;
    },
  );
};
