// The values {{placeholders}} become: the step's target, the leaders right
// now, the versions, and every measurement recorded so far.

import { LAB_CONSUMER, LAB_STREAM, type NodeName } from '../base/names.js';
import type { Lab } from '../lab/types.js';
import { agreedMetaLeader, mainConsumer, mainStream } from '../observe/selectors.js';
import type { LabState } from '../observe/state.js';
import type { Measurement } from './measures.js';
import type { CheckSpec } from './schema.js';
import { fillTemplate } from './template.js';

export function placeholderValues(
	state: LabState,
	versions: Lab['versions'],
	target: { node: NodeName; why: string } | null,
	previous: NodeName | null,
	recorded: readonly Measurement[],
): Record<string, string | undefined> {
	const values: Record<string, string | undefined> = {
		target: target?.node,
		targetWhy: target?.why,
		previous: previous ?? undefined,
		metaLeader: agreedMetaLeader(state) ?? state.cluster.meta.leader ?? 'none',
		streamLeader: mainStream(state)?.leader ?? 'none',
		consumerLeader: mainConsumer(state)?.leader ?? 'none',
		stream: mainStream(state)?.name ?? LAB_STREAM,
		consumer: mainConsumer(state)?.name ?? `${LAB_STREAM} > ${LAB_CONSUMER}`,
		version: versions.initial,
		fromVersion: versions.initial,
		toVersion: versions.upgradeTo ?? undefined,
	};
	for (const m of recorded) values[m.name] = m.text;
	return values;
}

/** A check's texts may quote measurements too ("gave up after {{gaveUp}}"). */
export function fillCheck(check: CheckSpec, values: Record<string, string | undefined>): CheckSpec {
	return {
		...check,
		question: fillTemplate(check.question, values),
		choices: check.choices.map((c) => fillTemplate(c, values)),
		...(check.explain ? { explain: fillTemplate(check.explain, values) } : {}),
	};
}
