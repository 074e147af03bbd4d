// One place that renders every failure as application/problem+json: schema violations, domain problems,
// unknown routes and unexpected errors (logged in full, answered without internals such as SQL).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, type ProblemLocation } from './problem.ts';
import { ID_FORMAT } from './params.ts';

interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

function locate(context: string | undefined, issue: AjvIssue): ProblemLocation {
  const missing = issue.keyword === 'required' ? String(issue.params.missingProperty ?? '') : '';
  const path = missing ? `${issue.instancePath}/${missing}` : issue.instancePath;
  // Query and path parameters are named plainly; body faults keep their JSON pointer.
  const pointer = context === 'body' ? path || '/' : path.replace(/^\//, '') || context || '/';
  const allowed = issue.params.allowedValues as unknown[] | undefined;
  if (issue.keyword === 'format' && issue.params.format === ID_FORMAT.name) return { pointer, message: ID_FORMAT.message };
  const message = (issue.message ?? issue.keyword) + (allowed ? `: ${allowed.join(', ')}` : '');
  return { pointer, message };
}

function fromValidation(error: FastifyError): ProblemError {
  const issues = (error.validation ?? []) as unknown as AjvIssue[];
  const context = error.validationContext;
  const errors = dedupe(withoutAlternatives(issues).map((issue) => locate(context, issue)));
  const detail = errors.map((e) => `${e.pointer}: ${e.message}`).join('; ');
  return new ProblemError(400, 'validation', 'Request does not match the schema', detail, errors);
}

/**
 * A nullable field (`anyOf [X, null]`) that fails X also fails "must be null" and "must match a schema in anyOf";
 * only what X says is worth reading, unless nothing else was said about that place.
 */
function withoutAlternatives(issues: AjvIssue[]): AjvIssue[] {
  const isAlternative = (i: AjvIssue) => i.keyword === 'anyOf' || (i.keyword === 'type' && i.params.type === 'null');
  const explained = new Set(issues.filter((i) => !isAlternative(i)).map((i) => i.instancePath));
  return issues.filter((i) => !isAlternative(i) || !explained.has(i.instancePath));
}

function dedupe(errors: ProblemLocation[]): ProblemLocation[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.pointer}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Domain errors are plain values with a `type`, an HTTP `status` and, where one parameter is at fault, its name. */
interface DomainError extends Error {
  type: string;
  status: number;
  parameter?: string;
}

const isDomainError = (error: unknown): error is DomainError =>
  error instanceof Error && typeof (error as DomainError).type === 'string' && typeof (error as DomainError).status === 'number';

function toProblemError(error: FastifyError | ProblemError): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error.validation) return fromValidation(error);
  if (isDomainError(error)) {
    const title = error.type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
    const errors = error.parameter ? [{ pointer: error.parameter, message: error.message }] : [];
    return new ProblemError(error.status, error.type, title, error.message, errors);
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return new ProblemError(413, 'payload-too-large', 'Payload too large', error.message);
  if (status === 415) return new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', error.message);
  if (status >= 400 && status < 500) return new ProblemError(status, 'bad-request', 'Bad request', error.message);
  return new ProblemError(500, 'internal', 'Internal server error', 'The server could not complete the request; it has been logged.');
}

/**
 * Requests the router refuses before any route sees them (a path parameter over 100 characters, a malformed URL
 * component) are answered as problem+json too (Fastify's `frameworkErrors`).
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ProblemError(414, 'uri-too-long', 'URI too long', 'a path parameter is longer than 100 characters')
      : toProblemError(error);
  reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.toProblem(request.url));
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const problem = toProblemError(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(problem.status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(problem.toProblem(request.url));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = new ProblemError(404, 'not-found', 'Not found', `No route ${request.method} ${request.url.split('?')[0]}`);
    reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem.toProblem(request.url));
  });
}

const CLIENT_ERRORS: Record<string, ProblemError> = {
  HPE_HEADER_OVERFLOW: new ProblemError(431, 'header-too-large', 'Request header fields too large', 'the request line and headers exceed the server\'s limit (16 KB); shorten the URL or the headers'),
  ERR_HTTP_REQUEST_TIMEOUT: new ProblemError(408, 'request-timeout', 'Request timeout', 'the request was not received in time'),
};

/**
 * Requests Node's HTTP parser refuses never reach a route (a 100 KB URL or header, a malformed request line); they
 * are answered on the socket, as problem+json like every other error, and the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = CLIENT_ERRORS[error.code ?? ''] ?? new ProblemError(400, 'bad-request', 'Bad request', 'the request could not be parsed as HTTP');
  const body = JSON.stringify(problem.toProblem());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
