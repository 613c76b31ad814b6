import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';
import type { RouteEntry } from './routes.js';

/** A field of a route's `@Body()` or `@Query()` DTO, read from class-validator's metadata. */
export interface InputField {
  name: string;
  /** Validated as an integer or a number (or bounded by min/max): junk numbers must be refused. */
  numeric: boolean;
}

export interface RouteInputs {
  body: InputField[] | undefined;
  query: InputField[] | undefined;
}

const NUMERIC_CONSTRAINTS = new Set(['isInt', 'isNumber', 'min', 'max', 'isPositive', 'isNegative', 'isNumberString']);

function dtoFields(type: unknown): InputField[] | undefined {
  if (typeof type !== 'function' || type === Object || type === String || type === Number) return undefined;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const fields = new Map<string, InputField>();
  for (const entry of metadata) {
    const field = fields.get(entry.propertyName) ?? { name: entry.propertyName, numeric: false };
    if (entry.name !== undefined && NUMERIC_CONSTRAINTS.has(entry.name)) field.numeric = true;
    fields.set(entry.propertyName, field);
  }
  return [...fields.values()];
}

/**
 * For each route of the route table (appRoutes), the DTO fields of its body and query, so that a
 * hostile-input suite can aim at every declared input of every route, including routes added later.
 */
export function routeInputs(app: NestFastifyApplication, route: RouteEntry): RouteInputs {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller || controller.name !== route.controller) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, route.handler) ?? {}) as Record<
        string,
        { index: number; data?: unknown }
      >;
      const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype as object, route.handler) ??
        []) as unknown[];
      const inputs: RouteInputs = { body: undefined, query: undefined };
      for (const [key, arg] of Object.entries(args)) {
        const kind = Number(key.split(':')[0]);
        // A whole-DTO argument (`@Body() body: Dto`), not a single field (`@Query('x')`).
        if (arg.data !== undefined) continue;
        if (kind === RouteParamtypes.BODY) inputs.body = dtoFields(types[arg.index]);
        if (kind === RouteParamtypes.QUERY) inputs.query = dtoFields(types[arg.index]);
      }
      return inputs;
    }
  }
  return { body: undefined, query: undefined };
}
