// Node keys typed back to back in the real TUI (a private tmux, real 2.9.10
// servers, real probes): "2rrr" arrives as one chunk and restarts n2 once, the
// other two presses are answered "n2 is already restarting"; u on a running
// node says what it will do and waits for a second u (x says no). q still
// stops every server.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHome, labHome } from '../support/lab-home.js';
import { TEST_BASE_PORTS } from '../support/ports.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODES = ['n1', 'n2', 'n3'];

const nodeRow = (screen: string, node: string) =>
	screen.split('\n').find((l) => new RegExp(`^│[› ] \\d ${node} `).test(l)) ?? '';
const allUp = (screen: string) => NODES.every((n) => nodeRow(screen, n).includes('● up'));
const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

describe('node keys typed back to back in a real terminal', () => {
	let home: LabHome;
	let tmux: Tmux;

	beforeAll(async () => {
		home = labHome('natslab-e2e-keys-', ['2.9.10', '2.10.27']);
		tmux = new Tmux();
		await tmux.start(
			`node --import tsx src/cli.tsx sandbox --version 2.9.10 --upgrade-to 2.10.27 --base-port ${TEST_BASE_PORTS.nodeKeys}`,
			// Tall, so that the timeline still shows the action when the refusal is on screen.
			{ cols: 100, rows: 50, cwd: ROOT, env: { NATSLAB_HOME: home.dir } },
		);
	});

	afterAll(async () => {
		await tmux?.kill();
		home?.remove();
	});

	it('"2rrr" restarts n2 once and says so; u asks before upgrading; q stops every server', async () => {
		// A settled cluster (healthy, clients connected), so that the restart's own entries are the
		// newest in the timeline for a while.
		await tmux.waitFor(
			(s) =>
				allUp(s) && s.includes('◆META') && count(s, /✓ healthy/g) === 3 && count(s, /● connected/g) === 4,
			90_000,
			'three healthy nodes, a meta leader and four connected clients',
		);

		await tmux.type('2rrr');
		let screen = await tmux.waitFor('! n2 is already restarting', 20_000, 'the refusal');
		// Every act() is in the timeline at once ("… restart n2 … action"): exactly one was sent.
		screen = await tmux.waitFor(/\brestart n2\b/, 10_000, 'the action in the timeline');
		expect(count(screen, /\brestart n2\b/g)).toBe(1);
		await tmux.waitFor((s) => allUp(s) && s.includes('◆META'), 60_000, 'n2 back up');

		await tmux.type('u');
		await tmux.waitFor(
			'u again: upgrade n2 2.9.10 → 2.10.27 (any other key: no)',
			10_000,
			'the upgrade question',
		);
		await tmux.type('x');
		screen = await tmux.waitFor((s) => !s.includes('u again:'), 10_000, 'no upgrade');
		expect(nodeRow(screen, 'n2')).toContain('2.9.10');
		expect(screen).not.toMatch(/\bupgrade n2 to\b/);

		await tmux.keys('q');
		screen = await tmux.waitFor(Tmux.EXITED, 60_000, 'the exit marker');
		expect(Tmux.EXITED.exec(screen)?.[1]).toBe('0');
		expect(screen).toContain('every server stopped');
		// n2 started twice in all: at setup, and the one restart.
		const log = readFileSync(join(home.dir, 'state', 'clusters', 'sandbox', 'logs', 'n2.log'), 'utf8');
		expect(count(log, /\[INF\] Starting nats-server/g)).toBe(2);
	});
});
