// A second process that answers every message on one Redis channel with a message on another:
// the bench times a message that crosses Redis to another process and back, as a node's
// announcement does (publish → Redis → another process's subscriber). Usage: <redisUrl> <prefix>
import { createClient } from 'redis';

async function main(): Promise<void> {
  const [url, prefix] = process.argv.slice(2);
  if (!url || !prefix) throw new Error('usage: redis-relay <redisUrl> <prefix>');
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(`${prefix}relay:in`, (message) => void pub.publish(`${prefix}relay:out`, message));
  process.send?.('ready');
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`redis-relay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
