// `natslab sandbox --upgrade-to` older than --version (issue #11: "a downgrade in
// sandbox --upgrade-to goes without a word"): the real TUI in a private tmux,
// real 2.10.27 servers. The warning must be on the screen once the dashboard
// is up, not only on a stderr the screen covers; q still stops every server.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHome, labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WARNING = "warning: u downgrades 2.10.27 → 2.9.10, not supported: 2.9.10 cannot read 2.10.27's";

describe('natslab sandbox --upgrade-to an older version', () => {
	let home: LabHome;
	let tmux: Tmux;

	beforeAll(async () => {
		home = labHome('natslab-e2e-downgrade-', ['2.9.10', '2.10.27']);
		tmux = new Tmux();
		await tmux.start(
			`node --import tsx src/cli.tsx sandbox --version 2.10.27 --upgrade-to 2.9.10 --base-port ${TEST_BASE_PORTS.sandboxDowngrade}`,
			{ cols: 160, rows: 30, cwd: ROOT, env: { NATSLAB_HOME: home.dir } },
		);
	});

	afterAll(async () => {
		await tmux?.kill();
		home?.remove();
	});

	it('shows the downgrade warning on the dashboard; q stops every server', async () => {
		const screen = await tmux.waitFor(
			(s) => s.includes('◆META') && s.includes(WARNING),
			90_000,
			'the dashboard with a meta leader and the downgrade warning',
		);
		expect(screen).toContain('2.10.27 ×3 → 2.9.10');
		await tmux.keys('q');
		const end = await tmux.waitFor(Tmux.EXITED, 60_000, 'natslab to exit');
		expect(Tmux.EXITED.exec(end)?.[1]).toBe('0');
		expect(end).toContain('natslab sandbox: every server stopped');
		expect(existsSync(join(home.dir, 'state', 'clusters', 'sandbox', 'run.json'))).toBe(false);
	}, 180_000);
});
