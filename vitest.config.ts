import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests run in parallel; integration tests start real
// nats-server processes, so they run one file at a time (2 cores, fixed ports).
export default defineConfig({
	test: {
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
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 180_000,
					globalSetup: ['test/support/global-setup.ts'],
				},
			},
		],
	},
});
