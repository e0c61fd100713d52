// Turning a step's `action` into what natslab does (Lab.act, the verifier,
// probe changes, the core reach check) and into the words the learner reads.

import type { ActionSource, NodeName, NodeOp } from '../base/names.js';
import type { LinkOp } from '../cluster/links/table.js';
import type { Lab } from '../lab/types.js';
import type { ProbeSpec } from '../probes/spec.js';
import type { ActionSpec } from './schema.js';

const OPS: Record<string, NodeOp> = {
	restart: 'restart',
	stop: 'stop',
	start: 'start',
	kill: 'kill',
	'lame-duck': 'ldm',
	pause: 'pause',
	resume: 'resume',
	upgrade: 'upgrade',
};

/** "restart n3", "put n3 into lame duck mode", "run the verifier". */
export function actionText(
	a: ActionSpec,
	node: NodeName | null,
	upgradeTo: string | null,
	peer: NodeName | null = null,
): string {
	const n = node ?? '?';
	const link = `${n}–${peer ?? '?'}`;
	switch (a.do) {
		case 'restart':
			return `restart ${n} (SIGTERM, then start it again)`;
		case 'stop':
			return `stop ${n} (SIGTERM)`;
		case 'start':
			return `start ${n}`;
		case 'kill':
			return `kill ${n} (SIGKILL)`;
		case 'lame-duck':
			return `put ${n} into lame duck mode`;
		case 'pause':
			return `freeze ${n} (SIGSTOP)`;
		case 'resume':
			return `resume ${n} (SIGCONT)`;
		case 'upgrade':
			return `start ${n} on nats-server ${a.to ?? upgradeTo ?? '?'}`;
		case 'verify':
			return 'run the verifier (every acked message must be in the stream)';
		case 'probes':
			return `restart the clients with ${describeProbes(a.probes ?? [])}`;
		case 'stop-probes':
			return 'stop the clients';
		case 'isolate':
			return `cut every link of ${n} (a network partition: its traffic is held, not refused)`;
		case 'heal':
			return `heal every link of ${n}`;
		case 'cut-link':
			return `cut the link ${link}`;
		case 'delay-link':
			return `delay the link ${link} by ${a.delay ?? 0} ms${a.drop ? ` and drop ${a.drop}%` : ''}`;
		case 'heal-link':
			return `heal the link ${link}`;
		case 'core-reach':
			return `check core NATS from ${n}: a client on ${n} publishes, one subscriber on each node counts`;
	}
}

/** The link change a link action asks the lab's proxies for (null for other actions). */
export function linkOpFor(a: ActionSpec, node: NodeName | null, peer: NodeName | null): LinkOp | null {
	if (!node) return null;
	switch (a.do) {
		case 'isolate':
			return { op: 'isolate', node };
		case 'heal':
			return { op: 'heal', node };
		case 'cut-link':
			return peer ? { op: 'cut', a: node, b: peer } : null;
		case 'delay-link':
			return peer ? { op: 'delay', a: node, b: peer, delayMs: a.delay ?? 0, dropPercent: a.drop ?? 0 } : null;
		case 'heal-link':
			return peer ? { op: 'heal-link', a: node, b: peer } : null;
		default:
			return null;
	}
}

export function describeProbes(specs: ActionSpec['probes'] & {}): string {
	return specs
		.map((p) => {
			if (typeof p === 'string') return `${p} (defaults)`;
			const opts = Object.entries(p.options ?? {}).map(([k, v]) => `${k}: ${v}`);
			const consume = p.consume ? [`consume(${describeConsume(p.consume)})`] : [];
			const all = [...opts, ...consume];
			return `${p.kind}${all.length ? ` { ${all.join(', ')} }` : ''}`;
		})
		.join(' and ');
}

/** "defaults" or "expires 5000 ms, idleHeartbeat 1000 ms". */
function describeConsume(c: { expires?: number; idleHeartbeat?: number }): string {
	const set = Object.entries(c).map(([k, v]) => `${k} ${v} ms`);
	return set.length > 0 ? set.join(', ') : 'nats.js defaults';
}

export function toProbeSpecs(specs: ActionSpec['probes'] & {}): ProbeSpec[] {
	return specs.map((p) =>
		typeof p === 'string'
			? { kind: p }
			: { kind: p.kind, rate: p.rate, options: p.options, ...(p.consume ? { consume: p.consume } : {}) },
	);
}

/** Performs one action. Resolves once the signal was sent / process spawned / verifier ran. */
export async function performAction(
	lab: Lab,
	a: ActionSpec,
	node: NodeName | null,
	by: ActionSource,
	peer: NodeName | null = null,
): Promise<void> {
	const linkOp = linkOpFor(a, node, peer);
	if (linkOp) {
		if (!lab.changeLinks)
			throw new Error('this lab routes directly between its servers (the lesson needs links: proxied)');
		await lab.changeLinks(linkOp, by);
		return;
	}
	switch (a.do) {
		case 'verify':
			await lab.verify();
			return;
		case 'probes':
			await lab.stopProbes();
			await lab.startProbes(toProbeSpecs(a.probes ?? []));
			return;
		case 'stop-probes':
			await lab.stopProbes();
			return;
		case 'core-reach':
			if (!lab.checkCoreReach) throw new Error('this lab cannot run the core reach check');
			if (!node) throw new Error('core-reach has no node');
			await lab.checkCoreReach(node);
			return;
		default: {
			const op = OPS[a.do];
			if (!op || !node) throw new Error(`action ${a.do} has no node`);
			await lab.act(
				op === 'upgrade'
					? { op, node, toVersion: a.to ?? lab.versions.upgradeTo ?? undefined }
					: { op, node },
				by,
			);
		}
	}
}
