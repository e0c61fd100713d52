// One nats-server log line → one typed LogLineEvent. The server writes
// `[pid] 2026/11/26 00:41:33.920631 [INF] msg` in local time (UTC only with
// `logtime_utc`). Start-up failures are printed without that prefix
// (`nats-server: t.conf:12:3: unknown field "pool_size"`). Never throws.

import type { NodeName } from '../base/names.js';
import type { LogLevel, LogLineEvent, ParsedLog } from './events.js';
import { PATTERNS, parseRouteLine, ROUTE_LINE } from './log-patterns.js';

const PREFIX =
	/^(?:\[(\d+)\] )?(?:(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? )?\[(INF|WRN|ERR|DBG|TRC|FTL)\] ?(.*)$/;
const CONFIG_ERROR = /^nats-server: (.+)$/;

export interface ParseOptions {
	/** Time for lines that carry no timestamp (default: Date.now()). */
	now?: number;
	/** The server logs in UTC (`logtime_utc: true`). */
	utc?: boolean;
}

export function parseLogLine(node: NodeName, line: string, opts: ParseOptions = {}): LogLineEvent {
	const raw = line.endsWith('\r') ? line.slice(0, -1) : line;
	const m = PREFIX.exec(raw);
	if (!m) {
		const cfg = CONFIG_ERROR.exec(raw);
		const parsed: ParsedLog = cfg ? { type: 'ConfigError', message: cfg[1] ?? '' } : { type: 'Plain' };
		return {
			kind: 'log',
			node,
			at: opts.now ?? Date.now(),
			level: cfg ? 'FTL' : null,
			pid: null,
			raw,
			parsed,
		};
	}
	const level = m[9] as LogLevel;
	const message = m[10] ?? '';
	return {
		kind: 'log',
		node,
		at: m[2] ? timestamp(m, opts.utc === true) : (opts.now ?? Date.now()),
		level,
		pid: m[1] ? Number(m[1]) : null,
		raw,
		parsed: parseMessage(level, message),
	};
}

/** The typed meaning of a message (the text after `[LVL] `). */
export function parseMessage(level: LogLevel, message: string): ParsedLog {
	if (level === 'FTL') return { type: 'Fatal', message };
	const route = ROUTE_LINE.exec(message);
	if (route) {
		const parsed = parseRouteLine(route[1] ?? '', Number(route[2]), route[3] ?? '');
		if (parsed) return parsed;
		// Other per-route errors (`Error flushing: writev … broken pipe`) are route errors too.
		if (level === 'ERR' || level === 'WRN') {
			return { type: 'RouteError', remote: route[1] ?? '', rid: Number(route[2]), error: route[3] ?? '' };
		}
		return { type: 'Plain' };
	}
	for (const p of PATTERNS) {
		const pm = p.re.exec(message);
		if (pm) return p.build(pm);
	}
	return { type: 'Plain' };
}

function timestamp(m: RegExpExecArray, utc: boolean): number {
	const [y, mo, d, h, mi, s] = [2, 3, 4, 5, 6, 7].map((i) => Number(m[i]));
	const fraction = m[8] ?? '';
	const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
	const args = [y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, ms] as const;
	return utc ? Date.UTC(...args) : new Date(...args).getTime();
}
