// The connection flags of the commands that read a cluster natslab did not
// start over NATS as a system-account user, or from its monitoring URLs
// (watch, preflight): declared once,
// and turned into a NatsSource once. --password is visible in `ps`, so the
// password may also come from --password-file or NATS_PASSWORD; a secrets file
// that others can read gets the warning ssh gives for a key.

import { readFileSync } from 'node:fs';
import { fsUserError } from '../base/errors.js';
import { fileName, type OptionValues, usageError, valueOption } from '../base/options.js';
import { redactUrl } from '../base/redact.js';
import { credsWarning, type NatsSource } from '../remote/nats.js';

/** `--server` and the login flags; `when` starts each help line ("with --server: "). */
export function natsConnectionOptions(command: string, serverHelp: string, when = '') {
	return {
		server: valueOption('URLS', serverHelp, natsUrls(command)),
		user: valueOption('USER', `${when}a system-account user`),
		password: valueOption(
			'PASSWORD',
			'its password (visible in ps: prefer NATS_PASSWORD or --password-file)',
		),
		'password-file': valueOption(
			'FILE',
			'read the password from this file (a warning when others can read it)',
			fileName,
		),
		creds: valueOption(
			'FILE',
			`${when}a system-account creds file (a warning when others can read it)`,
			fileName,
		),
		nkey: valueOption('FILE', `${when}a file holding a system-account user nkey seed (SU…)`, fileName),
		'tls-ca': valueOption('FILE', `${when}CA certificate for a TLS server`, fileName),
	};
}

type ConnectionValues = OptionValues<ReturnType<typeof natsConnectionOptions>>;

/** "a, b,,c" → ['a', 'b', 'c']. */
function commaList(raw: string): string[] {
	return raw
		.split(',')
		.map((u) => u.trim())
		.filter((u) => u !== '');
}

/** The `--monitor URLS` parser: http:// monitoring URLs, comma-separated (echoed without a password). */
export function monitorUrls(command: string) {
	return (raw: string, flagName: string): string[] => {
		const urls = commaList(raw);
		if (urls.length === 0) throw usageError(command, `${flagName} needs at least one URL`);
		for (const u of urls) {
			let parsed: URL;
			try {
				parsed = new URL(u);
			} catch (err) {
				throw usageError(
					command,
					`${flagName}: "${redactUrl(u)}" is not a URL like http://host:8222 (${(err as Error).message})`,
				);
			}
			if (parsed.protocol !== 'http:')
				throw usageError(command, `${flagName}: ${parsed.host} must be an http:// monitoring URL`);
		}
		return urls;
	};
}

function natsUrls(command: string) {
	return (raw: string, flagName: string): string[] => {
		const list = commaList(raw);
		const bad = list.find((u) => !/^(nats|tls):\/\/\S+$/.test(u));
		if (list.length === 0 || bad !== undefined)
			throw usageError(
				command,
				`${flagName} needs nats:// URLs, comma-separated${bad ? ` (not "${redactUrl(bad)}")` : ''}`,
			);
		return list;
	};
}

/** The flags → a NatsSource (password: --password, else --password-file, else NATS_PASSWORD). */
export function natsSourceOf(
	command: string,
	values: ConnectionValues,
	servers: string[],
	io: { stderr: { write(s: string): unknown }; env: NodeJS.ProcessEnv },
): NatsSource {
	const logins = [values.creds, values.nkey, values.user].filter((v) => v !== undefined).length;
	if (logins > 1) throw usageError(command, 'give one of --user, --creds, --nkey');
	if (values.user === undefined && (values.password !== undefined || values['password-file'] !== undefined))
		throw usageError(command, '--password and --password-file need --user');
	for (const file of [values.creds, values.nkey, values['password-file']]) {
		if (file === undefined) continue;
		let warning: string | null;
		try {
			warning = credsWarning(file, command);
		} catch (err) {
			throw fsUserError(err, command, file);
		}
		if (warning) io.stderr.write(`${warning}\n`);
	}
	const src: NatsSource = { servers };
	if (values.user !== undefined) {
		src.user = values.user;
		const password =
			values.password ?? passwordFile(command, values['password-file']) ?? io.env.NATS_PASSWORD;
		if (password !== undefined) src.password = password;
	}
	if (values.creds) src.credsFile = values.creds;
	if (values.nkey) src.nkeyFile = values.nkey;
	if (values['tls-ca']) src.tlsCa = values['tls-ca'];
	return src;
}

function passwordFile(command: string, file: string | undefined): string | undefined {
	if (file === undefined) return undefined;
	try {
		return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
	} catch (err) {
		throw fsUserError(err, `${command} --password-file`, file);
	}
}
