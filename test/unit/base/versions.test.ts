import semverParse from 'semver/functions/parse.js';
import { describe, expect, it } from 'vitest';
import { atLeast, compareVersions, normalizeVersion } from '../../../src/base/versions.js';

describe('normalizeVersion', () => {
	it('takes a "v" prefix and spaces off releases and pre-releases', () => {
		expect(normalizeVersion('v2.10.27')).toBe('2.10.27');
		expect(normalizeVersion(' 2.9.10 ')).toBe('2.9.10');
		expect(normalizeVersion('v2.11.0-RC.1')).toBe('2.11.0-RC.1');
		expect(normalizeVersion('2.11.0-beta')).toBe('2.11.0-beta');
	});

	it('refuses what is not a x.y.z version', () => {
		for (const bad of [
			'2.10',
			'latest',
			'',
			'v',
			'2.10.27.1',
			'2.10.x',
			'02.10.27',
			'2.10.27+build',
			'x2.10.27',
		]) {
			expect(normalizeVersion(bad), bad).toBeNull();
		}
	});

	it('reads a plain release without semver exactly as semver does', () => {
		for (const input of [
			'2.10.27',
			'v2.9.10',
			'0.0.0',
			'10.20.30',
			'2.010.1',
			'2.10.07',
			'v02.1.1',
			'2.1.1-',
			'1.2.3-0',
		])
			expect(normalizeVersion(input), input).toBe(semverParse(input)?.version ?? null);
	});
});

describe('compareVersions', () => {
	it('orders numerically, not as text', () => {
		expect(compareVersions('2.10.27', '2.9.10')).toBeGreaterThan(0);
		expect(compareVersions('2.9.10', '2.10.27')).toBeLessThan(0);
		expect(compareVersions('2.10.27', '2.10.27')).toBe(0);
	});

	it('tells release candidates apart and puts them before the release', () => {
		expect(compareVersions('2.11.0-RC.1', '2.11.0-RC.2')).toBeLessThan(0);
		expect(compareVersions('2.11.0-RC.2', '2.11.0-RC.10')).toBeLessThan(0);
		expect(compareVersions('2.11.0-RC.10', '2.11.0')).toBeLessThan(0);
		expect(compareVersions('2.11.0-RC.1', '2.10.27')).toBeGreaterThan(0);
		expect(['2.11.0', '2.11.0-RC.2', '2.9.10', '2.11.0-RC.1'].sort(compareVersions)).toEqual([
			'2.9.10',
			'2.11.0-RC.1',
			'2.11.0-RC.2',
			'2.11.0',
		]);
	});

	it('accepts a "v" prefix on either side', () => {
		expect(compareVersions('v2.10.27', '2.10.27')).toBe(0);
		expect(compareVersions('v2.9.10', 'v2.10.27')).toBeLessThan(0);
	});

	it('atLeast: a minimum is met by itself and by anything newer, not by its pre-release', () => {
		expect(atLeast('2.10.17', '2.10.17')).toBe(true);
		expect(atLeast('2.15.1', '2.10.17')).toBe(true);
		expect(atLeast('2.10.16', '2.10.17')).toBe(false);
		expect(atLeast('2.10.17-RC.3', '2.10.17')).toBe(false);
	});
});
