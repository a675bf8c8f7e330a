// Every scenario, in the order a run takes them.
import type { Scenario } from '../scenario.js';
import { handshakeScenario } from './handshake.js';
import { logoutScenario } from './logout.js';
import { touchScenario } from './touch.js';
import { heapScenario } from './heap.js';
import { expiryScenario } from './expiry.js';
import { capacityScenario } from './capacity.js';
import { crossNodeScenario } from './cross-node.js';

export const SCENARIOS: readonly Scenario[] = [handshakeScenario, logoutScenario, touchScenario, heapScenario, expiryScenario, capacityScenario, crossNodeScenario];
