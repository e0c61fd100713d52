// The rehearsal's core line (docs/measurements.md "Rehearsal report"): the counts are cumulative,
// so when they do not add up the line says how many were neither received nor lost, and why.
import { describe, expect, it } from 'vitest';
import { noMessages } from '../../../src/observe/events.js';
import { coreLine } from '../../../src/rehearse/figures.js';
import type { ClientReport, RehearsalReport } from '../../../src/rehearse/types.js';

function report(core: RehearsalReport['core'], subDisconnects: number): RehearsalReport {
	const sub: ClientReport = {
		...noMessages(),
		id: 'core-sub',
		kind: 'core-sub',
		disconnects: subDisconnects,
		ldmNotices: 0,
		reconnectGapMaxMs: subDisconnects > 0 ? 339 : null,
		reconnectGapMedianMs: null,
	};
	// coreLine reads only the core totals and the clients.
	return { core, clients: [sub] } as unknown as RehearsalReport;
}

describe('coreLine', () => {
	it('says nothing more when sent = received + lost', () => {
		expect(coreLine(report({ sent: 100, received: 98, lost: 2, duplicated: 0 }, 0))).toBe(
			'sent 100, received 98, lost 2, duplicated 0',
		);
	});

	it('names what was neither received nor lost, and the subscriber’s disconnects when it had any', () => {
		expect(coreLine(report({ sent: 100, received: 80, lost: 0, duplicated: 0 }, 2))).toBe(
			'sent 100, received 80, lost 0, duplicated 0; 20 neither received nor lost (published while core-sub was disconnected (2×, longest 339 ms) or in flight when the probes stopped)',
		);
		expect(coreLine(report({ sent: 100, received: 97, lost: 0, duplicated: 0 }, 0))).toMatch(
			/; 3 neither received nor lost \(in flight when the probes stopped\)$/,
		);
	});
});
