// run.json's shape check (hand-written since issue #12 took zod out of the scripting path):
// what natslab writes reads back as written; anything damaged reads as 'invalid', never throws.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunFile, readRunFile, writeRunFile } from '../../../src/cluster/run-file.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-runshape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good: RunFile = {
	format: 1,
	workspace: 'default',
	basePort: 14222,
	owner: { pid: 4242, startTime: '123456' },
	detached: false,
	serverOptions: { max_payload: 1024, lame_duck_duration: '30s', debug: true },
	nodes: {
		n1: {
			version: '2.10.27',
			ports: { client: 14222, cluster: 16222, http: 18222 },
			pid: 100,
			startTime: '99',
		},
		n2: {
			version: '2.9.10',
			ports: { client: 14223, cluster: 16223, http: 18223 },
			pid: null,
			startTime: null,
		},
	},
};

let n = 0;
function fileWith(text: string): string {
	const path = join(dir, `run-${n++}.json`);
	writeFileSync(path, text);
	return path;
}
const damaged = (change: (r: Record<string, unknown>) => void): string => {
	const r = structuredClone(good) as unknown as Record<string, unknown>;
	change(r);
	return fileWith(JSON.stringify(r));
};
const node = (r: Record<string, unknown>) =>
	(r.nodes as Record<string, Record<string, unknown>>).n1 as Record<string, unknown>;

describe('readRunFile', () => {
	it('reads back what writeRunFile wrote (owned and detached)', () => {
		const path = join(dir, 'written.json');
		writeRunFile(path, good);
		expect(readRunFile(path)).toEqual(good);
		const detached = { ...good, owner: null, detached: true, serverOptions: undefined };
		writeRunFile(path, detached);
		expect(readRunFile(path)).toEqual(JSON.parse(JSON.stringify(detached)));
	});

	it('is null when the file is missing', () => {
		expect(readRunFile(join(dir, 'nothing-here.json'))).toBeNull();
	});

	it.each([
		['not JSON', () => fileWith('{"format": 1,')],
		['an array', () => fileWith('[]')],
		['format 2', () => damaged((r) => (r.format = 2))],
		['a string base port', () => damaged((r) => (r.basePort = '14222'))],
		['an owner without start time', () => damaged((r) => (r.owner = { pid: 5 }))],
		['an owner pid 0', () => damaged((r) => (r.owner = { pid: 0, startTime: '1' }))],
		['detached missing', () => damaged((r) => delete r.detached)],
		['an option that is an object', () => damaged((r) => (r.serverOptions = { a: { b: 1 } }))],
		['nodes as a list', () => damaged((r) => (r.nodes = []))],
		['a node without ports', () => damaged((r) => delete node(r).ports)],
		['a fractional port', () => damaged((r) => ((node(r).ports as Record<string, number>).http = 1.5))],
		['a negative pid', () => damaged((r) => (node(r).pid = -3))],
		['a numeric start time', () => damaged((r) => (node(r).startTime = 99))],
	])('is invalid for %s', (_what, make) => {
		expect(readRunFile(make())).toBe('invalid');
	});
});
