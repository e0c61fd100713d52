// Where natslab writes. XDG by default; NATSLAB_HOME puts everything below one
// folder (tests use it so they never touch the user's cache or state).
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NatslabPaths {
	/** Downloaded and verified nats-server binaries: <cache>/servers/<version>/nats-server */
	cache: string;
	/** Cluster workspaces, run files, lesson progress. */
	state: string;
	/** User settings (none required). */
	config: string;
}

export function natslabPaths(env: NodeJS.ProcessEnv = process.env): NatslabPaths {
	const home = env.NATSLAB_HOME;
	if (home) {
		return { cache: join(home, 'cache'), state: join(home, 'state'), config: join(home, 'config') };
	}
	const userHome = env.HOME ?? homedir();
	return {
		cache: join(env.XDG_CACHE_HOME || join(userHome, '.cache'), 'natslab'),
		state: join(env.XDG_STATE_HOME || join(userHome, '.local', 'state'), 'natslab'),
		config: join(env.XDG_CONFIG_HOME || join(userHome, '.config'), 'natslab'),
	};
}
