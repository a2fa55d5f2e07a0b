'use strict';
/**
 * The n8n harness: a real n8n 2.41.1 for the e2e suite (test/e2e), `npm run dev` and `npm run bench -- queue`.
 * This file only gathers the API; each concern has its module (see README.md beside this file), and
 * index.d.ts types all of it. Runs on Node 24 (the npm scripts' node_modules/.bin/node). Node built-ins only.
 */
const { N8N_VERSION, resolveCacheDir, ensureN8n, installedN8n } = require('./install');
const { ENCRYPTION_KEY, createUserFolder, baseEnv } = require('./user-folder');
const { runN8n, importCredentials, importWorkflow, executeWorkflow, publishWorkflow } = require('./cli');
const { extractRunJson, nodeOutput } = require('./cli-output');
const { npmPack, installCommunityPackage, recordCommunityPackage, packageNodes } = require('./community-package');
const { DEFAULT_OWNER, startEditor } = require('./editor');
const { postgresEnv, queueEnv, startCluster } = require('./cluster');
const { startRedis, startPostgres, startServices, findRedis, findPostgresBinDir } = require('./services');

module.exports = {
	// install (install.js, install-lock.js)
	N8N_VERSION,
	resolveCacheDir,
	ensureN8n,
	installedN8n,
	// user folder and env (user-folder.js)
	ENCRYPTION_KEY,
	createUserFolder,
	baseEnv,
	// the CLI and its output (cli.js, cli-output.js)
	runN8n,
	importCredentials,
	importWorkflow,
	publishWorkflow,
	executeWorkflow,
	extractRunJson,
	nodeOutput,
	// this package as a community package (community-package.js)
	npmPack,
	installCommunityPackage,
	recordCommunityPackage,
	packageNodes,
	// the editor (editor.js)
	DEFAULT_OWNER,
	startEditor,
	// queue mode: cluster, services and the lab (cluster.js, services.js, queue-lab.js)
	postgresEnv,
	queueEnv,
	startCluster,
	startRedis,
	startPostgres,
	startServices,
	findRedis,
	findPostgresBinDir,
	/** loaded on first use: it brings in the local Kore server (scripts/kore-server) */
	get queueLab() {
		return require('./queue-lab');
	},
};
