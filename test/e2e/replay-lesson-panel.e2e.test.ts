// The real program in a real terminal, no server: `node dist/cli.js replay` of a
// shipped lesson recording (lesson 6) whose lab had proxied links (its links lines
// given link states, as a partition lesson's recording has them), so the screen has
// a links line under the header. Stepping with > through every step to the recap,
// the lesson panel's first row is the step's title at 80x24 and 100x30. The lesson
// host once laid out its lines without the links line: the panel got a line more
// than it held and a prose line was drawn over the title (live in the partition
// lesson: "Each side, in its own words:ories").

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { linkPairs } from '../support/link-pairs.js';
import { Tmux } from '../support/tmux.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'natslab-replay-links-'));
const file = join(dir, 'lame-duck-links.jsonl.gz');

/** Lesson 6's recording with every links line saying the links are proxied (all open). */
function writeRecordingWithLinks(): void {
	const shipped = join(ROOT, 'assets', 'recordings', 'lame-duck.jsonl.gz');
	const pairs = linkPairs(['n1', 'n2', 'n3']);
	let replaced = 0;
	const lines = gunzipSync(readFileSync(shipped))
		.toString('utf8')
		.split('\n')
		.map((line) => {
			if (!/^\{"t":\d+,"links":null\}$/.test(line)) return line;
			replaced++;
			return JSON.stringify({ t: (JSON.parse(line) as { t: number }).t, links: pairs });
		});
	if (replaced === 0) throw new Error(`${shipped} has no links line to give link states`);
	writeFileSync(file, gzipSync(lines.join('\n')));
}
writeRecordingWithLinks();

/** The lesson panel's content rows. */
function panelRows(screen: string): string[] {
	const lines = screen.split('\n');
	const top = lines.findIndex((l) => l.startsWith('╭─ lesson '));
	const out: string[] = [];
	for (const l of lines.slice(top + 1)) {
		if (l.startsWith('╰')) break;
		out.push(l.slice(1, -1).trimEnd());
	}
	return out;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('natslab replay: the lesson panel under a links line', () => {
	for (const size of [
		{ cols: 80, rows: 24 },
		{ cols: 100, rows: 30 },
	]) {
		it(`keeps each step's title on the panel's first row at ${size.cols}x${size.rows}`, async () => {
			const tmux = new Tmux();
			const home = mkdtempSync(join(tmpdir(), 'natslab-replay-home-'));
			try {
				await tmux.start(`node dist/cli.js replay ${file} --paused`, {
					...size,
					cwd: ROOT,
					env: { NATSLAB_HOME: home },
				});
				await tmux.waitFor(/─ lesson [\s\S]*paused/, 20_000, 'the replay, paused');
				for (let step = 1; step <= 4; step++) {
					await tmux.keys('>');
					const screen = await tmux.waitFor(`step ${step}/4`, 10_000, `step ${step}`);
					const rows = panelRows(await tmux.waitFor(/─ lesson /, 5_000));
					expect(rows[0], screen).toMatch(new RegExp(`^Step ${step}/4 · \\S`));
					expect(screen).toMatch(/^links n1–n2 open/m);
				}
				await tmux.keys('>');
				const recap = await tmux.waitFor(/Recap – what your cluster measured/, 10_000, 'the recap');
				expect(panelRows(recap)[0], recap).toBe('Recap: Lame duck mode');
				await tmux.keys('q');
				await tmux.waitFor(Tmux.EXITED, 10_000, 'the replay to end');
			} finally {
				await tmux.kill();
				rmSync(home, { recursive: true, force: true });
			}
		}, 60_000);
	}
});
