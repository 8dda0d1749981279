import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { parseBody } from './parseBody.ts';

/** What a typed body middleware adds to a route: the client's `json` argument, the handler's `c.req.valid('json')`. */
export type JsonInput<In, Out = In> = { in: { json: In }; out: { json: Out } };

/**
 * A middleware that reads and checks the request body with `read` (which refuses with an
 * ApiError) before the handler, and puts the body's type into the app type, so Hono's typed
 * client (`hc`) knows what each route takes. The handler reads it with `c.req.valid('json')`.
 */
export function jsonInput<In, Out = In>(read: (c: Context) => Promise<Out>): MiddlewareHandler<any, string, JsonInput<In, Out>> {
  return async (c, next) => {
    c.req.addValidatedData('json', (await read(c)) as object);
    await next();
  };
}

/** {@link jsonInput} with {@link parseBody}: an `application/json` body checked by `schema`. */
export function jsonBody<S extends z.ZodType>(schema: S): MiddlewareHandler<any, string, JsonInput<z.input<S>, z.output<S>>> {
  return jsonInput<z.input<S>, z.output<S>>((c) => parseBody(c, schema));
}
