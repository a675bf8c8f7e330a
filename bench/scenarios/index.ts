// Every scenario, in the order a run takes them: the one-tab ones, then the many-tab ones.
import type { Scenario } from '../scenario.js';
import { handshakeScenario } from './handshake.js';
import { logoutScenario } from './logout.js';
import { touchScenario } from './touch.js';
import { heapScenario } from './heap.js';
import { expiryScenario } from './expiry.js';
import { capacityScenario } from './capacity.js';
import { crossNodeScenario } from './cross-node.js';
import { tabHandshakeScenario } from './tab-handshake.js';
import { tabTouchScenario } from './tab-touch.js';
import { rssScenario } from './rss.js';
import { startupScenario } from './startup.js';
import { stormScenario } from './storm.js';

export const SCENARIOS: readonly Scenario[] = [
  handshakeScenario,
  logoutScenario,
  touchScenario,
  heapScenario,
  expiryScenario,
  capacityScenario,
  crossNodeScenario,
  tabHandshakeScenario,
  tabTouchScenario,
  rssScenario,
  startupScenario,
  stormScenario,
];
