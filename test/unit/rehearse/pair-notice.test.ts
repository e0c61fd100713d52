// `natslab sandbox --upgrade-to` older than --version: the warning reaches the
// setup view and the timeline of the very lab the screen gets.
import { describe, expect, it } from 'vitest';
import type { CreateLabOptions } from '../../../src/lab/lab.js';
import type { Lab, SetupEvent } from '../../../src/lab/types.js';
import type { LabEvent } from '../../../src/observe/events.js';
import { createLabWithWarning } from '../../../src/rehearse/pair-notice.js';
import { sandboxPairWarning } from '../../../src/rehearse/version-pair.js';

function recordingLab(emitted: LabEvent[]): Lab {
	// Only emit is used by the wrapper; the rest of the Lab is never touched here.
	return { emit: (e: LabEvent) => emitted.push(e) } as unknown as Lab;
}

describe('createLabWithWarning', () => {
	it('announces a downgrade in the setup view, then in the timeline', async () => {
		const warning = sandboxPairWarning('2.10.27', '2.9.10');
		expect(warning).not.toBeNull();
		const setup: SetupEvent[] = [];
		const emitted: LabEvent[] = [];
		let seenBySetupFirst = false;
		const create = createLabWithWarning(async () => {
			seenBySetupFirst = setup.length === 1;
			return recordingLab(emitted);
		}, warning);
		const opts = { version: '2.10.27', upgradeTo: '2.9.10', onSetup: (e: SetupEvent) => setup.push(e) };
		await create(opts as CreateLabOptions);
		expect(seenBySetupFirst).toBe(true);
		expect(setup).toEqual([{ type: 'notice', text: warning }]);
		expect(emitted).toMatchObject([{ kind: 'note', text: warning }]);
	});

	it('hands back the factory itself when there is nothing to say', () => {
		const create = async () => recordingLab([]);
		expect(createLabWithWarning(create, sandboxPairWarning('2.9.10', '2.10.27'))).toBe(create);
	});
});
