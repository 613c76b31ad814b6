import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import { badRequest, type DomainError } from './domain-error.js';
import { toProblem } from './problem.js';
import { isId } from '../ids.js';

/**
 * Errors raised at the HTTP edge, before (or instead of) a Nest handler: each is the same problem+json
 * as the app's own errors, with the request id and the security headers. Small functions, one per
 * concern, so they can move with the hooks they belong to.
 */

/** Deeper JSON than any request needs; class-transformer and the validator recurse per level (10k levels → stack overflow). */
export const MAX_JSON_DEPTH = 32;

export function sendProblem(reply: FastifyReply, error: unknown): FastifyReply {
  const { problem, headers } = toProblem(error);
  return reply.status(problem.status).headers(headers).type('application/problem+json').send(problem);
}

const invalidId = (field: string): DomainError =>
  badRequest('validation_failed', 'The request is invalid', [{ field, message: `${field} must be a UUID` }]);

/**
 * Fastify's own answers for URLs it cannot route (a path parameter over maxParamLength is a 414, a
 * malformed percent-encoding a 400), which it would otherwise write as bare JSON without our hooks.
 * An over-long path parameter is an invalid id: 400.
 */
export function frameworkErrorHandler(
  staticHeaders: Record<string, string | number>,
  requestIdHeader = 'x-request-id',
) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers(staticHeaders).header(requestIdHeader, req.id);
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH' || error.code === 'FST_ERR_BAD_URL') {
      sendProblem(reply, invalidId('id'));
      return;
    }
    sendProblem(reply, error);
  };
}

/**
 * Path parameters that name an entity (`:id`, `:productId`, …) must be ids: 400 before any guard, cache or
 * query. Attached only to routes that have such a parameter (onRoute), so other routes pay nothing.
 * Register before the routes are (createApp does: Nest adds its routes at init).
 */
export function registerIdParamCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const names = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1]).filter(namesAnEntity);
    if (names.length === 0) return;
    const check: preValidationHookHandler = (req, reply, done) => {
      const params = req.params as Record<string, unknown>;
      const invalid = names.find((name) => !isId(params[name]));
      if (invalid === undefined) return done();
      sendProblem(reply, invalidId(invalid));
    };
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [check] : [check, ...[existing].flat()];
  });
}

const namesAnEntity = (param: string) => param === 'id' || param.endsWith('Id');

/** Nesting depth of a JSON text (brackets outside strings); stops counting once past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * Fastify's JSON parser (prototype-poisoning checks included), refusing over-deep documents with a 400.
 * Registered through Nest's useBodyParser, which then skips its own JSON parser.
 */
export function registerJsonParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (req, body, done) => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        badRequest('validation_failed', 'The request is invalid', [
          { field: 'body', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` },
        ]),
        undefined,
      );
      return;
    }
    parse(req as Parameters<typeof parse>[0], text, done);
  });
}
