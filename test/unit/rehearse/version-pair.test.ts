// Version pairs by the rules the NATS docs give (docs/upgrades.md): upgrades,
// the same version twice, and downgrades with their support, over many pairs
// including pre-releases.
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../src/base/versions.js';
import {
	checkRehearsalPair,
	classifyVersionPair,
	sandboxPairWarning,
	sandboxPairWarningShort,
} from '../../../src/rehearse/version-pair.js';
import { refusal } from './refusal.js';

describe('classifyVersionPair', () => {
	it.each([
		['2.9.10', '2.10.27'],
		['2.10.26', '2.10.27'],
		['2.10.27', '2.15.1'],
		['2.9.25', '3.0.0'],
		['2.11.0-RC.1', '2.11.0'],
		['2.11.0-RC.1', '2.11.0-RC.2'],
		['2.11.0-RC.2', '2.11.0-RC.10'],
		['2.11.0-beta', '2.11.0-beta.1'],
		['2.10.27', '2.11.0-RC.1'],
	])('%s → %s is an upgrade', (from, to) => {
		expect(classifyVersionPair(from, to)).toEqual({ kind: 'upgrade', from, to });
	});

	it.each(['2.10.27', '2.9.10', '2.11.0-RC.1'])('%s → %s is no change at all', (v) => {
		expect(classifyVersionPair(v, v).kind).toBe('same');
	});

	it.each([
		// one patch back: the support policy
		['2.10.27', '2.10.26', 'supported'],
		['2.8.4', '2.8.3', 'supported'],
		['2.9.1', '2.9.0', 'supported'],
		// further back on one minor: outside the policy, same store format
		['2.10.27', '2.10.25', 'unsupported'],
		['2.9.25', '2.9.10', 'unsupported'],
		['2.15.1', '2.11.0', 'unsupported'],
		['2.11.0', '2.10.27', 'unsupported'],
		// 2.10+ → 2.9: only 2.9.22 and later read the 2.10 store
		['2.10.0', '2.9.22', 'store-readable'],
		['2.10.27', '2.9.25', 'store-readable'],
		['2.15.1', '2.9.22', 'store-readable'],
		['2.10.0', '2.9.21', 'store-unreadable'],
		['2.10.27', '2.9.10', 'store-unreadable'],
		['2.15.1', '2.9.10', 'store-unreadable'],
		['3.0.0', '2.9.10', 'store-unreadable'],
		['2.10.27', '2.8.4', 'store-unreadable'],
		// pre-releases are never "one patch back"
		['2.11.0', '2.11.0-RC.1', 'unsupported'],
		['2.11.0-RC.2', '2.11.0-RC.1', 'unsupported'],
		['2.10.27', '2.10.26-beta', 'unsupported'],
		['2.11.0-RC.1', '2.9.10', 'store-unreadable'],
	])('%s → %s is a downgrade: %s', (from, to, support) => {
		expect(classifyVersionPair(from, to)).toEqual({ kind: 'downgrade', from, to, support });
	});
});

describe('compareVersions orders pre-releases by semver', () => {
	it('sorts a list', () => {
		const sorted = [
			'2.11.0',
			'2.11.0-RC.10',
			'2.10.27',
			'2.11.0-RC.2',
			'2.11.0-beta',
			'2.11.0-RC.1',
			'2.9.10',
			'2.11.0-beta.1',
		].sort(compareVersions);
		expect(sorted).toEqual([
			'2.9.10',
			'2.10.27',
			'2.11.0-RC.1',
			'2.11.0-RC.2',
			'2.11.0-RC.10',
			'2.11.0-beta',
			'2.11.0-beta.1',
			'2.11.0',
		]);
	});
});

