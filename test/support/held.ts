// A step a test lets finish, or fail, when it wants (a real promise, not a timer).

export interface HeldStep {
	run: () => Promise<void>;
	release: () => void;
	fail: (err: Error) => void;
}

export function held(): HeldStep {
	let release: () => void = () => {};
	let fail: (err: Error) => void = () => {};
	const promise = new Promise<void>((resolve, reject) => {
		release = resolve;
		fail = reject;
	});
	return { run: () => promise, release, fail };
}
