/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for replies), shared by every app this
 * process builds: a route schema's validator or serializer is compiled once per process and reused by a later app
 * with the same schema. An installation builds one app, so nothing changes there; the test suite builds one per test
 * file in each of its two worker processes, and compiling every route's schemas again took 1-2 s of each.
 * What a compiled function does depends only on its schema, the external schemas and the options: all three make
 * the key.
 */
import { createRequire } from 'node:module';

interface Route {
  schema: unknown;
  httpPart?: string;
}
type Compile = (route: Route) => unknown;
type Builder = (externalSchemas: unknown, options: unknown) => Compile;

// Fastify's dependencies, as Fastify itself loads them
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const ajvCompiler = fromFastify('@fastify/ajv-compiler') as () => Builder;
const jsonCompiler = fromFastify('@fastify/fast-json-stringify-compiler') as () => Builder;

function shared(selector: () => Builder): Builder {
  const build = selector();
  const compiled = new Map<string, unknown>();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    const context = `${JSON.stringify(externalSchemas)}\n${JSON.stringify(options)}\n`;
    return (route) => {
      const schema = route.httpPart === 'headers' ? lowerCaseHeaders(route.schema) : route.schema;
      const key = `${context}${route.httpPart ?? ''}\n${JSON.stringify(schema)}`;
      if (!compiled.has(key)) compiled.set(key, compile({ ...route, schema }));
      return compiled.get(key);
    };
  };
}

/**
 * Header names are case-insensitive and arrive in lower case: Fastify lowers a headers schema's names itself, except
 * for a compiler of one's own (this one), so it is done here.
 */
function lowerCaseHeaders(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Object.getPrototypeOf(schema) !== Object.prototype) return schema;
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  return {
    ...s,
    ...(s.properties
      ? { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k.toLowerCase(), v])) }
      : {}),
    ...(Array.isArray(s.required) ? { required: s.required.map((k) => String(k).toLowerCase()) } : {}),
  };
}

/** Fastify's `schemaController.compilersFactory` (Fastify's types name the compilers' own, hence `any`) */
export const SHARED_SCHEMA_COMPILERS: { buildValidator: any; buildSerializer: any } = {
  buildValidator: shared(ajvCompiler),
  buildSerializer: shared(jsonCompiler),
};
