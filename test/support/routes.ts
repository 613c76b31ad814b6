import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { declaredPolicy, type RoutePolicy } from '../../src/common/auth/route-policy.js';

export interface RouteEntry {
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** undefined: the route declares no policy. */
  policy: RoutePolicy | undefined;
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every HTTP route the application registered, read from the controllers' metadata, with the access
 * policy its decorators declare (the same metadata the AccessGuard enforces).
 */
export function appRoutes(app: NestFastifyApplication): RouteEntry[] {
  const reflector = app.get(Reflector);
  const routes: RouteEntry[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const basePaths = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) ?? '/'].flat() as string[];
        for (const base of basePaths) {
          for (const path of paths) {
            routes.push({
              method: RequestMethod[method],
              path: joinPath(base, path),
              controller: controller.name,
              handler: name,
              policy: declaredPolicy(reflector, [handler, controller]),
            });
          }
        }
      }
    }
  }
  return routes;
}
