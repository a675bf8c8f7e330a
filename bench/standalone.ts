// A baseline as its own program, started the way a plain app starts (`node file.js`), for the
// startup and idle-memory figures: `node bench/.build/standalone.js plain|recipe` on $PORT.
import type { RunningServer } from './baselines/running.js';

async function main(): Promise<void> {
  const kind = process.argv[2];
  const port = Number(process.env.PORT ?? 0);
  let server: RunningServer;
  if (kind === 'plain') server = await (await import('./baselines/plain.js')).startPlain(port);
  else if (kind === 'recipe') server = await (await import('./baselines/recipe.js')).startRecipe(port);
  else throw new Error(`standalone: expected plain or recipe, not ${String(kind)}`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`standalone: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
