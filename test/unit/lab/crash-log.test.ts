// crash.log stays bounded whatever happens: one entry per process, entries cut,
// the file rotated before it passes 1 MB (a loop once wrote 969 MB in 3.5 min).

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	appendCrashLog,
	describeCrash,
	MAX_ENTRY_BYTES,
	MAX_FILE_BYTES,
} from '../../../src/lab/crash-log.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-crashlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crash.log', () => {
	it('keeps the stack and the whole cause chain', () => {
		const root = Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' });
		const text = describeCrash(new Error('could not write run.json', { cause: root }));
		expect(text).toContain('could not write run.json');
		expect(text).toContain('[cause]');
		expect(text).toContain("code: 'ENOTDIR'");
	});

	it('cuts a huge entry', () => {
		const text = describeCrash(new Error('x'.repeat(MAX_ENTRY_BYTES * 2)));
		expect(Buffer.byteLength(text)).toBeLessThan(MAX_ENTRY_BYTES + 100);
		expect(text).toContain(`cut at ${MAX_ENTRY_BYTES} bytes`);
	});

	it('writes once per process, then refuses (no loop can grow it)', () => {
		const state = join(dir, 'once');
		expect(appendCrashLog(state, 'first')).toBe(join(state, 'crash.log'));
		const size = statSync(join(state, 'crash.log')).size;
		for (let i = 0; i < 1000; i++) expect(appendCrashLog(state, 'again')).toBeNull();
		expect(statSync(join(state, 'crash.log')).size).toBe(size);
	});

	it('rotates to crash.log.1 before the file would pass the cap', () => {
		const state = join(dir, 'rotate');
		const file = join(state, 'crash.log');
		appendCrashLog(state, 'seed', { once: false });
		writeFileSync(file, 'y'.repeat(MAX_FILE_BYTES - 10));
		expect(appendCrashLog(state, 'z'.repeat(1000), { once: false })).toBe(file);
		expect(existsSync(`${file}.1`)).toBe(true);
		expect(statSync(file).size).toBeLessThan(2000);
		expect(readFileSync(file, 'utf8')).toContain('zzz');
		for (let i = 0; i < 200; i++) appendCrashLog(state, 'w'.repeat(MAX_ENTRY_BYTES), { once: false });
		expect(statSync(file).size).toBeLessThanOrEqual(MAX_FILE_BYTES);
		expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(MAX_FILE_BYTES);
	});
});
