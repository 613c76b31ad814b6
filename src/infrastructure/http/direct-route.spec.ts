import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { directHandlerFor, ServeDirect } from './direct-route.js';
import { requestContext } from './request-context.js';
import type { ControllerRoute } from './route-table.js';

@Controller('things')
class ThingsController {
  @Get(':id')
  @ServeDirect((req) => [(req.params as { id: string }).id])
  get(@Param('id') id: string) {
    return { id };
  }

  @Get('context')
  @ServeDirect(() => [])
  context() {
    // Later in the request too (a cold read's SQL is counted in the context), not only synchronously.
    return Promise.resolve().then(() => ({ queryCount: requestContext.current()?.queryCount }));
  }

  @Get('plain')
  plain() {
    return {};
  }

  @Post()
  @ServeDirect(() => [])
  create() {
    return {};
  }

  @Get('piped/:n')
  @ServeDirect(() => [])
  piped(@Param('n', ParseIntPipe) n: number) {
    return { n };
  }

  @Get('intercepted')
  @UseInterceptors(class {})
  @ServeDirect(() => [])
  intercepted() {
    return {};
  }

  @Get('status')
  @HttpCode(203)
  @ServeDirect(() => [])
  status() {
    return {};
  }
}

const instance = new ThingsController();
function route(handlerName: keyof ThingsController, method = 'GET', path = '/things/:id'): ControllerRoute {
  const handler = ThingsController.prototype[handlerName] as ControllerRoute['handler'];
  return { method, path, controller: ThingsController, handlerName, handler, instance };
}

describe('directHandlerFor', () => {
  it('calls the controller method with the arguments taken from the request; JSON and ETag once per object', async () => {
    const handler = directHandlerFor(route('get'))!;
    const headers: Record<string, string> = {};
    const reply = {
      header(name: string, value: string) {
        headers[name] = value;
        return this;
      },
    } as unknown as FastifyReply;
    const req = { params: { id: '42' } } as unknown as FastifyRequest;
    expect(await handler.call({} as never, req, reply)).toBe('{"id":"42"}');
    expect(headers).toEqual({
      etag: `W/"${createHash('sha1').update('{"id":"42"}').digest('base64')}"`,
      'content-type': 'application/json; charset=utf-8',
    });
  });

  it('runs the controller method in the request context (its route has no preHandler entering it)', async () => {
    const handler = directHandlerFor(route('context', 'GET', '/things/context'))!;
    const reply = { header: () => reply } as unknown as FastifyReply;
    const req = { params: {}, context: { requestId: 'r', ip: null, userAgent: null, queryCount: 7 } };
    expect(await handler.call({} as never, req as unknown as FastifyRequest, reply)).toBe('{"queryCount":7}');
    expect(requestContext.current()).toBeUndefined();
  });

  it('treats an empty path parameter as no match, as Nest does', () => {
    const handler = directHandlerFor(route('get'))!;
    let notFound = false;
    const reply = { callNotFound: () => (notFound = true) } as unknown as FastifyReply;
    handler.call({} as never, { params: { id: '' } } as unknown as FastifyRequest, reply);
    expect(notFound).toBe(true);
  });

  it('leaves unmarked routes to Nest', () => {
    expect(directHandlerFor(route('plain', 'GET', '/things/plain'))).toBeUndefined();
  });

  it('refuses at start-up what a direct route would skip', () => {
    expect(() => directHandlerFor(route('create', 'POST', '/things'))).toThrow(/only GET/);
    expect(() => directHandlerFor(route('piped', 'GET', '/things/piped/:n'))).toThrow(/pipe/);
    expect(() => directHandlerFor(route('intercepted', 'GET', '/things/intercepted'))).toThrow(/interceptors/);
    expect(() => directHandlerFor(route('status', 'GET', '/things/status'))).toThrow(/httpCode/);
  });
});
