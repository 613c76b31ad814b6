import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Linter } from 'eslint';
import config from '../eslint.config.js';

/**
 * Lint fixtures through the project's real eslint.config.js: deliberate deep imports across
 * modules and imports against the layer arrows fail `npm run lint`; public entry points pass.
 */
const root = resolve(import.meta.dirname, '..');
const linter = new Linter({ cwd: root, configType: 'flat' });

function architectureErrors(file: string, source: string): string[] {
  return linter
    .verify(source, config, { filename: resolve(root, file) })
    .filter((message) => message.ruleId === 'architecture/layers')
    .map((message) => message.message);
}

describe('architecture lint rule', () => {
  it("fails on a deep import of another module's internals", () => {
    const errors = architectureErrors(
      'src/modules/inventory/services/fixture.ts',
      "import { AuditService } from '../../audit/services/audit.service.js';\nexport const x = AuditService;\n",
    );
    expect(errors).toEqual([
      'import modules/audit through its public entry point modules/audit/index.js (README: Architecture)',
    ]);
  });

  it("passes on another module's index.js and on the module's own files", () => {
    const source = [
      "import { AuditService } from '../../audit/index.js';",
      "import { ProductService } from './product.service.js';",
      "import { Product } from '../entities/product.entity.js';",
      'export const x = [AuditService, ProductService, Product];',
      '',
    ].join('\n');
    expect(architectureErrors('src/modules/inventory/services/fixture.ts', source)).toEqual([]);
  });

  it('fails when infrastructure imports common or a module', () => {
    const source = [
      "import { Public } from '../../common/auth/public.decorator.js';",
      "import { AuditModule } from '../../modules/audit/index.js';",
      'export const x = [Public, AuditModule];',
      '',
    ].join('\n');
    expect(architectureErrors('src/infrastructure/health/fixture.ts', source)).toEqual([
      'infrastructure must not import from common (README: Architecture)',
      'infrastructure must not import from modules (README: Architecture)',
    ]);
  });

  it('fails when common imports a module, and when config imports anything outside config', () => {
    expect(
      architectureErrors(
        'src/common/errors/fixture.ts',
        "export { AuditService } from '../../modules/audit/index.js';\n",
      ),
    ).toEqual(['common must not import from modules (README: Architecture)']);
    expect(architectureErrors('src/config/fixture.ts', "export { newId } from '../common/ids.js';\n")).toEqual([
      'config must not import from common (README: Architecture)',
    ]);
  });

  it('lets the composition root reach a module only through its index.js', () => {
    expect(
      architectureErrors('src/fixture.ts', "export { AuditModule } from './modules/audit/audit.module.js';\n"),
    ).toEqual(['import modules/audit through its public entry point modules/audit/index.js (README: Architecture)']);
    expect(architectureErrors('src/fixture.ts', "export { AuditModule } from './modules/audit/index.js';\n")).toEqual(
      [],
    );
  });
});
