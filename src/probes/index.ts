// Live nats.js v3 clients that measure what a restart, a lame duck or an upgrade
// does to applications. Everything they learn goes out as ClientEvents.

export { classifyJsError, describeJsError } from './classify.js';
export { checkCoreReach } from './core-reach.js';
export { createProbeHub, DEFAULT_RATES, type ProbeHub, type ProbeHubOptions } from './hub.js';
export { ensureLabStream, LAB_SUBJECTS } from './lab-stream.js';
export { stepDownConsumerLeader } from './stepdown.js';
