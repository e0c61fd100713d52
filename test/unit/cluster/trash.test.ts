// A fresh start clears the previous run's data and logs at once (a rename) and deletes them behind
// the start (src/cluster/trash.ts); a trash a killed run left goes with the next start.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../src/base/wait.js';
import { clearAside } from '../../../src/cluster/trash.js';

let ws: string;
beforeEach(() => {
	ws = mkdtempSync(join(tmpdir(), 'natslab-trash-'));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const fill = (dir: string) => {
	mkdirSync(join(dir, 'n1', 'jetstream'), { recursive: true });
	writeFileSync(join(dir, 'n1', 'jetstream', 'msgs.blk'), 'x'.repeat(4096));
};
const trashes = () => readdirSync(ws).filter((e) => e.startsWith('.trash-'));

describe('clearAside', () => {
	it('empties the dirs at once and deletes their contents behind, keeping the rest', async () => {
		fill(join(ws, 'data'));
		fill(join(ws, 'logs'));
		writeFileSync(join(ws, 'run.json'), '{}');
		clearAside(ws, [join(ws, 'data'), join(ws, 'logs')]);
		expect(existsSync(join(ws, 'data'))).toBe(false);
		expect(existsSync(join(ws, 'logs'))).toBe(false);
		expect(existsSync(join(ws, 'run.json'))).toBe(true);
		await waitUntil(() => trashes().length === 0, { timeoutMs: 10_000, everyMs: 10 });
		expect(readdirSync(ws)).toEqual(['run.json']);
	});

	it('takes absent dirs (a first start) and the trash a killed run left', async () => {
		fill(join(ws, '.trash-999-1-0'));
		clearAside(ws, [join(ws, 'data'), join(ws, 'logs')]);
		await waitUntil(() => trashes().length === 0, { timeoutMs: 10_000, everyMs: 10 });
		expect(readdirSync(ws)).toEqual([]);
	});

	it('two starts in a row (lesson after lesson) leave nothing behind', async () => {
		fill(join(ws, 'data'));
		clearAside(ws, [join(ws, 'data')]);
		fill(join(ws, 'data'));
		clearAside(ws, [join(ws, 'data')]);
		expect(existsSync(join(ws, 'data'))).toBe(false);
		await waitUntil(() => trashes().length === 0, { timeoutMs: 10_000, everyMs: 10 });
	});
});
