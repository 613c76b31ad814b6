import { Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { declaredPolicy, type RoutePolicy } from '../../src/common/auth/route-policy.js';
import { controllerRoutes } from '../../src/infrastructure/http/route-table.js';

export interface RouteEntry {
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** undefined: the route declares no policy. */
  policy: RoutePolicy | undefined;
}

/**
 * Every HTTP route the application registered, read from the controllers' metadata, with the access
 * policy its decorators declare (the same metadata the access hook enforces).
 */
export function appRoutes(app: NestFastifyApplication): RouteEntry[] {
  const reflector = app.get(Reflector);
  return controllerRoutes(app).map((route) => ({
    method: route.method,
    path: route.path,
    controller: route.controller.name,
    handler: route.handlerName,
    policy: declaredPolicy(reflector, [route.handler, route.controller]),
  }));
}
