// What the setup view shows while the Lab starts: binaries (cached, or being
// downloaded with progress), notices, nodes starting, the first meta leader.
// Folded from the Lab's SetupEvents by a pure reducer.

import type { NodeName } from '../base/names.js';
import type { SetupEvent } from '../lab/types.js';

export interface BinaryProgress {
	phase: 'waiting' | 'cached' | 'downloading' | 'verifying' | 'ready';
	received?: number;
	total?: number | null;
	bytesPerSec?: number;
	source?: string;
}

export interface SetupState {
	binaries: Record<string, BinaryProgress>;
	binaryOrder: string[];
	nodes: Record<NodeName, { phase: 'starting' | 'up' | 'failed'; detail?: string }>;
	nodeOrder: NodeName[];
	metaLeader: NodeName | null;
	/** Newest last, bounded. */
	notices: string[];
}

const MAX_NOTICES = 5;

export function initialSetupState(versions: readonly string[]): SetupState {
	const unique = [...new Set(versions)];
	return {
		binaries: Object.fromEntries(unique.map((v) => [v, { phase: 'waiting' as const }])),
		binaryOrder: unique,
		nodes: {},
		nodeOrder: [],
		metaLeader: null,
		notices: [],
	};
}

export function reduceSetup(state: SetupState, event: SetupEvent): SetupState {
	switch (event.type) {
		case 'binary': {
			const order = state.binaryOrder.includes(event.version)
				? state.binaryOrder
				: [...state.binaryOrder, event.version];
			const prev = state.binaries[event.version];
			const next: BinaryProgress = { ...prev, phase: event.phase };
			if (event.progress) {
				next.received = event.progress.received;
				next.total = event.progress.total;
				next.bytesPerSec = event.progress.bytesPerSec;
				next.source = event.progress.source;
			}
			return { ...state, binaryOrder: order, binaries: { ...state.binaries, [event.version]: next } };
		}
		case 'notice':
			return { ...state, notices: [...state.notices, event.text].slice(-MAX_NOTICES) };
		case 'node': {
			const order = state.nodeOrder.includes(event.node) ? state.nodeOrder : [...state.nodeOrder, event.node];
			const entry =
				event.detail === undefined ? { phase: event.phase } : { phase: event.phase, detail: event.detail };
			return { ...state, nodeOrder: order, nodes: { ...state.nodes, [event.node]: entry } };
		}
		case 'metaLeader':
			return { ...state, metaLeader: event.node };
	}
}
