/** Unit specs beside the code. Native ESM: run through `npm test`, which sets --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/eslint'],
  testRegex: '\\.spec\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.(t|j)s$': '@swc/jest' },
  // CJS packages that require() ESM-only deps: jest on Node 20 cannot load those untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
};
