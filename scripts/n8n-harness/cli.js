'use strict';
/**
 * n8n's command line, on the installed n8n (install.js) and a user folder's env (user-folder.js):
 * `import:credentials`, `import:workflow`, `publish:workflow` and `execute` (whose output cli-output.js reads).
 * Node built-ins only.
 */
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const { installedN8n } = require('./install');
const { cliErrorMessage, extractRunJson } = require('./cli-output');
const { failure, freePort, run } = require('./processes');

/** @typedef {import('./processes').RunResult} RunResult */

/**
 * How long one n8n command may run before it is stopped: a guard against a hung n8n, not a measure of speed.
 * A command takes 5–8 s on an idle 2-core machine; on one loaded many times over, `execute` was seen taking
 * 113 s. Set far above that, so a busy machine makes the suite slower, not red.
 */
const CLI_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `n8n <args>` on Node 24 with cwd = the user folder (so no stray .env is loaded). Each run gets its
 * own task-broker port unless env sets N8N_RUNNERS_BROKER_PORT (the default 5679 collides with a running
 * editor or a parallel run).
 * @param {NodeJS.ProcessEnv} env @param {string[]} args
 * @param {{ timeoutMs?: number, onOutput?: (chunk: string) => void }} [opts]
 * @returns {Promise<RunResult>}
 */
async function runN8n(env, args, opts = {}) {
	const { nodeBin, n8nBin } = installedN8n(env);
	const userFolder = env.N8N_USER_FOLDER;
	if (!userFolder) throw new Error('env.N8N_USER_FOLDER is not set: build env with baseEnv(userFolder)');
	const runEnv = { ...env };
	if (!runEnv.N8N_RUNNERS_BROKER_PORT) runEnv.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	return await run(nodeBin, [n8nBin, ...args], {
		cwd: userFolder,
		env: runEnv,
		timeoutMs: opts.timeoutMs ?? CLI_TIMEOUT_MS,
		onOutput: opts.onOutput,
	});
}

/**
 * Writes `data` as JSON to a temp file, runs fn(file), removes the file.
 * @template T @param {unknown} data @param {(file: string) => Promise<T>} fn @returns {Promise<T>}
 */
async function withJsonFile(data, fn) {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-input-'));
	const file = path.join(dir, 'input.json');
	try {
		await fsp.writeFile(file, JSON.stringify(data, null, 2));
		return await fn(file);
	} finally {
		await fsp.rm(dir, { recursive: true, force: true });
	}
}

/**
 * `n8n import:credentials --input=<file>`. Each credential: `{ id, name, type, data }` with `data` a
 * plain object (n8n encrypts it on import with N8N_ENCRYPTION_KEY). Give an `id` so that workflows can
 * reference it as `credentials: { <type>: { id, name } }`. Assigned to the instance owner's personal project.
 * Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env
 * @param {Array<{ id?: string, name: string, type: string, data: Record<string, unknown> }>} credentialsArray
 * @returns {Promise<RunResult>}
 */
async function importCredentials(env, credentialsArray) {
	if (!Array.isArray(credentialsArray)) throw new TypeError('importCredentials: expected an array');
	const r = await withJsonFile(credentialsArray, (file) => runN8n(env, ['import:credentials', `--input=${file}`]));
	if (r.code !== 0 || !/Successfully imported \d+ credential/.test(r.stdout + r.stderr)) throw failure(r, 'n8n import:credentials');
	return r;
}

/** @returns {string} 16 alphanumeric chars (n8n workflow ids must be 1..21 chars to be executable by id) */
function newId() {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	return Array.from(crypto.randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * `n8n import:workflow --input=<file>`. Accepts one workflow object or an array; each needs `nodes` and
 * `connections`. A missing `id` is generated (ids longer than 21 chars are rejected here, because
 * `n8n execute` treats such an id as invalid). Imported inactive, into the owner's personal project.
 * Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env
 * @param {object | object[]} workflowJson
 * @returns {Promise<RunResult & { ids: string[] }>}
 */
async function importWorkflow(env, workflowJson) {
	const list = (Array.isArray(workflowJson) ? workflowJson : [workflowJson]).map((w) => ({ ...w }));
	for (const w of list) {
		if (!w || typeof w !== 'object' || !('nodes' in w) || !('connections' in w)) {
			throw new TypeError('importWorkflow: a workflow needs `nodes` and `connections`');
		}
		if (w.id === undefined) w.id = newId();
		if (typeof w.id !== 'string' || w.id.length < 1 || w.id.length > 21) {
			throw new TypeError(`importWorkflow: workflow id must be a string of 1..21 chars, got ${JSON.stringify(w.id)}`);
		}
		if (w.name === undefined) w.name = `e2e ${w.id}`;
	}
	const r = await withJsonFile(list, (file) => runN8n(env, ['import:workflow', `--input=${file}`]));
	if (r.code !== 0 || !/Successfully imported \d+ workflow/.test(r.stdout + r.stderr)) throw failure(r, 'n8n import:workflow');
	return { ...r, ids: list.map((w) => w.id) };
}

/**
 * `n8n execute --id=<id> --rawOutput`. Never throws for a failing workflow: look at `code` and `result`.
 *  - code 0: the workflow succeeded; `result` is the full IRun object (see README: `result.status`,
 *    `result.data.resultData.runData[<nodeName>][runIndex].data.main[outputIndex][itemIndex].json`).
 *  - code 1: the workflow failed; `result` is the same IRun shape with `status: "error"` and
 *    `data.resultData.error` set (n8n prints it after "Execution was NOT successful"); stderr has the
 *    error message. `result` is null if n8n failed before running (e.g. unknown workflow id).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} id
 * @param {{ timeoutMs?: number }} [opts]
 * `errorMessage` (code != 0 only) is the workflow error's message, or n8n's own message when it failed before
 * running (unknown id: 'The workflow with the id "x" does not exist.'; a node type that is not installed:
 * "Unrecognized node type: <type>"; no Manual Trigger: "Missing node to start execution").
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, result: any | null, errorMessage: string | undefined, durationMs: number }>}
 */
async function executeWorkflow(env, id, opts = {}) {
	const r = await runN8n(env, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: opts.timeoutMs });
	const result = extractRunJson(r.stdout);
	return {
		code: r.code,
		stdout: r.stdout,
		stderr: r.stderr,
		result,
		errorMessage: r.code === 0 ? undefined : cliErrorMessage(r, result),
		durationMs: r.durationMs,
	};
}

/**
 * `n8n publish:workflow --id=<id>`: activates an imported workflow (its webhooks are registered when
 * `n8n start` boots; a running n8n does not notice). Throws when n8n exits non-zero.
 * @param {NodeJS.ProcessEnv} env @param {string} id
 */
async function publishWorkflow(env, id) {
	const r = await runN8n(env, ['publish:workflow', `--id=${id}`]);
	if (r.code !== 0) throw failure(r, `n8n publish:workflow --id=${id}`);
	return r;
}

module.exports = { runN8n, importCredentials, importWorkflow, executeWorkflow, publishWorkflow };
