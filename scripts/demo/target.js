'use strict';
/**
 * Which Kore `npm start` talks to: the local demo server, or a real Kore account when every KORE_* variable
 * is set (a few of them is a configuration mistake, said as such).
 */

/** The environment variables that switch the demo to a real Kore account (all or none). */
const REAL_ACCOUNT_VARS = [
	['KORE_HOST', 'your Kore environment URL, e.g. https://platform.kore.ai'],
	['KORE_ACCOUNT_ID', 'your Kore account ID'],
	['KORE_CLIENT_ID', 'the Client ID of a JWT app mapped to the "Configuration" API scope'],
	['KORE_CLIENT_SECRET', 'the Client Secret of that app'],
	['KORE_STREAM_ID', 'the bot (stream) ID, st-…'],
	['KORE_CONTACT_ID', 'the ID of the contact to delete'],
];

/** A configuration mistake: `npm start` prints its message and exits 2. */
class ConfigError extends Error {}

/** Which account to use: the local demo server, or a real Kore account from the environment. */
function chooseTarget(env) {
	const present = REAL_ACCOUNT_VARS.filter(([name]) => (env[name] ?? '').trim() !== '');
	if (present.length === 0) return { kind: 'local' };
	if (present.length < REAL_ACCOUNT_VARS.length) {
		const missing = REAL_ACCOUNT_VARS.filter(([name]) => (env[name] ?? '').trim() === '');
		throw new ConfigError(
			[
				`Some KORE_* variables are set (${present.map(([name]) => name).join(', ')}), but not all of them.`,
				'To run against a real Kore account, also set:',
				...missing.map(([name, what]) => `  ${name.padEnd(19)} ${what}`),
				'To run the local demo instead, unset every KORE_* variable.',
			].join('\n'),
		);
	}
	const value = (name) => env[name].trim();
	return {
		kind: 'real',
		credentials: {
			host: value('KORE_HOST'),
			accountId: value('KORE_ACCOUNT_ID'),
			clientId: value('KORE_CLIENT_ID'),
			clientSecret: env.KORE_CLIENT_SECRET, // as given: a secret is not trimmed
		},
		streamId: value('KORE_STREAM_ID'),
		contactId: value('KORE_CONTACT_ID'),
	};
}

module.exports = { ConfigError, chooseTarget };
