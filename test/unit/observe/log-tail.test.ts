import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/base/wait.js';
import { tailLogFiles } from '../../../src/observe/log-tail.js';

/** Wait for a condition with a generous timeout (no fixed sleeps for correctness). */
const until = (pred: () => boolean, what: string, timeoutMs = 10_000) =>
	waitUntil(pred, { timeoutMs, everyMs: 20, describe: () => `timed out waiting for ${what}` });

const L1 = '[6149] 2026/11/26 00:41:33.920631 [INF] Starting JetStream cluster';
const L2 = '[6149] 2026/11/26 00:41:33.930826 [INF] Server is ready';
const L3 = '[6149] 2026/11/26 00:41:34.075747 [INF] Self is new JetStream cluster metadata leader';

describe('tailLogFiles', () => {
	let dir: string;
	let stop: () => void = () => {};
	const got: [string, string][] = [];

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'natslab-tail-'));
		got.length = 0;
	});
	afterEach(() => {
		stop();
		rmSync(dir, { recursive: true, force: true });
	});

	const start = (files: Record<string, string>, fromStart?: boolean) => {
		const t = tailLogFiles(
			files,
			(node, line) => got.push([node, line]),
			fromStart === undefined ? {} : { fromStart },
		);
		stop = () => t.stop();
	};

	it('fromStart reads what is there, then follows appends; lines are whole even when written in pieces', async () => {
		const f = join(dir, 'n1.log');
		writeFileSync(f, `${L1}\n`);
		start({ n1: f }, true);
		await until(() => got.length === 1, 'the existing line');
		appendFileSync(f, L2.slice(0, 20));
		appendFileSync(f, `${L2.slice(20)}\n${L3.slice(0, 10)}`);
		await until(() => got.length === 2, 'the completed second line');
		appendFileSync(f, `${L3.slice(10)}\n`);
		await until(() => got.length === 3, 'the third line');
		expect(got).toEqual([
			['n1', L1],
			['n1', L2],
			['n1', L3],
		]);
	});

	it('without fromStart, skips what a file held at start but reads a file that appears later from its start', async () => {
		const a = join(dir, 'n1.log');
		const b = join(dir, 'n2.log');
		writeFileSync(a, `${L1}\n`);
		start({ n1: a, n2: b });
		writeFileSync(b, `${L1}\n${L2}\n`);
		appendFileSync(a, `${L3}\n`);
		await until(() => got.length === 3, 'the new lines');
		expect(got.filter(([n]) => n === 'n1')).toEqual([['n1', L3]]);
		expect(got.filter(([n]) => n === 'n2')).toEqual([
			['n2', L1],
			['n2', L2],
		]);
	});

	it('starts over after truncation and after the file is replaced', async () => {
		const f = join(dir, 'n1.log');
		writeFileSync(f, `${L1}\n${L2}\n`);
		start({ n1: f }, true);
		await until(() => got.length === 2, 'the first two lines');
		truncateSync(f, 0);
		appendFileSync(f, `${L3}\n`); // shorter than what was there: seen as a truncation either way
		await until(() => got.length === 3, 'the line after truncation');
		const g = join(dir, 'new.log');
		writeFileSync(g, `${L1}\n`);
		renameSync(g, f);
		await until(() => got.length === 4, 'the line of the replaced file');
		expect(got.map(([, l]) => l)).toEqual([L1, L2, L3, L1]);
	});

	it('delivers nothing after stop(), skips blank lines and drops CR', async () => {
		const f = join(dir, 'n1.log');
		writeFileSync(f, `nats-server: t.conf:12:3: unknown field "pool_size"\r\n\n`);
		start({ n1: f }, true);
		await until(() => got.length === 1, 'the config error');
		expect(got[0]).toEqual(['n1', 'nats-server: t.conf:12:3: unknown field "pool_size"']);
		stop();
		appendFileSync(f, `${L1}\n`);
		await new Promise((r) => setTimeout(r, 600));
		expect(got).toHaveLength(1);
	});

	it('handles utf-8 split across reads', async () => {
		const f = join(dir, 'n1.log');
		const text = '[1] 2026/11/26 00:00:00.000001 [INF] rtt 136µs\n';
		const bytes = Buffer.from(text);
		const cut = bytes.indexOf(0xb5); // inside "µ"
		writeFileSync(f, bytes.subarray(0, cut));
		start({ n1: f }, true);
		await new Promise((r) => setTimeout(r, 300)); // give it a chance to read the half (not needed to pass)
		appendFileSync(f, bytes.subarray(cut));
		await until(() => got.length === 1, 'the whole line');
		expect(got[0]?.[1]).toBe(text.trimEnd());
	});
});
