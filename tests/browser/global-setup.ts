// Vitest global setup: builds the client once before any test file runs (the browser tests serve
// dist/client), and only when it is missing or older than its sources: otherwise a few ms.
import { ensureClient } from '../../scripts/ensure-client.js';

export default async function setup(): Promise<void> {
  if (await ensureClient()) console.log('global setup: client built into dist/client');
}
