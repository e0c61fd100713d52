// Measures for a partition: a replica as another node reports it (lag and
// whether it is current), the meta leader each node itself names, natslab's core
// reach check; and the consumer probe's longest stall (lesson 11).
// docs/measurements.md defines them.

import { formatMs } from '../base/format.js';
import { probe } from '../observe/client-selectors.js';
import { coreReachText, crossedCount } from '../observe/reduce-core-reach.js';
import { isUp, mainStream, node } from '../observe/selectors.js';
import type { MeasureFn } from './measures-kit.js';

/** The stream's replica on `node` at the step's end, from the /jsz view the lab last took of the stream. */
export const replica: MeasureFn<'replica'> = (state, s) => {
	const st = mainStream(state);
	if (!st) return { text: 'no stream seen' };
	const r = st.replicas.find((x) => x.name === s.node);
	// Another node's view first: a cut-off former leader may still claim the stream in its own.
	if (!r || st.viewFrom === s.node) {
		if (st.leader === s.node) return { text: `${s.node} leads ${st.name}`, value: 0, node: s.node };
		if (!r) return { text: `${s.node} has no replica of ${st.name} in ${st.viewFrom ?? 'the'} view` };
	}
	const how = r.offline ? 'offline' : r.current ? 'current' : 'not current';
	return {
		text: `${s.node}: ${r.lag} messages behind, ${how} (as ${st.viewFrom ?? '?'}'s /jsz reports it)`,
		value: r.lag,
		node: s.node,
	};
};

/** Each running node's own word: the meta leader its last /jsz answer names ("n1 → n1 · n3 → none"). */
export const metaViews: MeasureFn<'meta-views'> = (state) => ({
	text: state.cluster.order
		.filter((n) => isUp(state, n))
		.map((n) => `${n} → ${node(state, n)?.metaView?.metaLeader ?? 'none'}`)
		.join(' · '),
});

/** The consumer probe's longest time between two deliveries since it started (ReceivedCounts.maxGapMs). */
export const consumerGap: MeasureFn<'consumer-gap'> = (state) => {
	const p = probe(state, 'js-consumer');
	if (!p) return { text: 'no JetStream consumer running' };
	return { text: formatMs(p.maxGapMs), value: p.maxGapMs };
};

/** natslab's newest core reach check: what each node's subscriber got; the value is what crossed to other nodes. */
export const coreReach: MeasureFn<'core-reach'> = (state) => {
	const r = state.coreReach?.at(-1);
	if (!r) return { text: 'no core reach check ran' };
	return { text: coreReachText(r), value: crossedCount(r), node: r.from };
};
