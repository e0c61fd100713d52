// Shared by the benches: where their real nats-server binaries come from, and
// how a figure is reported.
//
// Binaries: NATSLAB_BENCH_BIN_DIR (<dir>/<version>/nats-server), else natslab's
// cache (bench/run.mjs installs the versions it needs there through natslab itself).
//
// Figures: a bench measures a figure AND its floor in the same run (the machine is
// shared and loaded: only the difference or the ratio to the floor means anything)
// and hands both to reportFigure. It prints one line; when run by bench/run.mjs
// (NATSLAB_BENCH_FIGURES names a file) it also appends the figure as one JSON line
// there, and run.mjs judges it against its target (TARGETS in run.mjs).
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { natslabPaths } from '../dist/base/paths.js';

export function benchBinaryFor(version) {
	const dir = process.env.NATSLAB_BENCH_BIN_DIR ?? join(natslabPaths().cache, 'servers');
	const path = join(dir, version, 'nats-server');
	if (!existsSync(path)) {
		throw new Error(
			`nats-server ${version} not found at ${path}: set NATSLAB_BENCH_BIN_DIR or run \`natslab servers install ${version}\``,
		);
	}
	return path;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The nearest-rank p-th percentile (p95 of 20 values is the 19th smallest). */
export const percentile = (xs, p) =>
	[...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

/** The machine's load average now (1, 5, 15 min), to print beside figures measured on it. */
export async function loadAverage() {
	const { loadavg } = await import('node:os');
	return loadavg().map((l) => Number(l.toFixed(2)));
}

/**
 * One measured figure. `id` matches a target in run.mjs; `value` and `floor` in `unit`
 * (ms, %, MB, s); `runs`/`floorRuns` the individual measurements the medians come from.
 */
export function reportFigure({
	id,
	label,
	unit = 'ms',
	value,
	floor = null,
	floorLabel = null,
	runs,
	floorRuns,
	note,
}) {
	const round = (v) => (v === null || v === undefined ? v : Math.round(v * 10) / 10);
	const figure = {
		id,
		label,
		unit,
		value: round(value),
		floor: round(floor),
		floorLabel,
		...(runs ? { runs: runs.map(round) } : {}),
		...(floorRuns ? { floorRuns: floorRuns.map(round) } : {}),
		...(note ? { note } : {}),
	};
	const vs =
		floor === null
			? ''
			: ` | floor ${figure.floor} ${unit} (${floorLabel}): +${round(value - floor)} ${unit}, ×${(value / floor).toFixed(2)}`;
	const detail = runs
		? ` [runs ${figure.runs.join('/')}${floorRuns ? `; floor ${figure.floorRuns.join('/')}` : ''}]`
		: '';
	console.log(`${label}: ${figure.value} ${unit}${vs}${detail}`);
	const out = process.env.NATSLAB_BENCH_FIGURES;
	if (out) appendFileSync(out, `${JSON.stringify(figure)}\n`);
	return figure;
}
