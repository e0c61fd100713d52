// The real partition run in test/fixtures/partitions (2.10.27 through natslab's pair proxies, n3
// isolated for 100 s, healed; client ports 26300–26302), replayed through the real reducer: the
// state after every LabEvent, in order (`edit` may add or change events first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { NodeName } from '../../src/base/names.js';
import type { LabEvent } from '../../src/observe/events.js';
import { initialLabState, reduce } from '../../src/observe/reducer.js';
import type { LabState } from '../../src/observe/state.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'partitions', 'isolate-n3-100s-2.10.27.jsonl.gz');
const BASE_PORT = 26300;

export function replayPartitionRun(edit: (events: LabEvent[]) => LabEvent[] = (e) => e): LabState[] {
	const events = gunzipSync(readFileSync(FIXTURE))
		.toString('utf8')
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => (JSON.parse(l) as { event: LabEvent }).event);
	const nodes: NodeName[] = ['n1', 'n2', 'n3'];
	const addressBook = Object.fromEntries(nodes.map((n, i) => [`127.0.0.1:${BASE_PORT + i}`, n]));
	let state = initialLabState({ nodes, addressBook });
	const states: LabState[] = [];
	for (const e of edit(events)) {
		state = reduce(state, e);
		states.push(state);
	}
	return states;
}

/** When the run's timeline note matching `re` (the cut, the heal) was written. */
export function noteAt(state: LabState, re: RegExp): number {
	return state.timeline.find((e) => e.kind === 'note' && re.test(e.text))?.at ?? Number.NaN;
}
