// The service's OpenAPI document as clients read it. Every error is RFC 9457 problem+json, which the route schemas
// cannot say without Fastify choosing serialisers by media type; the document is corrected once, here.

const PROBLEM = 'application/problem+json';

interface Responses {
  [status: string]: { content?: Record<string, unknown> } | undefined;
}

export function withProblemMediaType<T extends { paths?: object }>(document: T): T {
  for (const item of Object.values(document.paths ?? {}) as Array<Record<string, { responses?: Responses } | undefined>>) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const content = response?.content;
        if (!/^[45]/.test(status) || !content?.['application/json']) continue;
        content[PROBLEM] = content['application/json'];
        delete content['application/json'];
      }
    }
  }
  return document;
}
