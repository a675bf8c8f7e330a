// Preload (`--import`) that records every module URL the process resolves through the ESM loader, one
// `pid url` line each, into $RECORD_IMPORTS_FILE: lets a test see what a started server has loaded.
import { register } from 'node:module';

if (process.env.RECORD_IMPORTS_FILE) register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS_FILE } });
