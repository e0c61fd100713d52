// What natslab reads about a node in lame duck mode: the drain settings from
// its config (rendered from the real template) and, from a real 2.10.27 lame
// duck log, whether a process is draining and the last line it wrote.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNodeConfig } from '../../../src/cluster/config.js';
import { durationMs, isDraining, lameDuckSettings, lastLineOf } from '../../../src/cluster/lame-duck.js';

const dir = mkdtempSync(join(tmpdir(), 'natslab-ldm-'));
const LOG = join(import.meta.dirname, '..', '..', 'fixtures', 'logs', 'ldm-2.10.27-default', 'n2.log');

describe('lame duck settings', () => {
	it('reads Go durations', () => {
		const cases: [string, number | null][] = [
			['30s', 30_000],
			['2m', 120_000],
			['1m30s', 90_000],
			['500ms', 500],
			['30', null],
			['3x', null],
		];
		expect(cases.map(([text]) => durationMs(text))).toEqual(cases.map(([, ms]) => ms));
	});

	it('takes what the config natslab writes says: 30s, grace 3s', () => {
		const file = join(dir, 'n1.conf');
		const ports = { client: 4222, cluster: 6222, http: 8222 };
		const cfg = renderNodeConfig({
			name: 'n1',
			version: '2.10.27',
			ports,
			routePorts: [6222],
			storeDir: dir,
		});
		writeFileSync(file, cfg.text);
		expect(lameDuckSettings(file)).toEqual({
			duration: '30s',
			grace: '3s',
			durationMs: 30_000,
			graceMs: 3000,
		});
	});

	it("falls back to the server's defaults (2m, grace 10s) when the config sets none", () => {
		const file = join(dir, 'plain.conf');
		writeFileSync(file, 'server_name: n1\nlisten: 127.0.0.1:4222\n');
		expect(lameDuckSettings(file)).toMatchObject({ durationMs: 120_000, graceMs: 10_000 });
	});
});

describe('a real lame duck log (2.10.27, n2)', () => {
	it('says which process entered lame duck mode, not the others that wrote to the same file', () => {
		expect(isDraining(LOG, 19884)).toBe(true);
		expect(isDraining(LOG, 20753)).toBe(false);
	});

	it("gives the process's own last line", () => {
		expect(lastLineOf(LOG, 19884)).toBe('[19884] 2026/11/26 00:51:56.980742 [INF] Server Exiting..');
		expect(lastLineOf(LOG, 1)).toBeNull();
	});
});
