// What natslab knows about a node in lame duck mode: the drain settings its
// configs are written with (checked against the real template) and, from a real
// 2.10.27 lame duck log, whether a process is draining and the last line it wrote.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationMs, renderNodeConfig } from '../../../src/cluster/config.js';
import { isDraining, lameDuckSettings, lastLineOf } from '../../../src/cluster/lame-duck.js';

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

	it('the lab settings are what the config natslab writes says: 30s, grace 3s', () => {
		const cfg = renderNodeConfig({
			name: 'n1',
			version: '2.10.27',
			ports: { client: 4222, cluster: 6222, http: 8222 },
			routePorts: [6222],
			storeDir: dir,
		});
		const settings = lameDuckSettings();
		expect(settings).toEqual({ duration: '30s', grace: '3s', durationMs: 30_000, graceMs: 3000 });
		expect(cfg.text).toContain(`lame_duck_duration: "${settings.duration}"`);
		expect(cfg.text).toContain(`lame_duck_grace_period: "${settings.grace}"`);
	});

	it('a cluster whose server options set them (rehearse --config) has those; a value that is no duration is not taken', () => {
		expect(lameDuckSettings({ lame_duck_duration: '2m', lame_duck_grace_period: '10s' })).toEqual({
			duration: '2m',
			grace: '10s',
			durationMs: 120_000,
			graceMs: 10_000,
		});
		expect(lameDuckSettings({ lame_duck_duration: 'soon', ping_interval: '1m' })).toMatchObject({
			duration: '30s',
			grace: '3s',
		});
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
