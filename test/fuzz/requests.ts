// Malformed requests for every operation of the service's own OpenAPI document, as fast-check arbitraries: each
// parameter and body starts from a plausible value (the fixture's ids and codes, a sample of the schema) so that
// requests get past the first check, then wrong types, missing and extra fields, huge numbers, NUL characters,
// overlong strings, bad ids, bad If-Match, bad content types or random JSON replace parts of it.
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path template, `/v1/plans/{id}` */
  path: string;
  parameters: OpenApiParameter[];
  body: { contentTypes: string[]; schema: JsonSchema | undefined } | null;
}

export function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const content = operation.requestBody?.content ?? null;
      return {
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters: operation.parameters ?? [],
        body: content ? { contentTypes: Object.keys(content), schema: Object.values(content)[0]?.schema } : null,
      };
    }),
  );
}

/** Real values of the running service, so that generated requests reach past "not found". */
export interface Fixture {
  planId: string;
  gridIds: string[];
  gridCode: string;
  townshipCode: string;
  villageCode: string;
  formationCode: string;
  vesselId: string;
  mmsi: string;
  /** the plan's ETag now (kept current as edits succeed) */
  etag(): string;
  /** a key of every role */
  keys: string[];
}

const NUMBER_PATHS: Record<string, number> = { lon: 122.3, lat: 29.95, z: 10, x: 857, y: 418 };

/** A value the schema accepts, drawn from the fixture where the name or pattern says what it is. */
export function sample(schema: JsonSchema | undefined, fixture: Fixture, name = ''): unknown {
  if (!schema) return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined && !/^(limit|offset)$/.test(name)) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return sample(alternatives.find((a) => a.type !== 'null') ?? alternatives[0], fixture, name);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sample(s, fixture, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) out[key] = sample(property, fixture, key);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => sample(schema.items, fixture, name));
    case 'integer':
    case 'number': {
      const value = NUMBER_PATHS[name] ?? schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(value, schema.maximum ?? value);
    }
    case 'boolean':
      return true;
    case 'string':
      return sampleString(schema, fixture, name);
    default:
      return {};
  }
}

const NAMED: Record<string, string> = { bbox: '122.2,29.9,122.4,30.1', collectionId: 'grids', layer: 'grids', ruleSet: 'zhoushan', name: '测试网格', registeredName: '浙普渔64110' };

function sampleString(schema: JsonSchema, fixture: Fixture, name: string): string {
  if (schema.format === 'id') return name === 'gridId' || name === 'gridIds' ? fixture.gridIds[0] : fixture.planId;
  if (schema.format === 'date') return '2024-06-01';
  if (schema.format === 'date-time') return '2024-06-01T08:00:00Z';
  if (name === 'township' || name === 'townshipCode') return fixture.townshipCode;
  if (name === 'formationCode') return fixture.formationCode;
  if (name === 'vessel' || name === 'mmsi') return fixture.mmsi;
  if (name === 'id' && !schema.pattern) return fixture.vesselId;
  if (NAMED[name]) return NAMED[name];
  // Otherwise the first known value the pattern accepts: a division or grid code, a date, a job id.
  const candidates = [fixture.villageCode, fixture.gridCode, fixture.mmsi, '2024-06-01', '00000000-0000-4000-8000-000000000000'];
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : null;
  return (pattern && candidates.find((c) => pattern.test(c))) || 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
}

/** Values that are wrong almost anywhere: other types, limits of numbers and strings, NUL, ids beyond 64 bits. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 1e20, 3e9, -1e308, 2 ** 53 + 1, '', '\u0000', 'a\u0000b', '9'.repeat(30), '9223372036854775808', 'x'.repeat(20_000), [], {}, [[]], { '\u0000': 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Text for a path segment or a query value: the good one, or something that is not. */
const badText = fc.oneof(
  fc.constantFrom('0', '-1', '9223372036854775808', '99999999999999999999999', '1e3', 'abc', '\u0000', 'a\u0000b', ' ', '..', 'x'.repeat(3000), '🙂', '1,2,3', 'null', '[]'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

type Pointer = Array<string | number>;

function pointersOf(value: unknown, at: Pointer = []): Pointer[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => pointersOf(v, [...at, i])));
  if (value !== null && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([k, v]) => pointersOf(v, [...at, k])));
  return here;
}

type Mutation =
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'edge'; pick: number; choice: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'extra'; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: badValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edge' as const), pick: fc.nat(), choice: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: fc.constantFrom('extra', '__proto__', 'constructor', '\u0000', ''), value: badValue }) },
);

/** A value of the same JSON type at its edges, which a schema of that type may well let through to the handler. */
function edgeOf(value: unknown, choice: number): unknown {
  const pick = <T>(options: T[]) => options[choice % options.length];
  if (typeof value === 'string') return pick(['', ' ', '0', '网格🙂', '9'.repeat(17), '9'.repeat(200), 'x'.repeat(5000), '../../etc', "'; DROP TABLE grids; --", value + value]);
  if (typeof value === 'number') return pick([0, -0, -1, 1e-12, 180.0000001, -90.5, 2 ** 31, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1e300, -1e300]);
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return pick([[], [...value, ...value], value.slice(1), Array.from({ length: 2000 }, () => value[0] ?? 0)]);
  return value;
}

