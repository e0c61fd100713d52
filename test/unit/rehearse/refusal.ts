// What a refused input looks like to the user: the one line and its exit code.
import { isUserError } from '../../../src/base/errors.js';

export function refusal(fn: () => unknown): { message: string; exitCode: number } {
	try {
		fn();
	} catch (err) {
		if (isUserError(err)) return { message: err.message, exitCode: err.exitCode };
		throw err;
	}
	throw new Error('expected a refusal');
}
