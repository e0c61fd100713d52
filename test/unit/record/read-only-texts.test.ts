// What a read-only screen says is true: a watch's logs panel says the logs are on
// the servers' hosts and a replay's that the recording holds no log line up to
// here (a sandbox or lesson recording does hold them); a node key on a watch is
// refused in the watch's own words (there is a cluster: natslab will not act on
// it), on a replay as acting on nothing.
import { describe, expect, it } from 'vitest';
import { REPLAY_LABEL } from '../../../src/record/replay-kit.js';
import { readOnlyKeyText } from '../../../src/ui/components/HelpPanel.js';
import { emptyLogsText } from '../../../src/ui/components/LogsPanel.js';
import { READ_ONLY_REFUSAL } from '../../../src/watch/watch-lab.js';

describe('read-only texts', () => {
	it('the empty logs panel', () => {
		expect(emptyLogsText(null)).toBe('no log lines yet');
		expect(emptyLogsText(REPLAY_LABEL)).toBe('no log lines at this point of the recording');
		expect(emptyLogsText('watching prod')).toBe("no logs: watching prod reads no server's log file");
		expect(emptyLogsText(REPLAY_LABEL)).not.toMatch(/NATS|monitoring/);
	});

	it('a node key', () => {
		expect(readOnlyKeyText('watching prod')).toBe(READ_ONLY_REFUSAL);
		expect(readOnlyKeyText(REPLAY_LABEL)).toMatch(/^a replay acts on nothing/);
	});
});
