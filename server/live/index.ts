// tether-session/live: server-owned live views over the session's sockets (mount, events, topic messages, patches).
export { createLiveRuntime, liveRoom, sessionTopic, type LiveRuntime, type LiveRuntimeOptions } from './runtime.js';
export { createTopics, type Topics, type TopicListener } from './topics.js';
export type { AnyLiveView, Changes, LiveContext, LiveView } from './types.js';
