'use strict';
/**
 * `npm start`: runs examples/delete-contact.json — Manual Trigger → Kore Contacts (Delete) — inside n8n's
 * own engine, in this process, with the COMPILED node and credential from dist/ (what n8n loads).
 *
 *  - By default against the local Kore-compatible server (scripts/kore-server) seeded with demo contacts
 *    (scripts/demo/seed.js): nothing leaves this machine, and the script checks that the server saw exactly
 *    one DELETE.
 *  - With KORE_HOST, KORE_ACCOUNT_ID, KORE_CLIENT_ID, KORE_CLIENT_SECRET, KORE_STREAM_ID and KORE_CONTACT_ID
 *    all set: the same workflow against that Kore account (it really deletes that contact; scripts/demo/target.js).
 *
 * Needs only the project's own dependencies (n8n-core, n8n-workflow): no n8n download.
 * Exit code 0 when the contact was deleted, 1 when anything failed, 2 for a configuration mistake.
 */
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, DELETE_EXAMPLE, KORE_NODE_TYPE, loadExample, koreNodeOf, localSeed } = require('./demo/seed');
const { ConfigError, chooseTarget } = require('./demo/target');
const { say, hideSecret, printItems, printWorkflowError, checkServerLog } = require('./demo/report');

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

async function main() {
	const started = Date.now();
	const target = chooseTarget(process.env);
	if (target.kind === 'real') hideSecret(target.credentials.clientSecret);

	const example = loadExample(DELETE_EXAMPLE);
	const { node, credentialType } = loadCompiled();
	const { runWorkflow, nodeOutputs } = require('./lib/engine.js');
	const { startKoreServer } = require('./kore-server');

	say(`Kore Contacts demo: runs examples/${DELETE_EXAMPLE} ("${example.name}") in n8n's workflow engine.`);
	say('');

	/** @type {import('./kore-server').KoreServer | undefined} */
	let server;
	let credentials;
	const workflow = JSON.parse(JSON.stringify(example));
	const params = koreNodeOf(workflow).parameters;
	if (target.kind === 'local') {
		const seed = localSeed(example);
		server = await startKoreServer(seed);
		credentials = { host: server.url, accountId: seed.accountId, clientId: seed.clientId, clientSecret: seed.clientSecret };
		hideSecret(seed.clientSecret);
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
