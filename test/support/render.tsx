// Rendering Ink components in unit tests: ink-testing-library plus the screen's
// providers (Lab, theme, a fixed terminal size and clock), and a FakeLab that
// holds a LabState built by the real reducer and records every act() call.
// A FakeLab is for screen tests only: it is not a cluster and proves nothing
// about one.

import { cleanup, render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import type { ActionSource, NodeAction, NodeName, NodePorts } from '../../src/base/names.js';
import { waitUntil } from '../../src/base/wait.js';
import type { Lab } from '../../src/lab/types.js';
import type { LabEvent, VerifyResult } from '../../src/observe/events.js';
import type { LabState } from '../../src/observe/state.js';
import type { ProbeSpec } from '../../src/probes/spec.js';
import { LabProvider, type TerminalSize, TerminalSizeProvider } from '../../src/ui/context.js';
import { ThemeProvider } from '../../src/ui/theme.js';

export class FakeLab implements Lab {
	readonly acts: { action: NodeAction; by: ActionSource }[] = [];
	readonly emitted: LabEvent[] = [];
	/** When set, act() rejects with this error (a Lab that refuses). */
	actError: Error | null = null;
	shutdownCalls = 0;
	/** Set by screen tests of the probes' start behind the dashboard. */
	probeStartup?: Lab['probeStartup'];
	private listeners = new Set<(s: LabState) => void>();

	constructor(
		private state: LabState,
		readonly versions: { initial: string; upgradeTo: string | null } = {
			initial: '2.9.10',
			upgradeTo: '2.10.27',
		},
		private readonly reducer?: (s: LabState, e: LabEvent) => LabState,
	) {}

	getState(): LabState {
		return this.state;
	}
	subscribe(listener: (s: LabState) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	/** Replace the state (as the engine would after some events) and notify. */
	setState(next: LabState): void {
		this.state = next;
		for (const l of [...this.listeners]) l(next);
	}
	emit(event: LabEvent): void {
		this.emitted.push(event);
		if (this.reducer) this.setState(this.reducer(this.state, event));
	}
	async act(action: NodeAction, by: ActionSource): Promise<void> {
		this.acts.push({ action, by });
		if (this.actError) throw this.actError;
	}
	async startProbes(_specs: ProbeSpec[]): Promise<void> {}
	async stopProbes(): Promise<void> {}
	async verify(): Promise<VerifyResult | null> {
		return null;
	}
	ports(node: NodeName): NodePorts {
		const i = this.state.cluster.order.indexOf(node);
		return { client: 14222 + i, cluster: 16222 + i, http: 18222 + i };
	}
	clientUrls(): string[] {
		return this.state.cluster.order.map((n) => `nats://127.0.0.1:${this.ports(n).client}`);
	}
	async shutdown(): Promise<void> {
		this.shutdownCalls++;
	}
	async release(): Promise<void> {}
}

export interface ProviderOptions {
	lab: Lab;
	size?: TerminalSize;
	color?: boolean;
	/** Fixed wall clock for durations; default: the newest event's time. */
	clock?: () => number;
	source?: ActionSource;
}

export function withProviders(ui: ReactElement, opts: ProviderOptions): ReactElement {
	const clock = opts.clock ?? (() => opts.lab.getState().now);
	return (
		<ThemeProvider color={opts.color ?? true}>
			<TerminalSizeProvider size={opts.size ?? { cols: 100, rows: 30 }}>
				<LabProvider lab={opts.lab} clock={clock} source={opts.source ?? 'learner'}>
					{ui}
				</LabProvider>
			</TerminalSizeProvider>
		</ThemeProvider>
	);
}

export function renderWithProviders(ui: ReactElement, opts: ProviderOptions) {
	const result = render(withProviders(ui, opts));
	return {
		...result,
		/** The last frame, or '' before the first. */
		frame: () => result.lastFrame() ?? '',
		rerenderWith: (next: ReactElement) => result.rerender(withProviders(next, opts)),
	};
}

export { cleanup };

export const tick = (ms = 0) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll until `pred` holds; throws with the last frame on timeout. */
export async function waitForFrame(
	frame: () => string,
	pred: (f: string) => boolean,
	what: string,
	timeoutMs = 3000,
): Promise<string> {
	return waitUntil(
		() => {
			const f = frame();
			return pred(f) ? f : undefined;
		},
		{ timeoutMs, everyMs: 10, describe: () => `timed out waiting for ${what}; last frame:\n${frame()}` },
	);
}
