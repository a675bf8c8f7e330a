// tether-session/client: the browser side — session socket, reconnects, tab sync, live views as Lit controllers.
export { openLiveSocket, openSocketIo, type LiveSocket, type LiveSocketHandlers, type LiveSocketOptions, type TetherClientSocket } from './live-socket.js';
export { LiveBinding, type LiveBindingEvents, type LiveBindingOptions } from './live-binding.js';
export { createTabSync, TAB_CHANNEL, type ChannelLike, type TabMessage, type TabSync } from './tab-sync.js';
export { jitteredBackoff, phoenixBackoff, type Backoff } from './backoff.js';
export { ACTIVITY_EVENTS, createThrottle, realTimers, watchActivity, type Throttle, type Timers } from './activity.js';
export { endOf, expiryPhase, nextPhaseChangeAt, secondsLeft, touchIntervalMs, warningLeadMs, type ExpiryPhase } from './deadlines.js';
export { LiveHub, type LiveViewSocket } from './live-hub.js';
export { LiveHubRequest, LiveViewController, provideLiveHub, type LiveViewControllerOptions } from './live-controller.js';
export { applyChanges, parseEventAck, parseJoinAck, parsePatch, type JoinReply } from './live-wire.js';
export { deadlinesSchema, endedSchema, isEndReason, isHandshakeRefusal, tabMessageSchema, touchAckSchema } from './session-wire.js';
export {
  defineLiveSchemas,
  type LiveEventAck,
  type LiveEventInput,
  type LiveEventName,
  type LiveEventSchemas,
  type LivePatch,
  type LivePatchOf,
  type LiveSchemas,
  type LiveStateOf,
} from '../../shared/live.js';
