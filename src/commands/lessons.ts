// `natslab lessons validate [files]` and `natslab lessons list [--json]`:
// for instructors writing lessons, and for scripts.

import { resolve } from 'node:path';
import { EXIT, UserError } from '../base/errors.js';
import { flag } from '../base/options.js';
import { courseDir, lessonFiles, loadCourse, loadLessons } from '../lessons/course.js';
import { progressLabel, readProgress } from '../lessons/progress.js';
import { formatProblem } from '../lessons/yaml-lines.js';
import { parseSubcommand, type SubcommandGroup } from './subcommand.js';

export interface LessonsIo {
	stdout: { write(s: string): unknown };
	stderr: { write(s: string): unknown };
	env: NodeJS.ProcessEnv;
}

const LESSONS: SubcommandGroup<'validate' | 'list'> = {
	expected: 'validate or list',
	help: `natslab lessons — check and list the course's lesson files

Usage:
  natslab lessons validate [files...]   check lesson files (default: the shipped course);
                                        prints file:line: problem, exits 1 on any problem
  natslab lessons list [--json]         the lessons in order, with your progress

A lesson is a Markdown file: YAML front matter (id, title, order, summary,
versions, probes) and one step per "## " heading; a step's settings (target,
action, wait, check, hint, record) follow its prose. See lessons/README.md.`,
	commands: {
		validate: {
			head: `Usage: natslab lessons validate [files...]

Checks lesson files (default: the shipped course). Prints file:line: problem for
each problem and exits 1 when there is any.`,
			options: {},
		},
		list: {
			head: `Usage: natslab lessons list [--json]

The lessons in order, with your progress.`,
			options: { json: flag('print the lessons as JSON') },
			maxPositionals: 0,
		},
	},
};

export async function lessonsCommand(args: string[], io: LessonsIo): Promise<number> {
	const sub = parseSubcommand('lessons', args, io, LESSONS);
	if (sub.done) return sub.code;
	if (sub.command === 'validate') return validate(sub.positionals, io);
	return list(sub.values.json === true, io);
}

async function validate(args: string[], io: LessonsIo): Promise<number> {
	const files = args.length > 0 ? args.map((f) => resolve(f)) : await lessonFiles(courseDir(io.env));
	if (files.length === 0) throw new UserError('lessons validate: no lesson files', EXIT.failed);
	const { lessons, problems } = await loadLessons(files);
	// The problems are the check's result (file:line: problem), not an error of natslab's.
	for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
	const bad = new Set(problems.map((p) => p.file)).size;
	if (problems.length > 0) {
		io.stderr.write(
			`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} of ${files.length} file${files.length === 1 ? '' : 's'}\n`,
		);
		return EXIT.failed;
	}
	const steps = lessons.reduce((n, l) => n + l.steps.length, 0);
	io.stdout.write(`${lessons.length} lesson${lessons.length === 1 ? '' : 's'} ok (${steps} steps)\n`);
	return 0;
}

async function list(json: boolean, io: LessonsIo): Promise<number> {
	const lessons = await loadCourse(courseDir(io.env));
	const progress = await readProgress(io.env);
	if (json) {
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
