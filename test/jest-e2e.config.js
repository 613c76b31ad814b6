import base from '../jest.config.js';

/** End-to-end and integration tests: real HTTP, real MariaDB and Redis. */
export default {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  testTimeout: 60000,
};
