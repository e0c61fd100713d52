import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import SuiteSequencer from './test/support/sequencer.js';

// Unit tests (most sharing a process per worker, a few with one of their own), and integration
// tests that start real nats-server processes.
// Two files at a time (this machine has 2 cores; Vitest's default would be one): every integration
// file has its own port block (test/support/ports.ts) and its own NATSLAB_HOME. The suite took
// ~17–21 min one file at a time, ~10 min two at a time. Three at a time took ~7 min, but one run in
// four then failed four integration tests on conditions the load brings out (docs/engineering-notes.md,
// "The suite two files at a time"). Server conditions under load are named, not retried.
/**
 * Unit files that test what happens once per process (crash.log's written-once flag), or need a
 * module loaded under their own environment (run-screen: Ink reads CI once, when it loads), so get
 * a process of their own. The others were run without isolation in six shuffled file orders
 * (`--no-isolate --sequence.shuffle.files --sequence.seed=N`); add a file here when such a run fails it.
 */
const UNIT_NEEDS_OWN_PROCESS = [
	'test/unit/lab/crash-log.test.ts',
	'test/unit/commands/report.test.ts',
	'test/unit/ui/run-screen.test.tsx',
];
/** Where a unit test that names no NATSLAB_HOME of its own writes (the course cache): never the user's ~/.cache. */
const unitEnv = { NATSLAB_HOME: join(tmpdir(), 'natslab-unit-home') };

export default defineConfig({
	test: {
		maxWorkers: 2,
		sequence: { sequencer: SuiteSequencer },
		projects: [
			{
				// Unit files share their modules within a worker (no isolation): the unit project took
				// ~92 s, most of it importing Ink, React and the sources again per file; now ~29 s.
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.{ts,tsx}'],
					exclude: UNIT_NEEDS_OWN_PROCESS,
					isolate: false,
					environment: 'node',
					env: unitEnv,
				},
			},
			{
				test: {
					name: 'unit-isolated',
					include: UNIT_NEEDS_OWN_PROCESS,
					environment: 'node',
					env: unitEnv,
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
