'use strict';
/**
 * What `npm start` prints: the contacts the node deleted (or why an item or the workflow failed) and what the
 * local Kore server received — with every secret and anything shaped like a JWT hidden.
 */

/** Strings that must never be printed (the client secret); filled before anything runs. */
const secrets = [];

/** Hides secrets and anything shaped like a JWT in text that is about to be printed. */
function redact(text) {
	let out = String(text);
	for (const secret of secrets) if (secret) out = out.split(secret).join('***');
	return out.replace(/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g, '<token hidden>');
}

/** Prints a line, secrets hidden. */
function say(text = '') {
	process.stdout.write(redact(text) + '\n');
}

/** Never print `secret` from now on. */
function hideSecret(secret) {
	secrets.push(secret);
}

function describeContact(contact) {
	const name = String(contact.fullName || [contact.firstName, contact.lastName].filter(Boolean).join(' ') || '(no name)');
	const phone = contact.cellPhone && contact.cellPhone.phoneNumber ? ` (${contact.cellPhone.phoneNumber})` : '';
	return `${name}${phone}`;
}

function indent(text, by = '  ') {
	return text
		.split('\n')
		.map((line) => by + line)
		.join('\n');
}

/**
 * Prints what the Kore Contacts node returned. Returns the deleted contacts; failed items are printed
 * and counted as failures.
 */
function printItems(items) {
	const deleted = [];
	let failed = 0;
	for (const { json } of items) {
		if (json.error !== undefined) {
			failed++;
			say(`✘ This item failed: ${json.error}`);
			if (json.details) say(`  ${json.details}`);
			continue;
		}
		deleted.push(json);
		say(`✔ Deleted contact ${describeContact(json)}`);
		say(`  ID:     ${json.id}`);
		say(`  Status: ${json.status}${json.status === 'INACTIVE' ? '  (Kore keeps the contact, marked inactive: a soft delete)' : ''}`);
		say('');
		say('  The item the node passes on to the next node:');
		say(indent(JSON.stringify(json, null, 2), '  '));
	}
	return { deleted, failed };
}

function printWorkflowError(error) {
	say(`✘ The workflow stopped with an error: ${error.message}`);
	if (error.description) say(`  ${error.description}`);
}

/** Prints what the local server received and checks that it was exactly the one DELETE expected. */
function checkServerLog(server, params) {
	const expectedPath = `/agentassist/api/v1/public/${encodeURIComponent(params.streamId)}/contacts/${encodeURIComponent(params.contactId)}`;
	const log = server.requests;
	say('');
	say(`What the local Kore server received (${log.length} request${log.length === 1 ? '' : 's'}):`);
	for (const r of log) {
		const auth = r.authError ? `rejected: ${r.authError}` : `signed token for app ${r.appId}, account ${r.accountId}`;
		say(`  ${r.method} ${r.path}  →  HTTP ${r.status}  (${auth})`);
	}
	const good = log.length === 1 && log[0].method === 'DELETE' && log[0].path === expectedPath && log[0].status === 200;
	if (!good) say(`✘ Expected exactly one DELETE ${expectedPath} answered with HTTP 200.`);
	return good;
}

module.exports = { say, hideSecret, printItems, printWorkflowError, checkServerLog };
