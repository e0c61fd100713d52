// May this server be taken down now? A pure function of every server's
// normalised monitoring answers (gather.ts reads them). Safe means: the meta
// group keeps its quorum, every stream and consumer with a replica on the
// target keeps a quorum of current replicas elsewhere, and every other server
// is healthy with a current meta view. Anything the answers cannot settle
// (the target or a group's leader did not answer) is "could not tell".

import type { NodeName } from '../base/names.js';
import { leadersOwnView, majorityOf } from '../monitoring/raft-group.js';
import { assetKey, assetLabel } from './assets.js';
import { metaReasons } from './meta.js';
import { type Reachability, reachabilityOf, reachable } from './reach.js';
import type { AssetView, Reason, ServerAnswers, Verdict } from './types.js';

/** The server `target` names: a server name, or one of the monitoring URLs. */
export function findTarget(target: string, servers: ServerAnswers[]): ServerAnswers | undefined {
	const url = sameUrl(target);
	return servers.find((s) => s.name === target) ?? servers.find((s) => sameUrl(s.url) === url);
}

function sameUrl(u: string): string {
	return u.replace(/\/+$/, '').toLowerCase();
}

export function decide(target: string, servers: ServerAnswers[]): Verdict {
	const r = reachabilityOf(servers);
	const notes: string[] = [];
	const found = findTarget(target, servers);
	if (r.answered.length === 0) {
		const why = servers.map((s) => `${s.url}: ${s.error ?? 'no answer'}`).join('; ');
		return { outcome: 'unknown', target, unknown: [`no monitoring URL answered (${why})`], notes };
	}
	if (!found) {
		const known = [...r.names].sort().join(', ');
		return {
			outcome: 'unknown',
			target,
			unknown: [`"${target}" is neither a server that answered (${known}) nor one of the --monitor URLs`],
			notes,
		};
	}
	if (found.name === null) {
		return { outcome: 'unknown', target, unknown: [`${found.url}: ${found.error ?? 'no answer'}`], notes };
	}
	const name = found.name;
	const reasons: Reason[] = [];
	const unknown: string[] = [];
	const meta = metaReasons(name, r);
	reasons.push(...meta.reasons);
	unknown.push(...meta.unknown);
	reasons.push(...serverReasons(name, r));
	const assets = assetVerdicts(name, r);
	reasons.push(...assets.reasons);
	unknown.push(...assets.unknown);
	notes.push(...assets.notes);
	if (reasons.length > 0) return { outcome: 'not-safe', target: name, reasons, unknown, notes };
	if (unknown.length > 0) return { outcome: 'unknown', target: name, unknown, notes };
	return {
		outcome: 'safe',
		target: name,
		notes,
		checked: { servers: r.answered.length, streams: assets.streams, consumers: assets.consumers },
	};
}

/** Every other server that answered must be healthy and reach its peers. */
function serverReasons(target: NodeName, r: Reachability): Reason[] {
	const out: Reason[] = [];
	for (const s of r.answered) {
		if (s.name === target || s.name === null) continue;
		const asset = `server ${s.name}`;
		if (s.healthz && !s.healthz.ok) {
			out.push({ asset, text: `/healthz says ${s.healthz.error ?? `HTTP ${s.healthz.status}`}` });
		}
		if (s.routePeers && s.routePeers.length === 0 && r.answered.length > 1) {
			out.push({ asset, text: 'has no route to any other server' });
		}
	}
	return out;
}

interface AssetOutcome {
	reasons: Reason[];
	unknown: string[];
	notes: string[];
	streams: number;
	consumers: number;
}

/** Each stream and consumer the target holds must keep a quorum of current replicas without it. */
function assetVerdicts(target: NodeName, r: Reachability): AssetOutcome {
	const out: AssetOutcome = { reasons: [], unknown: [], notes: [], streams: 0, consumers: 0 };
	const byKey = new Map<string, AssetView[]>();
	for (const view of r.answered.flatMap((s) => s.assets)) {
		const views = byKey.get(assetKey(view)) ?? [];
		views.push(view);
		byKey.set(assetKey(view), views);
	}
	for (const views of byKey.values()) {
		const label = assetLabel(views[0] as AssetView);
		// Only the leader knows whether the other replicas are current.
		const own = leadersOwnView(views, (v) => v);
		const held =
			(own ?? views[0])?.replicas.some((x) => x.name === target) || views.some((v) => v.viewFrom === target);
		if (!held) continue;
		if ((views[0] as AssetView).kind === 'stream') out.streams++;
		else out.consumers++;
		if (!own) {
			const leader = views.find((v) => v.leader !== null)?.leader ?? null;
			if (leader === null || !reachable(r, leader)) {
				out.reasons.push({
					asset: label,
					text: 'has no leader now (its group has lost quorum or is electing one)',
				});
			} else {
				out.unknown.push(`${label}: its leader ${leader} is not among the servers that answered`);
			}
			continue;
		}
		const q = majorityOf(own.replicas.length);
		const others = own.replicas.filter((x) => x.name !== target);
		const up = others.filter(
			(x) => (x.name === own.leader || (x.current && !x.offline)) && reachable(r, x.name),
		);
		if (others.length === 0) {
			if (own.ephemeral)
				out.notes.push(
					`${label}: an ephemeral consumer with its only replica here (its client recreates it)`,
				);
			else
				out.reasons.push({ asset: label, replica: target, text: `has its only replica on ${target} (R1)` });
			continue;
		}
		if (up.length >= q) continue;
		const behind = others.filter((x) => !up.includes(x));
		out.reasons.push({
			asset: label,
			text: `would keep ${up.length} of ${own.replicas.length} replicas current, needs ${q}`,
		});
		for (const x of behind) {
			const state = !reachable(r, x.name) ? 'did not answer' : x.offline ? 'offline' : 'not current';
			const reason: Reason = {
				asset: label,
				replica: x.name,
				text: `replica ${x.name} ${state}${x.lag > 0 ? `, ${x.lag} behind` : ''}`,
			};
			if (x.lag > 0) reason.lag = x.lag;
			out.reasons.push(reason);
		}
	}
	return out;
}
