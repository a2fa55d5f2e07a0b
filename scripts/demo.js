'use strict';
/**
 * `npm start`: runs examples/delete-contact.json — Manual Trigger → Kore Contacts (Delete) — inside n8n's
 * own engine, in this process, with the COMPILED node and credential from dist/ (what n8n loads).
 *
 *  - By default against the local Kore-compatible server (scripts/kore-server) seeded with demo contacts:
 *    nothing leaves this machine, and the script checks that the server saw exactly one DELETE.
 *  - With KORE_HOST, KORE_ACCOUNT_ID, KORE_CLIENT_ID, KORE_CLIENT_SECRET, KORE_STREAM_ID and KORE_CONTACT_ID
 *    all set: the same workflow against that Kore account (it really deletes that contact).
 *
 * Needs only the project's own dependencies (n8n-core, n8n-workflow): no n8n download.
 * Exit code 0 when the contact was deleted, 1 when anything failed, 2 for a configuration mistake.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE_FILE = path.join(ROOT, 'examples', 'delete-contact.json');
const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

/** The environment variables that switch the demo to a real Kore account (all or none). */
const REAL_ACCOUNT_VARS = [
	['KORE_HOST', 'your Kore environment URL, e.g. https://platform.kore.ai'],
	['KORE_ACCOUNT_ID', 'your Kore account ID'],
	['KORE_CLIENT_ID', 'the Client ID of a JWT app mapped to the "Configuration" API scope'],
	['KORE_CLIENT_SECRET', 'the Client Secret of that app'],
	['KORE_STREAM_ID', 'the bot (stream) ID, st-…'],
	['KORE_CONTACT_ID', 'the ID of the contact to delete'],
];

/** Strings that must never be printed (the client secret); filled before anything runs. */
const secrets = [];

/** Hides secrets and anything shaped like a JWT in text that is about to be printed. */
function redact(text) {
	let out = String(text);
	for (const secret of secrets) if (secret) out = out.split(secret).join('***');
	return out.replace(/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g, '<token hidden>');
}

function say(text = '') {
	process.stdout.write(redact(text) + '\n');
}

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

/** The compiled classes n8n itself would load from this package. */
function loadCompiled() {
	const nodeFile = path.join(ROOT, 'dist', 'nodes', 'KoreContacts', 'KoreContacts.node.js');
	const credentialFile = path.join(ROOT, 'dist', 'credentials', 'KoreContactsApi.credentials.js');
	if (!fs.existsSync(nodeFile) || !fs.existsSync(credentialFile)) {
		throw new ConfigError('The compiled node is missing (dist/). Run `npm start`, which builds it first, or `npm run build`.');
	}
	const { KoreContacts } = require(nodeFile);
	const { KoreContactsApi } = require(credentialFile);
	return { node: new KoreContacts(), credentialType: new KoreContactsApi() };
}

function koreNodeOf(workflow) {
	const node = workflow.nodes.find((n) => n.type === KORE_NODE_TYPE);
	if (!node) throw new Error(`${path.relative(ROOT, EXAMPLE_FILE)} has no Kore Contacts node`);
	return node;
}

/** The demo server's seed: demoSeed() with its first contact carrying the id the example deletes. */
function localSeed(demoSeed, example) {
	const params = koreNodeOf(example).parameters;
	const seed = demoSeed({ streamId: params.streamId });
	seed.contacts[0] = { ...seed.contacts[0], id: params.contactId };
	return seed;
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

async function main() {
	const started = Date.now();
	const target = chooseTarget(process.env);
	if (target.kind === 'real') secrets.push(target.credentials.clientSecret);

	const example = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8'));
	const { node, credentialType } = loadCompiled();
	const { runWorkflow, nodeOutputs } = require('./lib/engine.js');
	const { startKoreServer, demoSeed } = require('./kore-server');

	say(`Kore Contacts demo: runs ${path.relative(ROOT, EXAMPLE_FILE)} ("${example.name}") in n8n's workflow engine.`);
	say('');

	/** @type {import('./kore-server').KoreServer | undefined} */
	let server;
	let credentials;
	const workflow = JSON.parse(JSON.stringify(example));
	const params = koreNodeOf(workflow).parameters;
	if (target.kind === 'local') {
		const seed = localSeed(demoSeed, example);
		server = await startKoreServer(seed);
		credentials = { host: server.url, accountId: seed.accountId, clientId: seed.clientId, clientSecret: seed.clientSecret };
		secrets.push(seed.clientSecret);
		say(`Started a local Kore server at ${server.url} with ${seed.contacts.length} demo contacts. Nothing leaves this machine.`);
	} else {
		credentials = target.credentials;
		params.streamId = target.streamId;
		params.contactId = target.contactId;
		say('WARNING: all KORE_* variables are set, so this runs against your REAL Kore account:');
		say(`  host ${credentials.host}, account ${credentials.accountId}, stream ${target.streamId}`);
		say(`  It really deletes contact ${target.contactId} (Kore marks it INACTIVE).`);
		if (process.stdin.isTTY) {
			say('  Starting in 5 seconds. Press Ctrl-C to cancel.');
			await new Promise((resolve) => setTimeout(resolve, 5000));
		}
	}
	say(`Deleting contact ${params.contactId} from stream ${params.streamId}...`);
	say('');

	let ok = false;
	try {
		const result = await runWorkflow(workflow, {
			nodeTypes: { [KORE_NODE_TYPE]: node },
			credentialType,
			credentials,
		});
		const nodeName = koreNodeOf(workflow).name;
		if (result.error) {
			printWorkflowError(result.error);
		} else {
			const [items = []] = nodeOutputs(result, nodeName);
			const { deleted, failed } = printItems(items);
			ok = failed === 0 && deleted.length > 0;
			if (deleted.length === 0 && failed === 0) say('✘ The node returned no item.');
			if (ok && deleted.some((c) => c.status !== 'INACTIVE')) {
				say('✘ Kore answered, but the contact is not INACTIVE.');
				ok = false;
			}
		}
		if (server) ok = checkServerLog(server, params) && ok;
	} finally {
		if (server) {
			await server.close();
			say('Stopped the local Kore server.');
		}
	}

	say('');
	if (!ok) {
		say(`npm start FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s (see above).`);
		return 1;
	}
	say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	if (target.kind === 'local') {
		say('Next: `npm run dev` opens this workflow in a real n8n editor. To delete a contact in your own Kore account,');
		say('set KORE_HOST, KORE_ACCOUNT_ID, KORE_CLIENT_ID, KORE_CLIENT_SECRET, KORE_STREAM_ID and KORE_CONTACT_ID.');
	}
	return 0;
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

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			if (error instanceof ConfigError) {
				say(error.message);
				process.exit(2);
			}
			say(`npm start FAILED: ${error && error.stack ? error.stack : error}`);
			process.exit(1);
		},
	);
}

module.exports = { localSeed, chooseTarget };
