// Splits a lesson file into its parts without interpreting them: the YAML front
// matter, the intro prose, and one section per `##` heading. A step's settings
// (target, action, wait, check, hint, record) are the YAML block that starts at
// the first line beginning with one of those keys; everything above is prose.
// Every part keeps its 1-based line number so problems point into the file.

export const STEP_KEYS = ['target', 'action', 'wait', 'check', 'hint', 'record'] as const;

export interface TextPart {
	text: string;
	/** 1-based line of the part's first line in the file. */
	line: number;
}

export interface RawStep {
	title: string;
	/** Line of the `##` heading. */
	line: number;
	prose: TextPart;
	/** The step's settings block, or null when the step is prose only. */
	settings: TextPart | null;
}

export interface RawLesson {
	frontMatter: TextPart | null;
	/** Problems found while splitting (no front matter, unclosed fence...). */
	problems: { line: number; message: string }[];
	intro: TextPart;
	steps: RawStep[];
}

const FENCE = /^\s{0,3}(```|~~~)/;
const STEP_KEY_LINE = new RegExp(`^(${STEP_KEYS.join('|')})\\s*:`);

export function splitLesson(source: string): RawLesson {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const problems: RawLesson['problems'] = [];
	let i = 0;
	let frontMatter: TextPart | null = null;
	if (lines[0]?.trim() === '---') {
		const end = lines.findIndex((l, idx) => idx > 0 && l.trim() === '---');
		if (end < 0) {
			problems.push({
				line: 1,
				message: 'front matter starts with --- but never ends (add a closing --- line)',
			});
			return { frontMatter: null, problems, intro: { text: '', line: 1 }, steps: [] };
		}
		frontMatter = { text: lines.slice(1, end).join('\n'), line: 2 };
		i = end + 1;
	} else {
		problems.push({ line: 1, message: 'missing front matter: the file must start with a --- line' });
	}

	// Find `##` headings outside code fences.
	const headings: number[] = [];
	let fenceOpen: { marker: string; line: number } | null = null;
	for (let k = i; k < lines.length; k++) {
		const line = lines[k] ?? '';
		const fence = FENCE.exec(line);
		if (fence) {
			if (!fenceOpen) fenceOpen = { marker: fence[1] ?? '```', line: k + 1 };
			else if (line.trim().startsWith(fenceOpen.marker)) fenceOpen = null;
			continue;
		}
		if (!fenceOpen && /^##\s+\S/.test(line) && !/^###/.test(line)) headings.push(k);
	}
	if (fenceOpen) problems.push({ line: fenceOpen.line, message: 'code fence is never closed' });

	const introEnd = headings[0] ?? lines.length;
	const introLines = lines.slice(i, introEnd);
	// The title lives in the front matter; a leading `# Title` would repeat it.
	const h1 = introLines.findIndex((l) => l.trim() !== '');
	if (h1 >= 0 && /^#\s/.test(introLines[h1] ?? '')) introLines.splice(h1, 1, '');
	const intro = { text: introLines.join('\n').trim(), line: i + 1 };

	const steps: RawStep[] = headings.map((start, idx) => {
		const end = headings[idx + 1] ?? lines.length;
		return splitStep(lines, start, end);
	});
	return { frontMatter, problems, intro, steps };
}

function splitStep(lines: string[], start: number, end: number): RawStep {
	const title = (lines[start] ?? '').replace(/^##\s+/, '').trim();
	let settingsAt = -1;
	let inFence = false;
	for (let k = start + 1; k < end; k++) {
		const line = lines[k] ?? '';
		if (FENCE.test(line)) {
			inFence = !inFence;
			continue;
		}
		if (!inFence && STEP_KEY_LINE.test(line)) {
			settingsAt = k;
			break;
		}
	}
	const proseEnd = settingsAt >= 0 ? settingsAt : end;
	let first = start + 1;
	while (first < proseEnd && (lines[first] ?? '').trim() === '') first++;
	const prose = { text: lines.slice(first, proseEnd).join('\n').trim(), line: first + 1 };
	const settings =
		settingsAt >= 0
			? { text: trimTrailingBlank(lines.slice(settingsAt, end)).join('\n'), line: settingsAt + 1 }
			: null;
	return { title, line: start + 1, prose, settings };
}

function trimTrailingBlank(lines: string[]): string[] {
	let n = lines.length;
	while (n > 0 && (lines[n - 1] ?? '').trim() === '') n--;
	return lines.slice(0, n);
}
