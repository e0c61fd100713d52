// `natslab lessons validate [files]` and `natslab lessons list [--json]`:
// for instructors writing lessons, and for scripts.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isUserError } from '../base/errors.js';
import { courseDir, lessonFiles, loadCourse, loadLessons } from '../lessons/course.js';
import { progressLabel, readProgress } from '../lessons/progress.js';
import { formatProblem } from '../lessons/yaml-lines.js';

export interface LessonsIo {
	stdout: { write(s: string): unknown };
	stderr: { write(s: string): unknown };
	env: NodeJS.ProcessEnv;
}

const HELP = `natslab lessons — check and list the course's lesson files

Usage:
  natslab lessons validate [files...]   check lesson files (default: the shipped course);
                                        prints file:line: problem, exits 1 on any problem
  natslab lessons list [--json]         the lessons in order, with your progress

A lesson is a Markdown file: YAML front matter (id, title, order, summary,
versions, probes) and one step per "## " heading; a step's settings (target,
action, wait, check, hint, record) follow its prose. See lessons/README.md.`;

export async function lessonsCommand(args: string[], io: LessonsIo): Promise<number> {
	const [sub, ...rest] = args;
	try {
		switch (sub) {
			case 'validate':
				return await validate(rest, io);
			case 'list':
				return await list(rest, io);
			case undefined:
			case '-h':
			case '--help':
			case 'help':
				io.stdout.write(`${HELP}\n`);
				return sub === undefined ? 2 : 0;
			default:
				io.stderr.write(`natslab lessons: unknown subcommand "${sub}" (validate or list)\n`);
				return 2;
		}
	} catch (err) {
		if (isUserError(err)) {
			io.stderr.write(`natslab lessons: ${err.message}\n`);
			return err.exitCode;
		}
		throw err;
	}
}

async function validate(args: string[], io: LessonsIo): Promise<number> {
	if (args.includes('--help') || args.includes('-h')) {
		io.stdout.write(`${HELP}\n`);
		return 0;
	}
	const unknown = args.find((a) => a.startsWith('-'));
	if (unknown) {
		io.stderr.write(`natslab lessons validate: unknown option ${unknown}\n`);
		return 2;
	}
	const files = args.length > 0 ? args.map((f) => resolve(f)) : await lessonFiles(courseDir(io.env));
	if (files.length === 0) {
		io.stderr.write('natslab lessons validate: no lesson files\n');
		return 1;
	}
	const { lessons, problems } = await loadLessons(files);
	for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
	const bad = new Set(problems.map((p) => p.file)).size;
	if (problems.length > 0) {
		io.stderr.write(
			`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} of ${files.length} file${files.length === 1 ? '' : 's'}\n`,
		);
		return 1;
	}
	const steps = lessons.reduce((n, l) => n + l.steps.length, 0);
	io.stdout.write(`${lessons.length} lesson${lessons.length === 1 ? '' : 's'} ok (${steps} steps)\n`);
	return 0;
}

async function list(args: string[], io: LessonsIo): Promise<number> {
	let values: { json?: boolean };
	try {
		({ values } = parseArgs({
			args,
			options: { json: { type: 'boolean' } },
			strict: true,
			allowPositionals: false,
		}));
	} catch (err) {
		io.stderr.write(
			`natslab lessons list: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`,
		);
		return 2;
	}
	const lessons = await loadCourse(courseDir(io.env));
	const progress = await readProgress(io.env);
	if (values.json) {
		const out = lessons.map((l) => ({
			id: l.id,
			order: l.order,
			title: l.title,
			summary: l.summary,
			steps: l.steps.length,
			versions: l.versions ?? null,
			probes: l.probes,
			progress: progress.lessons[l.id] ?? null,
		}));
		io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
		return 0;
	}
	const idWidth = Math.max(...lessons.map((l) => l.id.length));
	for (const l of lessons) {
		const state = progressLabel(progress.lessons[l.id], l.steps.length);
		io.stdout.write(`${String(l.order).padStart(2)}. ${l.id.padEnd(idWidth)}  ${l.title} · ${state}\n`);
		io.stdout.write(`    ${' '.repeat(idWidth)}  ${l.summary}\n`);
	}
	return 0;
}
