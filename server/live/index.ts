// tether-session/live: server-owned live views over the session's sockets (mount, events, topic messages, patches).
export { createLiveRuntime, liveRoom, sessionTopic, type LiveRuntime, type LiveRuntimeOptions } from './runtime.js';
export { createTopics, type Topics, type TopicListener } from './topics.js';
export { defineLiveView } from './define.js';
export type { AnyLiveView, Changes, LiveContext, LiveView, LiveViewHandlers } from './types.js';
export {
  defineLiveSchemas,
  type LiveSchemas,
  type LiveStateOf,
  type LiveEventName,
  type LiveEventInput,
  type LiveEventOf,
  type LiveEventSchemas,
  type LivePatchOf,
} from '../../shared/live.js';
