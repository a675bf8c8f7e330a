// tether-session/testing: any app on port 0, simulated browsers and typed tabs over the real path, waits.
export { startTestServer, type TestServer, type TestableApp } from './start-test-server.js';
export { startTestCluster, type TestCluster, type TestClusterNode, type TestClusterOptions, type ClusterNodeContext } from './cluster.js';
export { ownRedis, freePort, type OwnRedis } from './own-redis.js';
export { TestBrowser, HandshakeRefused, type TabOptions, type ApiResponse } from './test-browser.js';
export { TestTab, type TabSocket, type ServerEvents, type EventPayload } from './test-tab.js';
export { DEFAULT_ROUTES, type TestBrowserOptions, type TestRoutes } from './browser-options.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { nextEvent, noEvent } from './wait.js';
