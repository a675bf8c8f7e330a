// Vitest global setup for the browser tests: checks once for Chromium (one line when it is missing,
// however many browser test files there are) and builds the client they serve when it is missing
// or older than its sources (a few ms otherwise).
import type { TestProject } from 'vitest/node';
import { ensureClient } from '../../scripts/ensure-client.js';
import { missingServicesLine, servicesRequired } from '../support/services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the browser tests cannot run here, or null. */
    browserTestsMissing: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const missing = await missingServicesLine('tests/browser', ['chromium']);
  project.provide('browserTestsMissing', missing);
  // Required but missing: each browser test file fails with the line (the rest of the run goes on).
  if (missing !== null) {
    if (!servicesRequired()) console.warn(`skipped ${missing}`);
    return;
  }
  if (await ensureClient()) console.log('global setup: client built into dist/client');
}
