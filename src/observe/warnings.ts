// WRN/ERR/FTL lines counted by what they say, not by their varying parts, so a
// report can print "Error trying to connect to route (attempt N): dial tcp <addr> … ×1726".

import type { LogLevel } from './events.js';
import type { LabState } from './state.js';

const MESSAGE = /\[(?:WRN|ERR|FTL)\] (.*)$/;

/** The message with addresses, ids, counters and durations replaced by placeholders. */
export function normalizeWarning(message: string): string {
	return message
		.replace(/\b\d{1,3}(?:\.\d{1,3}){3}:\d+/g, '<addr>')
		.replace(/->\S+/g, '-><addr>')
		.replace(/\b(rid|cid|lid|gid):\d+/g, '$1:N')
		.replace(/\(attempt \d+\)/g, '(attempt N)')
		.replace(/\b[SC]-R\d+[FM]-[A-Za-z0-9]+/g, '<group>')
		.replace(/\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s)\b/g, '<dur>')
		.replace(/\b\d+(?:[.,]\d+)*(?: ?(?:B|KB|MB|GB))?\b/g, 'N');
}

export function countWarning(
	warnings: LabState['warnings'],
	level: LogLevel,
	raw: string,
): LabState['warnings'] {
	const message = MESSAGE.exec(raw)?.[1] ?? raw;
	const key = `${level} ${normalizeWarning(message)}`;
	const cur = warnings[key];
	return { ...warnings, [key]: { level, count: (cur?.count ?? 0) + 1, example: cur?.example ?? raw } };
}
