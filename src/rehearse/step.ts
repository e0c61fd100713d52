// One upgrade step, measured by folding the LabStates the rehearsal observes.
// Pure: `observeStep(progress, state)` returns a new progress; times come from
// the state (its events' own timestamps), never from the clock, except `now`
// in `stepPassed`, which the caller passes in.

import type { NodeName } from '../base/names.js';
import {
	type DiagnosisTracker,
	diagnosesOf,
	diagnosisNote,
	initialDiagnosisTracker,
	trackDiagnoses,
} from '../observe/diagnoses.js';
import type { LabState, ProbeState } from '../observe/state.js';
import { evaluateNode, type NodeGates } from './gates.js';
import type { GateSettings, StepRecord, StopSignal } from './types.js';

export interface StepProgress {
	record: StepRecord;
	/** Gates as of the last observed state (after the new process appeared). */
	gates: NodeGates | null;
	upgradeIssuedAt: number | null;
	healthStreakStart: number | null;
	lastHealthOk: boolean | null;
	prevLeaders: {
		meta: NodeName | null;
		streams: Record<string, NodeName>;
		consumers: Record<string, NodeName>;
	};
	leaderlessSince: { meta: number | null; streams: Record<string, number> };
	disconnectsAtStart: number;
	streams: string[];
	/**
	 * Each stream's position when the new process appeared. A stream snapshot keeps the replica
	 * list of the last poll, taken maybe before the restart, so "current" only counts from a
	 * snapshot that has moved on since (the rehearsal's publisher keeps the stream growing).
	 */
	streamMarks: Record<string, number> | null;
	/** Named server conditions (a one-way route, a stuck replica), for a failure to name them. */
	diagnosis: DiagnosisTracker;
}

function streamPosition(state: LabState, stream: string): number {
	const s = state.cluster.streams[stream];
	return s ? (s.lastSeq ?? s.messages) : -1;
}

export function probeDisconnects(p: ProbeState): number {
	return p.gaps.length + (p.disconnectedAt !== null ? 1 : 0);
}

function totalDisconnects(state: LabState): number {
	return Object.values(state.clients.probes).reduce((sum, p) => sum + probeDisconnects(p), 0);
}

function leadersOf(record: Record<string, { leader: NodeName | null }>): Record<string, NodeName> {
	const out: Record<string, NodeName> = {};
	for (const [name, s] of Object.entries(record)) if (s.leader !== null) out[name] = s.leader;
	return out;
}

export function startStep(
	state: LabState,
	step: { node: NodeName; toVersion: string; signal: StopSignal; actionAt: number; streams: string[] },
): StepProgress {
	const n = state.cluster.nodes[step.node];
	const meta = state.cluster.meta.leader;
	return {
		record: {
			node: step.node,
			fromVersion: n?.version ?? null,
			toVersion: step.toVersion,
			signal: step.signal,
			wasMetaLeader: meta === step.node,
			oldPid: n?.pid ?? null,
			actionAt: step.actionAt,
			exitedAt: null,
			exit: null,
			spawnedAt: null,
			newPid: null,
			meshAt: null,
			metaLeaderAt: null,
			replicaCurrentAt: null,
			healthySince: null,
			passedAt: null,
			healthFlaps: 0,
			leaderChanges: { meta: 0, streams: 0, consumers: 0 },
			metaLeaderlessMs: 0,
			streamLeaderlessMs: 0,
			clientDisconnects: 0,
			failure: null,
		},
		gates: null,
		upgradeIssuedAt: null,
		healthStreakStart: null,
		lastHealthOk: null,
		prevLeaders: {
			meta,
			streams: leadersOf(state.cluster.streams),
			consumers: leadersOf(state.cluster.consumers),
		},
		leaderlessSince: { meta: null, streams: {} },
		disconnectsAtStart: totalDisconnects(state),
		streams: step.streams,
		streamMarks: null,
		diagnosis: trackDiagnoses(initialDiagnosisTracker(), state),
	};
}

/** The runner asks for the new binary now (the spawn time when the state only shows the node up). */
export function noteUpgradeIssued(p: StepProgress, at: number): StepProgress {
	return { ...p, upgradeIssuedAt: at };
}

function trackLeaders(p: StepProgress, state: LabState): StepProgress {
	const rec = { ...p.record, leaderChanges: { ...p.record.leaderChanges } };
	const prev = {
		meta: p.prevLeaders.meta,
		streams: { ...p.prevLeaders.streams },
		consumers: { ...p.prevLeaders.consumers },
	};
	const since = { meta: p.leaderlessSince.meta, streams: { ...p.leaderlessSince.streams } };

	const meta = state.cluster.meta;
	if (meta.leader === null) {
		since.meta ??= meta.since;
	} else {
		if (since.meta !== null) rec.metaLeaderlessMs = Math.max(rec.metaLeaderlessMs, meta.since - since.meta);
		since.meta = null;
		if (meta.leader !== prev.meta) rec.leaderChanges.meta++;
		prev.meta = meta.leader;
	}
	for (const [name, s] of Object.entries(state.cluster.streams)) {
		if (s.leader === null) {
			since.streams[name] ??= s.leaderSince ?? state.now;
			continue;
		}
		const lostAt = since.streams[name];
		if (lostAt !== undefined) {
			rec.streamLeaderlessMs = Math.max(rec.streamLeaderlessMs, (s.leaderSince ?? state.now) - lostAt);
			delete since.streams[name];
		}
		if (prev.streams[name] !== undefined && prev.streams[name] !== s.leader) rec.leaderChanges.streams++;
		prev.streams[name] = s.leader;
	}
	for (const [name, c] of Object.entries(state.cluster.consumers)) {
		if (c.leader === null) continue;
		if (prev.consumers[name] !== undefined && prev.consumers[name] !== c.leader)
			rec.leaderChanges.consumers++;
		prev.consumers[name] = c.leader;
	}
	return { ...p, record: rec, prevLeaders: prev, leaderlessSince: since };
}

