// Vitest: the whole suite (unit, socket-level integration, browser, cluster) in one run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/client for the browser tests when it is missing or stale (a few ms otherwise).
    globalSetup: ['tests/browser/global-setup.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more workers only fight over them and make socket timing noisy.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
