// What running a lesson produces: per-step results, the lesson's result, and
// the events the auto runner prints as it goes.

import type { ActionSource, NodeName } from '../base/names.js';
import type { DiagnosisNote } from '../observe/diagnoses.js';

export type { DiagnosisNote };

import type { Measurement } from './measures.js';

export type RunMode = 'interactive' | 'auto';

/** A key press as the lesson panel hands it over. */
export interface LessonKey {
	ch: string;
	enter?: boolean;
}

export interface StepResult {
	index: number;
	title: string;
	status: 'done' | 'skipped' | 'failed';
	ms: number;
	target: string | null;
	actions: string[];
	waits: { text: string; status: string; met: boolean }[];
	measurements: Measurement[];
	check?: { question: string; answer: string; firstTry: boolean };
	failure?: string;
	/** Named conditions the servers were in when the step gave up (observe/diagnoses.ts). */
	diagnoses?: DiagnosisNote[];
}

export interface LessonResult {
	id: string;
	title: string;
	/** `skipped`: not run (learn --auto: the lesson's own nats-server version cannot be had; `failure` says why). */
	status: 'done' | 'failed' | 'aborted' | 'skipped';
	ms: number;
	steps: StepResult[];
	measurements: Measurement[];
	/** One line: which step, what it waited for, what the state said. */
	failure?: string;
	/** The failed step's named diagnoses: a server condition (one-way route, stuck replica), not a natslab bug. */
	diagnoses?: DiagnosisNote[];
}

export type LessonEvent =
	| {
			type: 'step-start';
			index: number;
			title: string;
			target: { node: NodeName; why: string } | null;
			replay: boolean;
	  }
	| { type: 'action'; index: number; text: string; by: ActionSource }
	| { type: 'waiting'; index: number; texts: string[] }
	| { type: 'step-end'; result: StepResult };
