// RFC 9457 problem details: errors are values with a type, raised once and rendered once (see errors.ts).
import type { Problem } from '../schemas/resources.ts';

export interface ProblemLocation {
  /** JSON pointer into the body (`/features/3/geometry`) or the name of a query/path parameter. */
  pointer: string;
  message: string;
}

const TYPE_BASE = 'https://wangge.dev/problems/';

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors: ProblemLocation[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(instance?: string): Problem {
    return {
      type: TYPE_BASE + this.kind,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors.length ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors: ProblemLocation[] = []) =>
  new ProblemError(400, 'bad-request', 'Bad request', detail, errors);
export const invalidParameter = (parameter: string, message: string) =>
  new ProblemError(400, 'invalid-parameter', 'Invalid parameter', `${parameter}: ${message}`, [{ pointer: parameter, message }]);
export const notFound = (what: string, id: string) =>
  new ProblemError(404, 'not-found', 'Not found', `${what} ${id} does not exist`);
