// The Lab factory the screen commands hand to the screen. It imports the engine
// (execa, nats.js, the cluster) only when called, so the setup view is already
// drawn while those modules load; the screen itself never imports them.

import type { CreateLabOptions } from '../lab/lab.js';
import type { Lab } from '../lab/types.js';

export type CreateLab = (opts: CreateLabOptions) => Promise<Lab>;

export const createLabLazily: CreateLab = async (opts) => (await import('../lab/lab.js')).createLab(opts);
