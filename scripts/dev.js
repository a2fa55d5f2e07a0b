'use strict';
/**
 * `npm run dev`: a real n8n editor (n8n 2.41.1) on http://localhost:5678 with this package installed as
 * n8n's Community Nodes UI installs one (listed under Settings → Community nodes), a local Kore-compatible
 * server with demo contacts, a credential pointing at it and the workflows from examples/ already imported.
 * Ctrl-C stops everything.
 *
 * The npm script builds first; this script packs the package (`npm pack`), installs the tarball into the
 * persistent n8n user folder .cache/dev-user (your own workflows and executions stay there between runs;
 * the package, the "Kore (local demo)" credential and the example workflows are replaced on every start;
 * delete the folder for a clean start), records it in n8n's database as n8n's own install does, starts the
 * Kore server and then the editor. The one difference from the UI install: the files come from this
 * checkout's `npm pack` instead of the npm registry. n8n itself comes from the n8n harness (scripts/n8n-harness),
 * the demo data from scripts/demo/seed.js.
 *
 * Environment: N8N_PORT or PORT (editor, default 5678), KORE_PORT (local Kore server, default 5681).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./n8n-harness');
const { startKoreServer } = require('./kore-server');
const { ROOT, DELETE_EXAMPLE, loadExamples, localSeed } = require('./demo/seed');
const { say, portFromEnv, assertPortFree, followServerLog, watchEditor } = require('./demo/dev-session');

const USER_FOLDER = path.join(ROOT, '.cache', 'dev-user');
const CREDENTIAL = { id: 'koreDemo', name: 'Kore (local demo)' };

function seconds(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function main() {
	const t0 = Date.now();
	const editorPort = portFromEnv(['N8N_PORT', 'PORT'], 5678);
	const korePort = portFromEnv(['KORE_PORT'], 5681);
	if (editorPort === korePort) throw new Error(`The editor and the Kore server cannot both use port ${editorPort}.`);
	await assertPortFree(editorPort, 'n8n editor', 'N8N_PORT=…');
	await assertPortFree(korePort, 'local Kore server', 'KORE_PORT=…');

	// 1. n8n itself
	const cacheDir = n8n.resolveCacheDir();
	if (!fs.existsSync(path.join(cacheDir, '.e2e-ready.json'))) {
		say(`First run: installing n8n ${n8n.N8N_VERSION} into ${path.relative(ROOT, cacheDir) || cacheDir}.`);
		say('This takes about 6 minutes and ~3 GB (npm install + building sqlite3); later runs start in seconds.');
	}
	await n8n.ensureN8n({ log: (line) => (line.includes('ready in') ? undefined : say(line)) });

	// 2. this package, installed like the Community Nodes UI does
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kore-contacts-pack-'));
	let installed;
	try {
		const tarball = await n8n.npmPack(packDir);
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		installed = await n8n.installCommunityPackage(USER_FOLDER, tarball);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	say(`Installed ${installed.packageName}@${installed.version} into the n8n user folder ${path.relative(ROOT, USER_FOLDER)}.`);

	// 3. the local Kore server (fixed port, demo data, Kore's rate limit of 60 requests per minute)
	const examples = loadExamples();
	const deleteExample = examples.get(DELETE_EXAMPLE);
	if (!deleteExample) throw new Error(`examples/${DELETE_EXAMPLE} is missing`);
	const seed = localSeed(deleteExample);
	const server = await startKoreServer({ ...seed, host: '127.0.0.1', port: korePort, rateLimit: { limit: 60, windowMs: 60_000 } });

	let editor;
	let stopFollowing = () => {};
	let stopWatching = () => {};
	let stopping = false;
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		stopFollowing();
		stopWatching();
		say('\nStopping n8n and the local Kore server...');
		await editor?.stop().catch(() => {});
		await server.close().catch(() => {});
		say('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		// 4. credential and example workflows
		const env = n8n.baseEnv(USER_FOLDER);
		say('Importing the "Kore (local demo)" credential and the example workflows...');
		await n8n.importCredentials(env, [
			{
				...CREDENTIAL,
				type: 'koreContactsApi',
				data: {
					host: 'custom',
					customHost: server.url,
					accountId: seed.accountId,
					clientId: seed.clientId,
					clientSecret: seed.clientSecret,
					requestsPerMinute: 60,
					testStreamId: seed.streamId,
				},
			},
		]);
		await n8n.importWorkflow(env, [...examples.values()]);
		// Settings → Community nodes lists the packages n8n's database records (the import above created it)
		await n8n.recordCommunityPackage(USER_FOLDER, installed, n8n.packageNodes());

		// 5. the editor; its log goes to a file, the terminal shows what Kore receives
		const logFile = path.join(USER_FOLDER, 'n8n.log');
		const logStream = fs.createWriteStream(logFile, { flags: 'w' });
		say(`Starting the n8n editor (about 15 s; its log: ${path.relative(ROOT, logFile)})...`);
		editor = await n8n.startEditor(env, { port: editorPort, log: (line) => logStream.write(line + '\n') });
		stopWatching = watchEditor(editor, shutdown);

		const contact = seed.contacts[0];
		say('');
		say(`n8n is ready (set up in ${seconds(t0)}):  ${editor.url}`);
		say(`  Log in as ${editor.owner.email} / ${editor.owner.password}`);
		say('');
		say('Try this:');
		say(`  1. Open the workflow "${deleteExample.name}" and click "Execute workflow".`);
		say(`     It deletes ${contact.firstName} ${contact.lastName} (ID ${contact.id}); the output shows status INACTIVE.`);
		say('  2. Execute it again: Kore now answers "Contact not found" (HTTP 404), shown as the node\'s error.');
		say('  3. Credentials > "Kore (local demo)" > Test: it reads one contact to prove the credential works.');
		say('  4. Add a Kore Contacts node to a new workflow to see all its operations and options.');
		say('  The other imported examples (from examples/) use the same credential:');
		for (const [file, w] of examples) if (file !== DELETE_EXAMPLE) say(`     - "${w.name}"`);
		say('');
		say(`Local Kore server: ${server.url} (account ${seed.accountId}, stream ${seed.streamId},`);
		say(`  ${seed.contacts.length} demo contacts, 60 requests per minute). Its requests are listed below as they arrive.`);
		say(`  Restore the demo contacts:  curl -X POST ${server.url}/__admin/reset`);
		say(`  See the contacts:           curl ${server.url}/__admin/contacts?streamId=${seed.streamId}`);
		say('');
		say('Press Ctrl-C to stop.');
		stopFollowing = followServerLog(server);
	} catch (error) {
		say(`\nnpm run dev FAILED: ${error && error.message ? error.message : error}`);
		await shutdown(1);
	}
}

main().catch((error) => {
	say(`npm run dev FAILED: ${error && error.message ? error.message : error}`);
	process.exit(1);
});
