// Names and empty records of JetStream assets (streams, consumers) in LabState.

import type { ConsumerState, StreamState } from './state.js';

/** Key of a stream in state: "ORDERS" for the global account `$G`, "ACC > ORDERS" otherwise. */
export function streamKey(account: string, stream: string): string {
	return account === '$G' ? stream : `${account} > ${stream}`;
}

/** "ORDERS > C1". */
export function consumerKey(account: string, stream: string, consumer: string): string {
	return `${streamKey(account, stream)} > ${consumer}`;
}

export function newStream(name: string): StreamState {
	return {
		name,
		leader: null,
		leaderSince: null,
		previousLeader: null,
		replicas: [],
		messages: 0,
		noQuorum: false,
		viewFrom: null,
	};
}

export function newConsumer(name: string): ConsumerState {
	return { name, leader: null, leaderSince: null, previousLeader: null, noQuorum: false };
}
