import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** One HTTP route a Nest controller declares: where it is served and which method serves it. */
export interface ControllerRoute {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The full path as Fastify registers it, e.g. `/api/v1/products/:id`. */
  readonly path: string;
  readonly controller: new (...args: never[]) => unknown;
  readonly handlerName: string;
  /** The controller method itself (its decorators' metadata lives on it). */
  readonly handler: (...args: never[]) => unknown;
  /** The controller instance the application built. */
  readonly instance: unknown;
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** `GET /api/v1/products/:id`: how routes are looked up by what Fastify registers. */
export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/**
 * Every route the application's controllers declare, read once from their metadata (no global
 * prefix or versioning is used here: the path is the controller's path joined with the method's).
 */
export function controllerRoutes(app: INestApplicationContext): ControllerRoute[] {
  const routes: ControllerRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as ControllerRoute['controller'] | undefined;
      if (!controller) continue;
      const basePaths = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
      const prototype = controller.prototype as Record<string, unknown>;
      for (const handlerName of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[handlerName];
        if (handlerName === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) ?? '/'].flat() as string[];
        for (const base of basePaths) {
          for (const path of paths) {
            routes.push({
              method: RequestMethod[method],
              path: joinPath(base, path),
              controller,
              handlerName,
              handler: handler as ControllerRoute['handler'],
              instance: wrapper.instance,
            });
          }
        }
      }
    }
  }
  return routes;
}
