import { defineConfig } from 'vitest/config'
import { assertSupportedNode } from './scripts/node-version.js'

// The tests run on the Node.js the project supports (npm scripts and npx use the project's own).
assertSupportedNode()

export default defineConfig({
  test: {
    // Each integration file opens its own database; two at a time suits a two-core machine.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