function trackProcess(p: StepProgress, state: LabState): StepProgress {
	const n = state.cluster.nodes[p.record.node];
	if (!n) return p;
	const rec = { ...p.record };
	const replaced = n.pid !== null && n.pid !== rec.oldPid;
	if (rec.exitedAt === null) {
		const exitedNow = n.exit !== null && n.exit.at >= rec.actionAt;
		if (exitedNow || replaced || n.process === 'down' || n.process === 'exited') {
			rec.exitedAt = exitedNow && n.exit ? n.exit.at : state.now;
			rec.exit = n.exit ? { code: n.exit.code, signal: n.exit.signal } : null;
		}
	}
	let marks = p.streamMarks;
	if (rec.spawnedAt === null && replaced && (n.process === 'starting' || n.process === 'up')) {
		rec.newPid = n.pid;
		rec.spawnedAt = n.process === 'starting' ? n.since : (p.upgradeIssuedAt ?? n.since);
		marks = Object.fromEntries(p.streams.map((s) => [s, streamPosition(state, s)]));
	}
	return { ...p, record: rec, streamMarks: marks };
}

function trackGates(p: StepProgress, state: LabState): StepProgress {
	const rec = { ...p.record };
	if (rec.spawnedAt === null || rec.passedAt !== null) return p;
	const n = state.cluster.nodes[rec.node];
	if (!n || n.pid !== rec.newPid) return p;
	const gates = evaluateNode(state, rec.node, { version: rec.toVersion, streams: p.streams });
	const stale = p.streams.filter((s) => streamPosition(state, s) === p.streamMarks?.[s]);
	if (gates.replicaCurrent && stale.length > 0) {
		gates.replicaCurrent = false;
		gates.missing.push(`no snapshot of ${stale.join(', ')} since the restart yet`);
	}
	const at = Math.max(state.now, rec.spawnedAt);
	if (gates.mesh && rec.meshAt === null) rec.meshAt = at;
	if (gates.metaLeader && rec.metaLeaderAt === null) rec.metaLeaderAt = at;
	if (gates.replicaCurrent && rec.replicaCurrentAt === null) rec.replicaCurrentAt = at;

	let streak = p.healthStreakStart;
	if (gates.healthOk && n.health) {
		streak ??= Math.max(n.health.since, rec.spawnedAt);
	} else {
		if (p.lastHealthOk === true && n.health && !n.health.ok) rec.healthFlaps++;
		streak = null;
	}
	const lastHealthOk = n.health ? n.health.ok : p.lastHealthOk;
	return { ...p, record: rec, gates, healthStreakStart: streak, lastHealthOk };
}

export function observeStep(p: StepProgress, state: LabState): StepProgress {
	let next = trackLeaders(p, state);
	next = trackProcess(next, state);
	next = trackGates(next, state);
	const disconnects = Math.max(0, totalDisconnects(state) - p.disconnectsAtStart);
	const diagnosis = trackDiagnoses(p.diagnosis, state);
	// Said while the gate still waits (the progress line), not only when it gives up.
	const named = next.gates ? diagnosesOf(diagnosis).map((d) => `${d.kind} on ${d.node} (${d.hint})`) : [];
	const gates =
		next.gates && named.length > 0
			? { ...next.gates, missing: [...next.gates.missing, ...named] }
			: next.gates;
	return { ...next, gates, diagnosis, record: { ...next.record, clientDisconnects: disconnects } };
}

/** Every gate holds now, and /healthz has been ok for at least `stableMs`. */
export function stepPassed(p: StepProgress, now: number, settings: Pick<GateSettings, 'stableMs'>): boolean {
	const g = p.gates;
	if (!g || p.healthStreakStart === null) return false;
	const all = g.up && g.onVersion && g.mesh && g.metaLeader && g.replicaCurrent && g.healthOk;
	return all && now - p.healthStreakStart >= settings.stableMs;
}

export function markPassed(p: StepProgress, now: number): StepProgress {
	return { ...p, record: { ...p.record, passedAt: now, healthySince: p.healthStreakStart } };
}

/** Close the step's open intervals (a leader still missing when the step ends); a failure names the diagnoses. */
export function finishStep(p: StepProgress, now: number, failure: StepRecord['failure'] = null): StepRecord {
	const found = failure ? diagnosesOf(p.diagnosis, now).map(diagnosisNote) : [];
	const named = failure && found.length > 0 ? { ...failure, diagnoses: found } : failure;
	const rec = { ...p.record, failure: named ?? p.record.failure };
	if (p.leaderlessSince.meta !== null)
		rec.metaLeaderlessMs = Math.max(rec.metaLeaderlessMs, now - p.leaderlessSince.meta);
	for (const lostAt of Object.values(p.leaderlessSince.streams)) {
		rec.streamLeaderlessMs = Math.max(rec.streamLeaderlessMs, now - lostAt);
	}
	return rec;
}
