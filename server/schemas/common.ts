// Shapes shared by many routes: paging, links, collections, responses in media types other than JSON.
import { Type, type TSchema } from 'typebox';
import { Problem } from './resources.ts';

/** Where a page starts; bounded so that the database is never asked to skip more rows than an integer counts. */
export const Offset = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 0 });

export const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  offset: Offset,
};

export const Links = Type.Object({
  self: Type.String(),
  next: Type.Optional(Type.String()),
  prev: Type.Optional(Type.String()),
});

/** A row id (plan, plan grid): a decimal string within 64 bits (the format is registered in server/app.ts). */
export const Id = Type.String({ format: 'id', description: 'decimal id, 0 to 9223372036854775807' });

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const ProblemResponses = {
  400: Problem,
  404: Problem,
};

/** Bodies Fastify sends as they are, never serialised: text (a string) and bytes (a buffer). */
export const TextBody = Type.String();
export const BinaryBody = Type.String({ format: 'binary' });

/**
 * A response documented per media type it is sent as (OpenAPI `content`), so the document does not claim JSON for
 * HTML, CSV or bytes. Fastify serialises an object reply with the schema of the media type it is sent as, and passes
 * strings, buffers and streams through untouched.
 * @example mediaTypeResponse('The notice', { 'application/json': GridNotice, 'text/html': TextBody })
 */
export function mediaTypeResponse<const Media extends Record<string, TSchema>>(description: string, media: Media) {
  const content = Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema }]));
  return { description, content: content as { [Type in keyof Media]: { schema: Media[Type] } } };
}

/** `next`/`prev` links for offset paging, keeping every other query parameter. */
export function pageLinks(url: string, limit: number, offset: number, total: number) {
  const base = new URL(url, 'http://local');
  const at = (o: number) => {
    base.searchParams.set('offset', String(o));
    base.searchParams.set('limit', String(limit));
    return base.pathname + base.search;
  };
  return {
    self: url,
    ...(offset + limit < total ? { next: at(offset + limit) } : {}),
    ...(offset > 0 ? { prev: at(Math.max(0, offset - limit)) } : {}),
  };
}
