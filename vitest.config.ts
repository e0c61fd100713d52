import { defineConfig } from 'vitest/config';

// Two projects: unit tests, and integration tests that start real nats-server processes.
// Two files at a time in both (this machine has 2 cores; Vitest's default would be one): every
// integration file has its own port block (test/support/ports.ts) and its own NATSLAB_HOME, so two
// can run side by side. The suite took ~17–21 min one file at a time, ~10 min two at a time.
// Server conditions that appear under that load are named, not retried (docs/engineering-notes.md).
export default defineConfig({
	test: {
		maxWorkers: 2,
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
