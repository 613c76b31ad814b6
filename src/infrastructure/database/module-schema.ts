/**
 * What a module owns in the database: its entity classes and the migrations that create them.
 * Each module exports one from `<module>.schema.ts`; the composition root (src/schema.ts)
 * concatenates them, so infrastructure never imports a module.
 */
export interface ModuleSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own element type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** One schema out of many: TypeORM orders migrations by their timestamp, not by list order. */
export function mergeSchemas(schemas: readonly ModuleSchema[]): ModuleSchema {
  return {
    entities: schemas.flatMap((schema) => schema.entities),
    migrations: schemas.flatMap((schema) => schema.migrations),
  };
}
