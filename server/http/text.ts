// PostgreSQL text and jsonb cannot hold U+0000 and no name, code or note needs it: a request carrying one anywhere
// in its path, query or parsed body (keys included) is refused before validation, naming every place it occurs,
// instead of failing in the database. Uploaded files (bodies kept as bytes or streamed) are their readers' to check.
import type { FastifyInstance } from 'fastify';
import { ProblemError, type ProblemLocation } from './problem.ts';

const NUL = '\u0000';
const MESSAGE = 'contains a NUL character (\\u0000), which no text accepts';
const MAX_REPORTED = 20;

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Parsed JSON is arrays and plain objects; anything else (bytes, an upload's stream) is not text to look into. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function findNuls(value: unknown, pointer: string, found: ProblemLocation[]): void {
  if (found.length >= MAX_REPORTED) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ pointer, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findNuls(item, `${pointer}/${i}`, found));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = `${pointer}/${escapePointer(key)}`;
      if (key.includes(NUL)) found.push({ pointer: at, message: `the key ${MESSAGE}` });
      findNuls(item, at, found);
    }
  }
}

/** Where `request` carries a NUL: query and path parameters by name (as schema faults are), the body by JSON pointer. */
export function nulCharactersIn(parts: { params: unknown; query: unknown; body: unknown }): ProblemLocation[] {
  const found: ProblemLocation[] = [];
  for (const named of [parts.params, parts.query]) {
    if (named && typeof named === 'object') for (const [name, value] of Object.entries(named)) findNuls(value, name, found);
  }
  findNuls(parts.body, '', found);
  return found.map((f) => ({ ...f, pointer: f.pointer || '/' }));
}

export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found = nulCharactersIn(request);
    if (found.length) {
      throw new ProblemError(400, 'nul-character', 'NUL character in text', found.map((f) => `${f.pointer}: ${f.message}`).join('; '), found);
    }
  });
}
