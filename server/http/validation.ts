// Request validation: query strings, path parameters and headers arrive as text and are coerced to the schema's
// types; JSON bodies are not. Coercing a body would turn `null` into "" or 0 and silently change its meaning
// (`households: null` means "count from the household points", not zero).
import { AjvCompiler } from '@fastify/ajv-compiler';

type BuildValidator = ReturnType<typeof AjvCompiler>;
// Fastify calls the compiler with the route definition (the package's types say a bare schema).
type RouteValidator = (route: { httpPart?: string }) => ReturnType<ReturnType<BuildValidator>>;

const pool = AjvCompiler();

export const buildValidator: BuildValidator = (externalSchemas, options = {}) => {
  const coercing = pool(externalSchemas, options) as unknown as RouteValidator;
  const exact = pool(externalSchemas, { ...options, customOptions: { ...options.customOptions, coerceTypes: false } } as typeof options) as unknown as RouteValidator;
  const byPart: RouteValidator = (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
  return byPart as unknown as ReturnType<BuildValidator>;
};
