// OpenAPI 3.1 → 3.0 for the OGC API's service description: each JSON Schema construct 3.0 lacks, and a whole
// document checked against the official OpenAPI 3.0 schema before (fails) and after (passes) conversion.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ogcOpenApi30, toSchema30 } from '../../../server/routes/ogc/openapi.ts';

describe('toSchema30', () => {
  it('writes a null member or null type as nullable', () => {
    expect(toSchema30({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual({ type: 'string', nullable: true });
    expect(toSchema30({ type: ['integer', 'null'], minimum: 0 })).toEqual({ type: 'integer', minimum: 0, nullable: true });
    expect(toSchema30({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] })).toEqual({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true });
  });

  it('writes const as enum, examples as example, numeric exclusive bounds as booleans', () => {
    expect(toSchema30({ type: 'string', const: 'Feature', examples: ['Feature'] })).toEqual({ type: 'string', enum: ['Feature'], example: 'Feature' });
    expect(toSchema30({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 90 })).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 90, exclusiveMaximum: true });
  });

  it('collapses a union of string literals into one enum', () => {
    expect(toSchema30({ anyOf: [{ type: 'string', enum: ['json'] }, { type: 'string', const: 'html' }] })).toEqual({ type: 'string', enum: ['json', 'html'] });
  });

  it('keeps a record value schema as additionalProperties and drops keywords 3.0 lacks, at any depth', () => {
    const record = { type: 'object', patternProperties: { '^.*$': { type: 'integer' } }, $id: 'x', $schema: 'https://json-schema.org/draft/2020-12/schema' };
    expect(toSchema30({ type: 'object', properties: { counts: record }, required: ['counts'] })).toEqual({
      type: 'object',
      properties: { counts: { type: 'object', additionalProperties: { type: 'integer' } } },
      required: ['counts'],
    });
    expect(toSchema30({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] })).toEqual({ type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'number' }] } });
    expect(toSchema30(true)).toEqual({});
    expect(toSchema30(false)).toEqual({ not: {} });
  });
});

describe('ogcOpenApi30', () => {
  const document31 = {
    openapi: '3.1.0',
    info: { title: 'Wangge', version: '1' },
    tags: [{ name: 'ogc' }, { name: 'grids' }],
    components: { schemas: { Link: { type: 'object', properties: { href: { type: 'string' }, rel: { const: 'self' } } }, Unused: { type: 'null' } } },
    paths: {
      '/v1/grids': { get: { responses: { 200: { description: 'grids' } } } },
      '/ogc/collections/{collectionId}/items': {
        get: {
          tags: ['ogc'],
          parameters: [
            { in: 'path', name: 'collectionId', required: true, schema: { type: 'string' } },
            { in: 'query', name: 'f', required: false, schema: { anyOf: [{ type: 'string', const: 'json' }, { type: 'string', const: 'html' }] } },
          ],
          responses: {
            200: {
              description: 'features',
              content: {
                'application/geo+json': { schema: { type: 'object', properties: { end: { anyOf: [{ type: 'string' }, { type: 'null' }] }, links: { type: 'array', items: { $ref: '#/components/schemas/Link' } } } } },
                'text/html': { schema: { type: 'string' } },
              },
            },
            400: { description: 'bad', content: { 'application/problem+json': { schema: { type: 'object' } } } },
          },
        },
      },
    },
  };

  it('keeps the OGC paths relative to the OGC root, the schemas they use and their declared media types, and passes the 3.0 schema', async () => {
    const strict = new Validator();
    expect((await strict.validate(structuredClone({ ...document31, openapi: '3.0.3' }))).valid).toBe(false);

    const collections = [{ id: 'grids', title: 'Grids', queryables: { kind: { type: 'string', description: 'grid kind', enum: ['comprehensive', 'special'] } } }];
    const converted = ogcOpenApi30(document31, { prefix: '/ogc', serverUrl: 'http://127.0.0.1:3000', collections });
    expect(converted.openapi).toBe('3.0.3');
    expect(Object.keys(converted.paths as object)).toEqual(['/collections/{collectionId}/items', '/collections/grids/items']);
    expect(converted.servers).toEqual([{ url: 'http://127.0.0.1:3000/ogc' }]);
    expect(converted.tags).toEqual([{ name: 'ogc' }]);
    expect(Object.keys((converted.components as { schemas: object }).schemas)).toEqual(['Link']);
    type Operation = { parameters: Array<{ name: string; in: string; schema: object }>; responses: Record<string, { content: Record<string, unknown> }> };
    const paths = converted.paths as Record<string, { get: Operation }>;
    const generic = paths['/collections/{collectionId}/items'].get;
    expect(generic.responses[200].content).toEqual({
      'application/geo+json': { schema: { type: 'object', properties: { end: { type: 'string', nullable: true }, links: { type: 'array', items: { $ref: '#/components/schemas/Link' } } } } },
      'text/html': { schema: { type: 'string' } },
    });
    expect(Object.keys(generic.responses[400].content)).toEqual(['application/problem+json']);
    expect(generic.parameters.find((p) => p.name === 'f')?.schema).toEqual({ type: 'string', enum: ['json', 'html'] });
    // The collection's own path: no collectionId, its queryables as query parameters.
    const grids = paths['/collections/grids/items'].get;
    expect(grids.parameters.map((p) => p.name)).toEqual(['f', 'kind']);
    expect(grids.parameters[1]).toEqual({ in: 'query', name: 'kind', required: false, description: 'property filter: grid kind', schema: { type: 'string', enum: ['comprehensive', 'special'] } });
    const result = await new Validator().validate(structuredClone(converted));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
