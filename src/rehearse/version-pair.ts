// What a move from one nats-server version to another is, by the rules the NATS
// docs give (docs/upgrades.md quotes and links them), decided before any server
// starts: an upgrade, no change at all, or a downgrade, and for a downgrade
// whether NATS supports it. Pure: no I/O.
//   - "The support policy for the server is the current release as well as one
//     patch version release prior" (e.g. 2.8.4 → 2.8.3); earlier versions "may
//     work, but is not recommended". (Upgrading a Cluster → Downgrading)
//   - 2.10 changed the JetStream store format; of the 2.9 releases only 2.9.22
//     and later read it. (NATS 2.10 release notes, "Downgrade warnings")
import { UserError } from '../base/errors.js';
import { compareVersions } from '../base/versions.js';

/**
 * supported: one patch back, inside the support policy. store-readable: outside the policy, but
 * the older version reads the newer store format (2.10+ → 2.9.22+). store-unreadable: the older
 * version cannot read the store (2.10+ → 2.9 before 2.9.22). unsupported: anything else older.
 */
export type DowngradeSupport = 'supported' | 'store-readable' | 'store-unreadable' | 'unsupported';

export type VersionPair =
	| { kind: 'upgrade'; from: string; to: string }
	| { kind: 'same'; from: string; to: string }
	| { kind: 'downgrade'; from: string; to: string; support: DowngradeSupport };

const STORE_FORMAT_CHANGE = [2, 10] as const;
const FIRST_29_READING_210_STORE = 22;

interface Parsed {
	major: number;
	minor: number;
	patch: number;
	prerelease: boolean;
}

function parse(version: string): Parsed {
	const m = /^(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(version);
	if (!m) throw new Error(`not a normalised version: ${version}`);
	return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] !== undefined };
}

/** `from` → `to`, both normalised ("2.10.27", "2.11.0-RC.1"). */
export function classifyVersionPair(from: string, to: string): VersionPair {
	const order = compareVersions(to, from);
	if (from === to || order === 0) return { kind: 'same', from, to };
	if (order > 0) return { kind: 'upgrade', from, to };
	return { kind: 'downgrade', from, to, support: downgradeSupport(parse(from), parse(to)) };
}

function downgradeSupport(from: Parsed, to: Parsed): DowngradeSupport {
	if (
		from.major === to.major &&
		from.minor === to.minor &&
		!from.prerelease &&
		!to.prerelease &&
		to.patch === from.patch - 1
	)
		return 'supported';
	const [fmtMajor, fmtMinor] = STORE_FORMAT_CHANGE;
	const fromWritesNewStore = from.major > fmtMajor || (from.major === fmtMajor && from.minor >= fmtMinor);
	const toIs29 = to.major === fmtMajor && to.minor === fmtMinor - 1;
	const toBeforeStore = to.major < fmtMajor || (to.major === fmtMajor && to.minor < fmtMinor - 1);
	if (fromWritesNewStore && (toIs29 || toBeforeStore)) {
		return toIs29 && to.patch >= FIRST_29_READING_210_STORE ? 'store-readable' : 'store-unreadable';
	}
	return 'unsupported';
}

const RULE =
	'NATS supports a downgrade one patch release back, and from 2.10 or later to 2.9 only to 2.9.22 or later; see docs/upgrades.md';

/** Where this pair stands by the rule, then the rule, in one line (no leading "warning:"). */
export function downgradeVerdict(pair: Extract<VersionPair, { kind: 'downgrade' }>): string {
	const { from, to } = pair;
	switch (pair.support) {
		case 'supported':
			return `${from} → ${to} is a downgrade one patch back, which NATS supports`;
		case 'store-readable':
			return `${from} → ${to} is a downgrade outside NATS's support policy, though ${to} can read the JetStream store ${from} writes (${RULE})`;
		case 'store-unreadable':
			return `${from} → ${to} is a downgrade NATS does not support: ${to} cannot read the JetStream store ${from} writes, so streams will fail on the downgraded nodes (${RULE})`;
		case 'unsupported':
			return `${from} → ${to} is a downgrade outside NATS's support policy: it may work but is not recommended (${RULE})`;
	}
}

const USAGE = 2;

/**
 * For `natslab rehearse`, before anything is fetched or started: refuses (usage error) the same
 * version twice, and a downgrade unless `allowDowngrade`; returns the warning line an allowed
 * downgrade gets, else null.
 */
export function checkRehearsalPair(from: string, to: string, allowDowngrade: boolean): string | null {
	const pair = classifyVersionPair(from, to);
	if (pair.kind === 'upgrade') return null;
	if (pair.kind === 'same') {
		throw new UserError(
			`rehearse: --from and --to are both ${from}: there is nothing to upgrade; choose a newer --to (see natslab rehearse --help)`,
			USAGE,
		);
	}
	const verdict = downgradeVerdict(pair);
	if (!allowDowngrade) {
		throw new UserError(
			`rehearse: --to ${to} is older than --from ${from}: ${verdict}; to rehearse it anyway, add --allow-downgrade`,
			USAGE,
		);
	}
	return `warning: rehearsing a downgrade: ${verdict}`;
}

/** The same, short enough for a timeline row: what it is first, the docs last. */
function downgradeSummary(pair: Extract<VersionPair, { kind: 'downgrade' }>): string {
	const { from, to } = pair;
	switch (pair.support) {
		case 'supported':
			return `${from} → ${to}, one patch back, which NATS supports`;
		case 'store-readable':
			return `${from} → ${to}, outside NATS's support policy (${to} can read ${from}'s JetStream store; docs/upgrades.md)`;
		case 'store-unreadable':
			return `${from} → ${to}, not supported: ${to} cannot read ${from}'s JetStream store (docs/upgrades.md)`;
		case 'unsupported':
			return `${from} → ${to}, outside NATS's support policy (docs/upgrades.md)`;
	}
}

/** Fewer words, for one 80-column status line: the verdict without the docs. */
function downgradeShort(pair: Extract<VersionPair, { kind: 'downgrade' }>): string {
	const { from, to } = pair;
	switch (pair.support) {
		case 'supported':
			return `u downgrades ${from} → ${to}, one patch back: supported`;
		case 'store-unreadable':
			return `u downgrades ${from} → ${to}: ${to} cannot read ${from}'s store`;
		default:
			return `u downgrades ${from} → ${to}: outside NATS's support policy`;
	}
}

/** For the sandbox's status line: the warning of sandboxPairWarning in fewer words, else null. */
export function sandboxPairWarningShort(version: string, upgradeTo: string | null): string | null {
	if (upgradeTo === null) return null;
	const pair = classifyVersionPair(version, upgradeTo);
	return pair.kind === 'downgrade' ? downgradeShort(pair) : null;
}

/** For `natslab sandbox --upgrade-to`: the warning line when `u` would downgrade, else null. */
export function sandboxPairWarning(version: string, upgradeTo: string | null): string | null {
	if (upgradeTo === null) return null;
	const pair = classifyVersionPair(version, upgradeTo);
	if (pair.kind !== 'downgrade') return null;
	return `warning: u downgrades ${downgradeSummary(pair)}`;
}
