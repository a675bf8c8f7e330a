// The socket-level test kit: a real server on port 0, simulated browsers, typed tabs, waits.
export { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';
export { TestBrowser, TestTab, HandshakeRefused, type TabSocket, type TabOptions, type ApiResponse } from './test-browser.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { nextEvent, noEvent } from './wait.js';
