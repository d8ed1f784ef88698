import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type BuildValidator = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;
type RouteValidatorCompiler = (route: { httpPart?: string }) => unknown;

/**
 * Fastify's own ajv compiler, twice: query strings and path parameters are text and are coerced to the
 * schema's types (`?limit=10` is the integer 10), request bodies are JSON and are taken as they are, so
 * `"markets":"spot"`, `"since":"1790000000000"` or `"order":["desc"]` are refused instead of being turned
 * into what the schema wanted.
 */
export function bodiesWithoutCoercion(): BuildValidator {
  const pool = AjvCompiler();
  const build = ((externalSchemas: Parameters<typeof pool>[0], options: Parameters<typeof pool>[1]) => {
    const ajvOptions = options ?? {};
    const coercing = pool(externalSchemas, ajvOptions) as unknown as RouteValidatorCompiler;
    const strict = pool(externalSchemas, {
      ...ajvOptions,
      customOptions: { ...ajvOptions.customOptions, coerceTypes: false },
    } as Parameters<typeof pool>[1]) as unknown as RouteValidatorCompiler;
    return (route: { httpPart?: string }) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  }) as unknown as BuildValidator;
  return build;
}
