// The service's OpenAPI document as clients read it, corrected once here where the route schemas cannot say it:
// - every error is RFC 9457 problem+json (the schemas cannot say so without Fastify choosing serialisers by media type);
// - a query parameter with a default need not be sent (TypeBox marks every non-Optional field required);
// - every operation has an operationId, which generated clients name their methods by.

const PROBLEM = 'application/problem+json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

interface Parameter {
  in?: string;
  required?: boolean;
  schema?: { default?: unknown };
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  responses?: Record<string, { content?: Record<string, unknown> } | undefined>;
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `get /v1/grids/{code}/notice` → `getGridsByCodeNotice`: the path's words in order, a parameter as By<name>. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment && segment !== 'v1')
    .flatMap((segment) => segment.split(/[^A-Za-z0-9{}]+/).filter(Boolean))
    .map((word) => (word.startsWith('{') ? `By${capitalised(word.replace(/[{}]/g, ''))}` : capitalised(word.replace(/[{}]/g, ''))));
  return method + words.join('');
}

export function correctedDocument<T extends { paths?: object }>(document: T): T {
  const taken = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {}) as Array<[string, Record<string, Operation | undefined>]>) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const content = response?.content;
        if (!/^[45]/.test(status) || !content?.['application/json']) continue;
        content[PROBLEM] = content['application/json'];
        delete content['application/json'];
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.schema?.default !== undefined) parameter.required = false;
      }
      if (!operation.operationId) {
        const base = operationIdOf(method, path);
        let id = base;
        for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
        operation.operationId = id;
      }
      taken.add(operation.operationId);
    }
  }
  return document;
}