describe('checkRehearsalPair', () => {
	it('lets an upgrade through without a word', () => {
		expect(checkRehearsalPair('2.9.10', '2.10.27', false)).toBeNull();
	});

	it('refuses the same version twice as a usage error, even with --allow-downgrade', () => {
		for (const allow of [false, true]) {
			expect(refusal(() => checkRehearsalPair('2.10.27', '2.10.27', allow))).toEqual({
				message:
					'rehearse: --from and --to are both 2.10.27: there is nothing to upgrade; choose a newer --to (see natslab rehearse --help)',
				exitCode: 2,
			});
		}
	});

	it('refuses a downgrade without --allow-downgrade, naming the rule and the flag', () => {
		const r = refusal(() => checkRehearsalPair('2.15.1', '2.9.10', false));
		expect(r.exitCode).toBe(2);
		expect(r.message).toBe(
			'rehearse: --to 2.9.10 is older than --from 2.15.1: 2.15.1 → 2.9.10 is a downgrade NATS does not support: ' +
				'2.9.10 cannot read the JetStream store 2.15.1 writes, so streams will fail on the downgraded nodes ' +
				'(NATS supports a downgrade one patch release back, and from 2.10 or later to 2.9 only to 2.9.22 or later; see docs/upgrades.md); ' +
				'to rehearse it anyway, add --allow-downgrade',
		);
		expect(r.message).not.toContain('\n');
		// Even a supported one: --to older than --from is as often two swapped flags.
		expect(refusal(() => checkRehearsalPair('2.10.27', '2.10.26', false)).message).toBe(
			'rehearse: --to 2.10.26 is older than --from 2.10.27: 2.10.27 → 2.10.26 is a downgrade one patch back, which NATS supports; to rehearse it anyway, add --allow-downgrade',
		);
	});

	it('with --allow-downgrade, returns the warning line for the pair', () => {
		expect(checkRehearsalPair('2.10.27', '2.9.25', true)).toBe(
			"warning: rehearsing a downgrade: 2.10.27 → 2.9.25 is a downgrade outside NATS's support policy, " +
				'though 2.9.25 can read the JetStream store 2.10.27 writes ' +
				'(NATS supports a downgrade one patch release back, and from 2.10 or later to 2.9 only to 2.9.22 or later; see docs/upgrades.md)',
		);
		expect(checkRehearsalPair('2.10.27', '2.10.26', true)).toBe(
			'warning: rehearsing a downgrade: 2.10.27 → 2.10.26 is a downgrade one patch back, which NATS supports',
		);
	});
});

describe('sandboxPairWarning', () => {
	it('says nothing for an upgrade or no upgrade target', () => {
		expect(sandboxPairWarning('2.9.10', '2.10.27')).toBeNull();
		expect(sandboxPairWarning('2.10.27', null)).toBeNull();
	});

	it('warns when u would downgrade, what it is first (a timeline row is narrow)', () => {
		expect(sandboxPairWarning('2.10.27', '2.9.10')).toBe(
			"warning: u downgrades 2.10.27 → 2.9.10, not supported: 2.9.10 cannot read 2.10.27's JetStream store (docs/upgrades.md)",
		);
		expect(sandboxPairWarning('2.10.27', '2.10.26')).toBe(
			'warning: u downgrades 2.10.27 → 2.10.26, one patch back, which NATS supports',
		);
		expect(sandboxPairWarning('2.10.27', '2.9.22')).toBe(
			"warning: u downgrades 2.10.27 → 2.9.22, outside NATS's support policy (2.9.22 can read 2.10.27's JetStream store; docs/upgrades.md)",
		);
		expect(sandboxPairWarning('2.15.1', '2.11.0')).toBe(
			"warning: u downgrades 2.15.1 → 2.11.0, outside NATS's support policy (docs/upgrades.md)",
		);
	});

	it('has a shorter form with the same verdict that fits an 80-column status line after "! "', () => {
		const shorts = {
			"u downgrades 2.10.27 → 2.9.10: 2.9.10 cannot read 2.10.27's store": ['2.10.27', '2.9.10'],
			'u downgrades 2.10.27 → 2.10.26, one patch back: supported': ['2.10.27', '2.10.26'],
			"u downgrades 2.10.27 → 2.9.22: outside NATS's support policy": ['2.10.27', '2.9.22'],
			"u downgrades 2.15.1 → 2.11.0: outside NATS's support policy": ['2.15.1', '2.11.0'],
		};
		for (const [text, [from, to]] of Object.entries(shorts)) {
			expect(sandboxPairWarningShort(from as string, to as string)).toBe(text);
			expect(text.length + 2).toBeLessThanOrEqual(80);
		}
		expect(sandboxPairWarningShort('2.9.10', '2.10.27')).toBeNull();
		expect(sandboxPairWarningShort('2.10.27', null)).toBeNull();
	});
});
