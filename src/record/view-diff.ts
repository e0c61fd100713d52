// Lesson views in a recording: the engine publishes a whole LessonView on every
// change (a wait's elapsed time several times a second), most of it (the prose,
// the recap) the same as before. A recording keeps the first view whole and then
// only the top-level fields that changed; the reader puts them together again.

import type { LessonView } from '../lessons/view.js';

export class ViewDiff {
	private last: Record<string, string> | null = null;

	/** The fields of `view` that differ from the previous one (all of them the first time); null: none. */
	next(view: LessonView): Partial<LessonView> | null {
		const fields: Record<string, string> = {};
		const changed: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(view)) {
			const text = JSON.stringify(value) ?? 'undefined';
			fields[key] = text;
			if (this.last?.[key] !== text) changed[key] = value ?? null;
		}
		// A field the previous view had and this one lacks is sent as null.
		for (const key of Object.keys(this.last ?? {})) if (!(key in fields)) changed[key] = null;
		this.last = fields;
		return Object.keys(changed).length > 0 ? (changed as Partial<LessonView>) : null;
	}
}

/** The whole view again: the previous one with the recorded fields over it. */
export function applyViewChange(previous: LessonView | null, change: Partial<LessonView>): LessonView {
	const next: Record<string, unknown> = { ...(previous ?? {}) };
	for (const [key, value] of Object.entries(change)) next[key] = value;
	return next as unknown as LessonView;
}
