// A recording on the real dashboard, driven by the real replayer: what `natslab replay`
// draws, for screen tests of replays (seek with the returned replayer).
import type { Recording } from '../../src/record/format.js';
import { createReplay } from '../../src/record/replay-lab.js';
import { Dashboard } from '../../src/ui/components/Dashboard.js';
import { replayKeyHandler } from '../../src/ui/replay-keys.js';
import { renderWithProviders } from './render.js';

export function replayScreen(rec: Recording) {
	const { replayer, lab } = createReplay(rec);
	const r = renderWithProviders(
		<Dashboard
			mode="replay"
			onQuit={() => {}}
			keysFirst={replayKeyHandler(replayer)}
			followKeys={replayer}
		/>,
		{ lab, clock: replayer.clock, color: false },
	);
	return { ...r, replayer };
}
