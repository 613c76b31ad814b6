// Regenerates src/metadata.ts: the Swagger plugin's DTO and route metadata as plain code, so the OpenAPI
// document is complete where the compiler plugin does not run (jest with swc). `npm run build` runs it.
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
new PluginMetadataGenerator().generate({
  visitors: [
    new ReadonlyVisitor({
      introspectComments: true,
      classValidatorShim: true,
      dtoFileNameSuffix: ['.dto.ts'],
      pathToSource: `${root}src`,
    }),
  ],
  outputDir: `${root}src`,
  tsconfigPath: 'tsconfig.build.json',
  filename: 'metadata.ts',
  printDiagnostics: false,
});
