// `natslab replay FILE --to-markdown`: a recording as text for a bug report or a
// talk's notes. The timeline is what the screen's timeline showed (the recorded
// events folded through the live lab's reducer, each new entry once), with the lesson's
// steps, their measurements and the keys pressed in between, by seconds from the
// recording's start.

import { formatDuration } from '../base/format.js';
import type { LessonEvent } from '../lessons/results.js';
import type { TimelineEntry } from '../observe/state.js';
import type { Recording } from './format.js';
import { initialStateOf, reducerFor } from './reducer-for.js';

export function recordingMarkdown(rec: Recording): string {
	const { header, entries } = rec;
	const start = entries[0]?.t ?? 0;
	const end = entries.at(-1)?.t ?? start;
	const at = (t: number) => `+${((t - start) / 1000).toFixed(1)} s`;
	const out: string[] = [];
	const title = header.lesson
		? `lesson ${header.lesson.order}/${header.lesson.total} · ${header.lesson.title} (${header.lesson.id})`
		: header.mode;
	const versions = header.versions.upgradeTo
		? `${header.versions.initial} (upgrade to ${header.versions.upgradeTo})`
		: header.versions.initial;
	out.push(`# natslab recording: ${title}`, '');
	out.push(`- recorded ${header.recordedAt} by natslab ${header.natslab} (\`natslab ${header.command}\`)`);
	out.push(`- nats-server ${versions} · nodes ${header.nodes.join(', ')} · ${formatDuration(end - start)}`);
	if (header.terminal) out.push(`- terminal ${header.terminal.cols}x${header.terminal.rows}`);
	out.push('', '## Timeline', '');
	const fold = reducerFor(header);
	let state = initialStateOf(header);
	for (const e of entries) {
		if (e.kind === 'lab') {
			const was = state.timeline;
			state = fold(state, e.event);
			if (state.timeline === was) continue;
			const before = new Set<TimelineEntry>(was);
			for (const entry of state.timeline) {
				if (before.has(entry)) continue;
				const where = entry.node ?? entry.probe;
				out.push(`- ${at(e.t)} · ${entry.kind}${where ? ` · ${where}` : ''} · ${entry.text}`);
			}
		} else if (e.kind === 'lesson') {
			out.push(...lessonLines(e.event, at(e.t)));
		} else if (e.kind === 'key') {
			out.push(`- ${at(e.t)} · key \`${e.key}\``);
		} else if (e.kind === 'mark') {
			out.push(`- ${at(e.t)} · mark: ${e.text}`);
		} else if (e.kind === 'end' && e.reason !== 'closed') {
			out.push(`- ${at(e.t)} · ${e.reason}`);
		}
	}
	const last = [...entries].reverse().find((e) => e.kind === 'view');
	if (last?.kind === 'view' && last.view.recap.length > 0) {
		out.push('', '## What the cluster measured', '');
		for (const m of last.view.recap) out.push(`- ${m.label}: ${m.text}`);
	}
	return `${out.join('\n')}\n`;
}

function lessonLines(e: LessonEvent, at: string): string[] {
	switch (e.type) {
		case 'step-start': {
			const target = e.target ? ` → ${e.target.node} (${e.target.why})` : '';
			return ['', `### ${at} · step ${e.index + 1}: ${e.title}${target}`, ''];
		}
		case 'action':
			return [`- ${at} · lesson: ${e.text} (${e.by})`];
		case 'waiting':
			return [];
		case 'step-end': {
			const lines = e.result.waits.map((w) => `- ${at} · ${w.met ? '✓' : '·'} ${w.text}: ${w.status}`);
			for (const m of e.result.measurements) lines.push(`- ${at} · measured ${m.label}: ${m.text}`);
			return lines;
		}
	}
}
