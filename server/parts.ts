// What the dashboard is composed of once built: handed to its live views and to callers' `extend`.
import type { Express } from 'express';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Metrics } from './ops/metrics.js';
import type { ActivityRecorder } from './activity/recorder.js';
import type { Stores } from './stores.js';
import type { TetherExpress } from './express/index.js';
import type { Clock, SessionLifecycle } from './sessions/index.js';
import type { TetherServer, TetherSocketIO } from './socketio/index.js';

export interface TetherParts {
  app: Express;
  io: TetherServer;
  lifecycle: SessionLifecycle;
  sessions: TetherExpress;
  sockets: TetherSocketIO;
  stores: Stores;
  config: Config;
  clock: Clock;
  log: Logger;
  /** True when the Socket.IO adapter spans several nodes. */
  clustered: boolean;
  metrics: Metrics;
  /** The activity history (record, page, prune). */
  activity: ActivityRecorder;
}

