// `npm run admin -- …`: the operators' command against this dashboard's nodes (same variables as `npm start`).
import { adminMain } from './admin/main.js';
import { openAccounts } from './admin-accounts.js';
import { ConfigError, parseConfig } from './config.js';

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`tether-session-admin: ${error.message}\n`);
  process.exit(2);
}

process.exitCode = await adminMain({
  argv: process.argv.slice(2),
  target: { sessionStore: config.sessionStore, redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, idleTimeoutMs: config.idleTimeoutMs, absoluteTimeoutMs: config.absoluteTimeoutMs },
  accounts: () => openAccounts(process.env),
});
