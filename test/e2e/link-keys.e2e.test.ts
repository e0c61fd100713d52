// `L` in the real TUI (a private tmux, real 2.10.27 servers behind natslab's pair
// proxies): "1L2c" typed as one chunk cuts the link n1–n2 in both directions —
// the links line says so, the timeline notes it — and "1L2h" opens it again.
// q stops every server and the proxies.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODES = ['n1', 'n2', 'n3'];

const nodeRow = (screen: string, node: string) =>
	screen.split('\n').find((l) => new RegExp(`^│[› ] \\d ${node} `).test(l)) ?? '';
const allUp = (screen: string) => NODES.every((n) => nodeRow(screen, n).includes('● up'));
const linksLine = (screen: string) => screen.split('\n').find((l) => l.startsWith('links ')) ?? '';

describe('L on the screen of a lab with proxied links', () => {
	it('"1L2c" cuts n1–n2 and the links line says so; "1L2h" opens it again; q stops everything', async () => {
		const home = labHome('natslab-e2e-link-keys-', ['2.10.27']);
		const tmux = new Tmux();
		try {
			const command = `node --import tsx src/cli.tsx sandbox --version 2.10.27 --links proxied --base-port ${TEST_BASE_PORTS.linkKeys}`;
			await tmux.start(command, { cols: 100, rows: 40, cwd: ROOT, env: { NATSLAB_HOME: home.dir } });
			await cutAndHeal(tmux);
		} finally {
			await tmux.kill();
			home.remove();
		}
	});
});

async function cutAndHeal(tmux: Tmux): Promise<void> {
	let screen = await tmux.waitFor(
		(s) => allUp(s) && s.includes('◆META') && linksLine(s).includes('n1–n2 open'),
		90_000,
		'three nodes up, a meta leader and the links line',
	);
	expect(screen).toMatch(/ L link /);

	await tmux.type('1L2c');
	screen = await tmux.waitFor(
		(s) => /n1–n2 cut \(routes/.test(linksLine(s)),
		20_000,
		'n1–n2 cut on the links line',
	);
	// Only that link: n1–n3 and n2–n3 stay open.
	expect(linksLine(screen)).toMatch(/n1–n3 open/);
	expect(linksLine(screen)).toMatch(/n2–n3 open/);
	await tmux.waitFor('link n1–n2 cut, both directions', 10_000, 'the note in the timeline');

	await tmux.type('1L2h');
	await tmux.waitFor((s) => linksLine(s).includes('n1–n2 open'), 20_000, 'n1–n2 open again');
	await tmux.waitFor('link n1–n2 open again', 10_000, 'the heal in the timeline');

	await tmux.keys('q');
	screen = await tmux.waitFor(Tmux.EXITED, 60_000, 'the exit marker');
	expect(Tmux.EXITED.exec(screen)?.[1]).toBe('0');
	expect(screen).toContain('every server stopped');
}
