// `natslab rehearse`: an unattended rolling upgrade on a real local cluster and
// a report an engineer can take to a change review. Progress goes to stderr;
// stdout carries only the report (text, or JSON with --json). See --help for
// the options and the JSON schema.

import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT, UserError, withFsErrors } from '../base/errors.js';
import { formatTenths } from '../base/format.js';
import { usageError, wrapHelp } from '../base/options.js';
import { registerCleanup } from '../lab/cleanup.js';
import { createLab } from '../lab/lab.js';
import { recordEachLab } from '../record/recorded-lab.js';
import { inputNotices, loadRunInputs } from '../rehearse/inputs.js';
import { parseRehearseArgs, REHEARSE_HELP } from '../rehearse/options.js';
import {
	renderComparisonMarkdown,
	renderComparisonText,
	renderMarkdown,
	renderText,
} from '../rehearse/render.js';
import { buildRepeat, renderRepeatMarkdown, renderRepeatText } from '../rehearse/repeat.js';
import { buildComparison } from '../rehearse/report.js';
import { type RunDeps, runRehearsal } from '../rehearse/runner.js';
import type { RehearsalReport } from '../rehearse/types.js';
import { checkRehearsalPair } from '../rehearse/version-pair.js';
import { RehearsalAborted } from '../rehearse/wait.js';

export interface RehearseIo {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	stdin: NodeJS.ReadableStream;
	env: NodeJS.ProcessEnv;
}

function checkReportFolder(file: string): string {
	const path = resolve(file);
	const dir = dirname(path);
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		throw new UserError(`rehearse: --report ${file}: folder ${dir} does not exist`, 2);
	}
	if (existsSync(path) && statSync(path).isDirectory())
		throw new UserError(`rehearse: --report ${file} is a folder`, 2);
	return path;
}

/** `--record FILE` (or --record=FILE), taken out before the rehearsal's own options are read. */
function takeRecord(args: string[]): { record: string | null; rest: string[] } {
	const i = args.findIndex((a) => a === '--record' || a.startsWith('--record='));
	if (i < 0) return { record: null, rest: args };
	const arg = args[i] as string;
	const record = arg.includes('=') ? arg.slice('--record='.length) : args[i + 1];
	if (!record || record.startsWith('-')) throw usageError('rehearse', '--record needs a FILE');
	return { record, rest: args.filter((_, j) => j !== i && (arg.includes('=') || j !== i + 1)) };
}

const RECORD_HELP = `
  --record FILE         also record each cluster's run for natslab replay (.gz:
                        gzipped; --compare/--repeat: FILE, FILE.2 …; docs/recording.md)`;

export async function rehearseCommand(args: string[], io: RehearseIo): Promise<number> {
	const { record, rest } = takeRecord(args);
	const opts = parseRehearseArgs(rest);
	if (opts.help) {
		io.stdout.write(`${wrapHelp(`${REHEARSE_HELP}\n${RECORD_HELP}`)}\n`);
		return 0;
	}
	// Same version twice, or a downgrade not asked for: refused before anything is fetched or started.
	const pairWarning = checkRehearsalPair(opts.from, opts.to, opts.allowDowngrade);
	if (pairWarning) io.stderr.write(`natslab: ${pairWarning}\n`);
	const reportPath = opts.reportFile ? checkReportFolder(opts.reportFile) : null;
	// The user's files: a bad one stops here, before anything is fetched or started.
	const inputs = loadRunInputs(opts);
	for (const line of inputNotices(inputs)) io.stderr.write(`natslab: ${line}\n`);
	const progress = (line: string) => {
		io.stderr.write(`${line}\n`);
	};

	// Ctrl-C (SIGINT/SIGTERM/SIGHUP): cut every wait short; the lab's own cleanup stops the servers
	// and exits. Our listeners stay attached (`on`, not `once`) while the command runs: execa's
	// signal-exit re-raises a signal it believes nobody else handles, which would kill natslab
	// mid-cleanup whenever a child (e.g. `nats-server --signal ldm`) is running at that moment.
	const controller = new AbortController();
	const interrupt = () => {
		if (controller.signal.aborted) return;
		io.stderr.write('natslab: rehearsal interrupted; stopping its cluster\n');
		controller.abort();
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const s of signals) process.on(s, interrupt);
	const unregister = registerCleanup(interrupt);
	const recording = record
		? recordEachLab(createLab, record, { command: 'rehearse', mode: 'rehearse' }, io)
		: null;
	const deps: RunDeps = {
		createLab: recording?.create ?? createLab,
		progress,
		signal: controller.signal,
		env: io.env,
	};
	const runs: RehearsalReport[] = [];
	try {
		const plan =
			opts.repeat > 1
				? Array.from({ length: opts.repeat }, () => opts.strategies[0] ?? 'lame-duck')
				: opts.strategies;
		for (const [i, strategy] of plan.entries()) {
			if (opts.repeat > 1) progress(`run ${i + 1} of ${opts.repeat}`);
			const report = await runRehearsal(
				{
					from: opts.from,
					to: opts.to,
					strategy,
					order: opts.order,
					gates: opts.gates,
					basePort: opts.basePort,
					keep: opts.keep && i === opts.strategies.length - 1,
					inputs,
				},
				deps,
			);
			runs.push(report);
			// A cluster that cannot even be set up will not come up for the next strategy either.
			// (Under --repeat only while no run got past its set-up: a later one that fails there, e.g. a
			// 2.10 meta group that bootstrapped without a server, is one failed run of N.)
			if (runs.every((run) => run.reasons.some((r) => r.startsWith('setup:')))) break;
		}
	} catch (err) {
		if (err instanceof RehearsalAborted || controller.signal.aborted) return 130;
		throw err;
	} finally {
		unregister();
		for (const s of signals) process.off(s, interrupt);
		await recording?.close();
	}

	const compare = opts.compare;
	const repeat = opts.repeat > 1 ? buildRepeat(runs) : null;
	const single = runs[0] as RehearsalReport;
	if (opts.json) {
		const doc = repeat ?? (compare ? buildComparison(runs) : single);
		io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
	} else {
		io.stdout.write(
			repeat ? renderRepeatText(repeat) : compare ? renderComparisonText(runs) : renderText(single),
		);
	}
	if (reportPath) {
		const markdown = repeat
			? renderRepeatMarkdown(repeat, renderMarkdown)
			: compare
				? renderComparisonMarkdown(runs)
				: renderMarkdown(single);
		await withFsErrors('rehearse --report', reportPath, () => writeFileSync(reportPath, markdown));
		progress(`report written to ${reportPath}`);
	}

	const failed = runs.filter((r) => r.verdict === 'fail');
	if (repeat && failed.length > 0)
		throw new UserError(
			`rehearsal failed ${failed.length} of ${runs.length} runs: ${failed[0]?.reasons[0] ?? 'verdict fail'}`,
			EXIT.failed,
		);
	if (failed.length === 0 && (!compare || runs.length === 3)) {
		const total = runs.reduce((sum, r) => sum + r.totalMs, 0);
		progress(`rehearsal passed (${formatTenths(total)})`);
		return 0;
	}
	// A rehearsal that ran and failed: its one line goes through the command line's handler (exit 1).
	const first = failed[0] ?? single;
	const label = compare ? `${first.strategy}: ` : '';
	throw new UserError(`rehearsal failed: ${label}${first.reasons[0] ?? 'verdict fail'}`, EXIT.failed);
}
