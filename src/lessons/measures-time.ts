// Measurements of time between two named events (docs/measurements.md): the step's action →
// a wait's evidence or the gate passing; one server log line → another; the action → the first
// JetStream ack after it; a node's /healthz changes.

import { formatMs } from '../base/format.js';
import { probe } from '../observe/client-selectors.js';
import { node } from '../observe/selectors.js';
import type { MeasureFn } from './measures-kit.js';

export const duration: MeasureFn<'duration'> = (_state, s, ctx) => {
	const from = ctx.actionAt ?? ctx.startedAt;
	if (s.until === 'all-waits') {
		// The gate passed when the last wait held (a steady one for its whole period): natslab's own clock.
		const ms = Math.max(0, ctx.metAt - from);
		return { text: formatMs(ms), value: ms };
	}
	const evidence = ctx.waitAt[s.wait];
	// Evidence times come from server log timestamps; fall back to our clock if they look off.
	const end =
		evidence !== undefined && evidence >= from - 50 && evidence <= ctx.metAt + 50 ? evidence : ctx.metAt;
	const ms = Math.max(0, end - from);
	return { text: formatMs(ms), value: ms };
};

/**
 * The first line containing `from` (on `node`) since the step began → the first line containing `to`
 * at or after it, both by the servers' own timestamps. Without `from`: the step's action → that line.
 */
export const logInterval: MeasureFn<'log-interval'> = (state, s, ctx) => {
	const action = ctx.actionAt ?? ctx.startedAt;
	const start = s.from
		? state.logs.find(
				(l) => l.at >= ctx.startedAt - 50 && (!s.node || l.node === s.node) && l.raw.includes(s.from ?? ''),
			)
		: null;
	if (s.from && !start) return { text: `(no line containing “${s.from}” yet)` };
	const from = start?.at ?? action;
	const end = state.logs.find((l) => l.at >= from && l.id !== start?.id && l.raw.includes(s.to));
	if (!end) return { text: `(no line containing “${s.to}” yet)` };
	const ms = end.at - from;
	const where = start ? `${start.node}'s log → ${end.node}'s log` : `→ ${end.node}'s log`;
	return { text: `${formatMs(ms)} (${where})`, value: ms, node: end.node };
};

/**
 * The step's action → the first counters report that shows a JetStream ack ending a run of failures
 * (the probe's `ackedAgainAt`, recorded by the reducer; reports come every 0.5 s). If publishes were
 * not failing at the action and did not fail after it, they never stopped.
 */
export const jsAcksAgain: MeasureFn<'js-acks-again'> = (state, _s, ctx) => {
	const from = ctx.actionAt ?? ctx.startedAt;
	const pub = probe(state, 'js-pub');
	const again = pub?.ackedAgainAt?.find((at) => at >= from);
	if (again !== undefined) {
		const ms = Math.max(0, again - from);
		return { text: formatMs(ms), value: ms };
	}
	if (!pub) return { text: 'no JetStream publisher' };
	if (pub.failingSince != null) return { text: 'not acked again yet' };
	return { text: 'acks never stopped', value: 0 };
};

export const healthHistory: MeasureFn<'health-history'> = (state, s, ctx) => {
	const from = ctx.actionAt ?? ctx.startedAt;
	const entries = state.timeline.filter((e) => e.kind === 'health' && e.node === s.node && e.at >= from);
	const h = node(state, s.node)?.health;
	const steps = entries.map((e) => `${e.text} (+${formatMs(e.at - from)})`);
	if (steps.length === 0) steps.push(h ? `${h.status}${h.ok ? ' ok' : ` ${h.error ?? ''}`}` : 'not polled');
	return { text: steps.join(' → '), value: entries.length, node: s.node };
};

export const nodeExit: MeasureFn<'node'> = (state, s, ctx) => {
	const n = node(state, s.node);
	if (!n) return { text: `${s.node} unknown` };
	const from = ctx.actionAt ?? ctx.startedAt;
	if (n.exit && n.exit.at >= from) {
		const how = n.exit.signal ? `signal ${n.exit.signal}` : `code ${n.exit.code}`;
		return {
			text: `${s.node} exited (${how}) ${formatMs(n.exit.at - from)} after the action`,
			value: n.exit.at - from,
			node: s.node,
		};
	}
	return { text: `${s.node} ${n.process}${n.version ? ` on ${n.version}` : ''}`, node: s.node };
};
