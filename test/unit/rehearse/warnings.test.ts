// Every note the report puts beside a WRN/ERR line, checked against the real
// lines it explains: the server logs of test/fixtures/logs (2.9.10, 2.10.27,
// 2.15.1; starts, stops, lame duck, a mixed-version upgrade). A note whose claim
// the lines contradict fails here, not in front of an engineer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_WARNINGS, knownWarningNote } from '../../../src/rehearse/warnings.js';
import { FIXTURES } from '../../support/fixtures.js';

interface Line {
	file: string;
	pid: string;
	at: number;
	text: string;
}

function parse(file: string, raw: string): Line | null {
	const m = /^\[(\d+)\] \d+\/\d+\/\d+ (\d+):(\d+):([\d.]+) (.*)$/.exec(raw);
	if (!m) return null;
	return {
		file,
		pid: m[1] as string,
		at: Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]),
		text: m[5] as string,
	};
}

const LOGS = join(FIXTURES, 'logs');
const lines: Line[] = readdirSync(LOGS, { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.flatMap((d) =>
		readdirSync(join(LOGS, d.name))
			.filter((f) => f.endsWith('.log') && f !== 'events.log')
			.flatMap((f) =>
				readFileSync(join(LOGS, d.name, f), 'utf8')
					.split('\n')
					.map((raw) => parse(`${d.name}/${f}`, raw))
					.filter((l): l is Line => l !== null),
			),
	);

/** The first line of `l`'s process that says `what`, at or before `l`. */
function earlier(l: Line, what: string): Line | undefined {
	return lines.find((x) => x.file === l.file && x.pid === l.pid && x.at <= l.at && x.text.includes(what));
}

/** The WRN/ERR lines that get the note of the entry `example` matches. */
function explained(example: string): Line[] {
	const note = KNOWN_WARNINGS.find((k) => k.match.test(example))?.note;
	expect(note, example).toBeDefined();
	return lines.filter((l) => /\[(WRN|ERR)\]/.test(l.text) && knownWarningNote(l.text) === note);
}

/** Seconds since `l`'s process logged its start. */
function sinceStart(l: Line): number {
	const start = earlier(l, 'Starting nats-server');
	expect(start, `${l.file}: ${l.text}`).toBeDefined();
	return l.at - (start as Line).at;
}

describe('WRN/ERR notes against the real lines', () => {
	it('has real lines for the notes it checks', () => {
		expect(lines.length).toBeGreaterThan(1000);
	});

	it('"just started" lines come within seconds of their process start', () => {
		const examples = [
			'Healthcheck failed: "failed to be ready for connections after 1ms: server, route"',
			'Waiting for routing to be established...',
			'JetStream has not established contact with a meta leader',
		];
		for (const example of examples) {
			const found = explained(example);
			expect(found.length, example).toBeGreaterThan(0);
			for (const l of found) expect(sinceStart(l), `${l.file}: ${l.text}`).toBeLessThan(5);
		}
	});

	it('a "failed to be ready … : server" healthcheck comes from a process in lame duck mode', () => {
		const found = explained('Healthcheck failed: "failed to be ready for connections after 1ms: server"');
		for (const l of found)
			expect(earlier(l, 'Entering lame duck mode'), `${l.file}: ${l.text}`).toBeDefined();
	});

	it('route dial errors are refused connections (nobody listening), snapshot lines come after JetStream began to shut down (or right after a start)', () => {
		const dial = explained('Error trying to connect to route (attempt 1): dial tcp 127.0.0.1:6223');
		expect(dial.length).toBeGreaterThan(0);
		for (const l of dial) expect(l.text).toContain('connection refused');
		const snapshot = explained('Metalayer blocking snapshot starting');
		expect(snapshot.length).toBeGreaterThan(0);
		for (const l of snapshot) {
			const atShutdown = earlier(l, 'Shutdown...') !== undefined;
			const atStart = l.text.includes('Metalayer') && sinceStart(l) < 2;
			expect(atShutdown || atStart, `${l.file}: ${l.text}`).toBe(true);
		}
	});

	it('the dedicated-route line appears only where 2.9 and 2.10+ servers were routed together', () => {
		const found = explained('Not possible to have a dedicated route for account "$SYS" with server n1');
		expect(found.length).toBeGreaterThan(0);
		for (const l of found) expect(l.file).toMatch(/^upgrade-2\.9\.10-to-2\.10\.27/);
	});
});