function mutate(value: unknown, change: Mutation): unknown {
  const copy = structuredClone(value);
  const pointers = pointersOf(copy);
  const at = pointers[change.pick % pointers.length];
  if (at.length === 0) return change.kind === 'replace' ? change.value : change.kind === 'edge' ? edgeOf(copy, change.choice) : copy;
  const parent = at.slice(0, -1).reduce<any>((v, k) => v[k], copy);
  const key = at[at.length - 1];
  if (change.kind === 'replace') parent[key] = change.value;
  else if (change.kind === 'edge') parent[key] = edgeOf(parent[key], change.choice);
  else if (change.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
  else if (typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) Object.defineProperty(parent[key], change.key, { value: change.value, enumerable: true });
  return copy;
}

export interface FuzzRequest {
  /** `GET /v1/plans/{id}`: which operation the request is for */
  operation: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const CONTENT_TYPES = ['application/json', 'application/geo+json', 'text/csv', 'text/plain', 'application/zip', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'nonsense'];

/** One malformed (or, now and then, well-formed) request for `operation`. */
export function requestFor(operation: Operation, fixture: Fixture): fc.Arbitrary<FuzzRequest> {
  const goodOrBad = (parameter: OpenApiParameter) => {
    const good = String(sample(parameter.schema, fixture, parameter.name));
    return fc.oneof({ weight: 5, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: badText }, { weight: 1, arbitrary: fc.nat().map((n) => String(edgeOf(good, n))) });
  };
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const hasIfMatch = operation.parameters.some((p) => p.in === 'header' && p.name === 'if-match');
  const body = operation.body;
  const writes = operation.method !== 'GET';

  return fc.record({
    path: fc.tuple(...pathParameters.map(goodOrBad)),
    query: fc.tuple(...queryParameters.map((p) => fc.option(goodOrBad(p), { nil: undefined, freq: 3 }))),
    extraQuery: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', 'limit', 'f', '\u0000'), badText) }),
    // Mostly a key of some role (one of them is allowed to do the operation), else none or one that is no key.
    key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fixture.keys) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'no-such-key', 'raw:Basic ZGVtbzpkZW1v', 'raw:Bearer') }),
    ifMatch: hasIfMatch
      ? fc.constantFrom<'current' | 'stale' | 'huge' | 'garbage' | 'none'>('current', 'current', 'current', 'current', 'stale', 'huge', 'garbage', 'none')
      : fc.constant('none' as const),
    body: writes
      ? fc.oneof(
          { weight: 5, arbitrary: fc.array(mutation, { minLength: 0, maxLength: 3 }).map((changes) => ({ json: changes.reduce(mutate, sample(body?.schema, fixture)) })) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
          { weight: 1, arbitrary: fc.constantFrom('{"a":', '[1,2', '\u0000', 'mmsi,time,lon,lat\n1,2,3', '!AIVDM,1,1,,A,garbage,0*00', '').map((raw) => ({ raw })) },
          // JSON that parses to Infinity: no JSON value holds it, JSON.parse makes it of 1e400.
          { weight: 1, arbitrary: fc.constant({ raw: JSON.stringify(sample(body?.schema, fixture)).replace(/-?\d+(\.\d+)?/, '1e400') }) },
          { weight: 1, arbitrary: fc.constant({ none: true }) },
        )
      : fc.constant({ none: true }),
    contentType: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(body?.contentTypes ?? ['application/json'])) }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
  }).map(({ path, query, extraQuery, key, ifMatch, body: content, contentType }) => {
    let url = operation.path;
    pathParameters.forEach((p, i) => (url = url.replace(`{${p.name}}`, encodeURIComponent(path[i]))));
    const search = new URLSearchParams();
    queryParameters.forEach((p, i) => query[i] !== undefined && search.append(p.name, query[i]!));
    if (extraQuery) search.append(...extraQuery);
    if (search.size) url += `?${search}`;
    const headers: Record<string, string> = {};
    if (key) headers.authorization = key.startsWith('raw:') ? key.slice(4) : `Bearer ${key}`;
    const version = /-v(\d+)"$/.exec(fixture.etag())?.[1] ?? '1';
    const etags = { current: fixture.etag(), stale: fixture.etag().replace(/-v\d+"$/, `-v${Number(version) + 7}"`), huge: `"plan-${fixture.planId}-v4294967296"`, garbage: 'W/"nonsense"', none: '' };
    if (etags[ifMatch]) headers['if-match'] = etags[ifMatch];
    let payload: string | undefined;
    if ('json' in content) payload = JSON.stringify(content.json) ?? 'null';
    else if ('raw' in content) payload = content.raw;
    if (payload !== undefined) headers['content-type'] = contentType;
    return { operation: `${operation.method} ${operation.path}`, method: operation.method, url, headers, payload };
  });
}
