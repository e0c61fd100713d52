import { defineConfig } from 'vitest/config';
import SuiteSequencer from './test/support/sequencer.js';

// Two projects: unit tests, and integration tests that start real nats-server processes.
// Three files at a time (this machine has 2 cores; Vitest's default would be one): integration
// files mostly wait on real servers, and every one has its own port block (test/support/ports.ts)
// and its own NATSLAB_HOME, so three run side by side. The suite took ~17–21 min one file at a
// time, ~10 min two at a time, ~7 three at a time with the order of test/support/sequencer.ts.
// Server conditions that appear under that load are named, not retried (docs/engineering-notes.md).
export default defineConfig({
	test: {
		maxWorkers: 3,
		sequence: { sequencer: SuiteSequencer },
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.{ts,tsx}'],
					environment: 'node',
				},
			},
			{
				test: {
					name: 'integration',
					include: ['test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 180_000,
					globalSetup: ['test/support/global-setup.ts'],
				},
			},
		],
	},
});
