'use strict';
/**
 * The queue-mode lab, shared by test/e2e/queue-mode.e2e.ts and `npm run bench -- queue`: this package installed
 * into one n8n user folder, PostgreSQL as n8n's database and Redis as its queue (services.js), the
 * local Kore server (in this process) on a scaled rate limit, and three published webhook workflows
 * ("contact deleted" -> Delete by phone, "contact changed" -> Update by phone, "contact upserted" ->
 * Create or Update). `runCluster()` starts n8n as one process (regular mode) or as main + K workers (queue
 * mode) on that same database, and `fire` / `deleteBurst` send concurrent webhook events and say what happened
 * to each: an event that failed is told by why (`whyFailed`: the node's error, the answer n8n gave, or the
 * client's error, e.g. its timeout), so a loss under load can be told apart from a loss by the node.
 *
 * Every webhook workflow ends in a Set node that adds `executionId` ({{ $execution.id }}) to the response, so
 * each event can be matched to the worker that ran it (startCluster's executionsByWorker()).
 *
 * n8n must be installed first (ensureN8n: the e2e suite's jest globalSetup, the bench at its start).
 * Runs on Node 24 (npm scripts). Node built-ins only, plus this repository's scripts.
 */
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const crypto = require('node:crypto');
const http = require('node:http');

const { installedN8n } = require('./install');
const { createUserFolder, baseEnv } = require('./user-folder');
const { npmPack, installCommunityPackage } = require('./community-package');
const { importCredentials, importWorkflow, publishWorkflow } = require('./cli');
const { postgresEnv, queueEnv, startCluster } = require('./cluster');
const { seconds } = require('./processes');
const { startServices } = require('./services');
const { startKoreServer, demoSeed } = require('../kore-server');

const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
/** Kore's 60 requests per minute per account, on the bench's scaled clock (x10). */
const LIMIT = 60;
const WINDOW_MS = 6000;
const PATHS = { delete: 'kore-contact-deleted', update: 'kore-contact-changed', upsert: 'kore-contact-upserted' };

/** @typedef {(line: string) => void} LogFn */

/**
 * Webhook (POST /webhook/<path>, answers when the run ends) -> Kore Contacts -> Set (adds executionId).
 * The answer is the Set node's item: the node's output, or its error as `{ error, details }`.
 * @param {string} id @param {string} webhookPath @param {Record<string, unknown>} parameters
 * @param {{ id: string, name: string }} credential
 */
function webhookWorkflow(id, webhookPath, parameters, credential) {
	return {
		id,
		name: `queue lab: ${webhookPath}`,
		nodes: [
			{
				id: `${id}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${id}-kore`,
				name: 'Kore Contacts',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'contact', ...parameters },
				credentials: { koreContactsApi: credential },
				// a failed item goes on to the answer as { error, details } (HTTP 200): the event's answer then says what
				// the node reported, where n8n would only answer 500 "Error in workflow"
				onError: 'continueRegularOutput',
			},
			{
				id: `${id}-set`,
				name: 'Execution',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [440, 0],
				parameters: {
					assignments: { assignments: [{ id: `${id}-a1`, name: 'executionId', value: '={{ $execution.id }}', type: 'string' }] },
					includeOtherFields: true,
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Kore Contacts', type: 'main', index: 0 }]] },
			'Kore Contacts': { main: [[{ node: 'Execution', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Sets everything up once (about 40 s, most of it n8n CLI boots): services, Kore server, user folder with the
 * package, the n8n database with the credential and the three published workflows.
 * @param {{ contacts?: number, latencyMs?: number, log?: LogFn }} [options]
 *   contacts: S, the stream's size (default 400; the first `events` of them are the delete targets)
 */
async function createLab(options = {}) {
	const log = options.log ?? (() => {});
	const size = options.contacts ?? 400;
	installedN8n();
	/** @type {Array<() => Promise<void> | void>} */
	const cleanup = [];
	const close = async () => {
		for (const fn of cleanup.reverse()) {
			try {
				await fn();
			} catch (error) {
				log(`[lab] clean-up: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
	};
	try {
		const t0 = Date.now();
		const services = await startServices({ log });
		cleanup.push(() => services.stop());

		const seed = demoSeed({ count: size, accountId: 'acc-queue-lab', clientId: 'cs-queue-lab', clientSecret: 'queue-lab-secret-0123456789abcdef', streamId: 'st-queue-lab' });
		// fixed ids (24 hex digits, like Kore's), so a contact is the same one after every reset()
		seed.contacts.forEach((c, i) => (c.id = `6960a0000000000000${String(i).padStart(6, '0')}`));
		const server = await startKoreServer({
			host: '127.0.0.1',
			port: 0,
			accounts: seed.accounts,
			contacts: seed.contacts,
			rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
			latencyMs: options.latencyMs ?? 0,
			logLimit: 1_000_000,
			logBodies: true,
		});
		cleanup.push(() => server.close());

		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kore-contacts-pack-'));
		cleanup.push(() => fs.rmSync(packDir, { recursive: true, force: true }));
		const tarball = await npmPack(packDir);
		const userFolder = createUserFolder();
		if (!process.env.E2E_KEEP) cleanup.push(() => fs.rmSync(userFolder, { recursive: true, force: true }));
		await installCommunityPackage(userFolder, tarball);

		const database = services.postgres.createDatabase('n8n');
		const env = { ...baseEnv(userFolder), ...postgresEnv(services.postgres, database) };
		const credential = { id: 'cred-queue-lab', name: 'queue lab' };
		await importCredentials(env, [
			{
				...credential,
				type: 'koreContactsApi',
				data: {
					host: server.url,
					accountId: seed.accountId,
					clientId: seed.clientId,
					clientSecret: seed.clientSecret,
					requestsPerMinute: LIMIT,
					rateLimitWindowMs: WINDOW_MS,
					testStreamId: seed.streamId,
				},
			},
		]);
		const phone = '={{ $json.body.phone }}';
		const fromBody = (/** @type {string} */ key) => `={{ $json.body.${key} }}`;
		const workflows = [
			webhookWorkflow('qlabdelete', PATHS.delete, { operation: 'delete', streamId: seed.streamId, contactBy: 'phone', phoneNumber: phone }, credential),
			webhookWorkflow(
				'qlabupdate',
				PATHS.update,
				{ operation: 'update', streamId: seed.streamId, contactBy: 'phone', phoneNumber: phone, updateFields: { firstName: fromBody('firstName'), lastName: fromBody('lastName') } },
				credential,
			),
			webhookWorkflow(
				'qlabupsert',
				PATHS.upsert,
				{
					operation: 'upsert',
					streamId: seed.streamId,
					firstName: fromBody('firstName'),
					lastName: fromBody('lastName'),
					salutation: fromBody('salutation'),
					phoneNumber: fromBody('phoneNumber'),
					countryCode: fromBody('countryCode'),
					extension: fromBody('extension'),
				},
				credential,
			),
		];
		await importWorkflow(env, workflows);
		for (const w of workflows) await publishWorkflow(env, w.id);
		log(`[lab] ready in ${seconds(Date.now() - t0)}: ${size} contacts, Kore limit ${LIMIT} per ${WINDOW_MS / 1000} s, n8n DB on PostgreSQL`);

		let clusters = 0;
		return {
			server,
			services,
			env,
			streamId: seed.streamId,
			/** the stream's contacts as seeded: `phone` is the E.164 number */
			seeded: seed.contacts.map((c) => ({ ...c, phone: `${c.cellPhone.countryCode}${c.cellPhone.phoneNumber}` })),
			/**
			 * n8n on the lab's DB: `workers: 0` = one process in regular mode; K > 0 = queue mode, main + K workers.
			 * @param {{ workers: number, concurrency?: number }} opts
			 */
			startCluster: async (opts) => {
				const env2 = opts.workers > 0 ? { ...env, ...queueEnv(services.redis, `bull${++clusters}`) } : env;
				return await startCluster(env2, { workers: opts.workers, concurrency: opts.concurrency, webhookPaths: Object.values(PATHS), log: process.env.E2E_VERBOSE ? log : undefined });
			},
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

/**
 * @typedef {{ status: number, json: any, text: string, ms: number }} Answer
 *   status: n8n's HTTP status, 0 when no answer came; text: n8n's answer, or the client's error when none came;
 *   ms: from the burst's start until the answer (or the error) came.
 */

/**
 * How long an event waits for n8n's answer before the client gives up: stated here, far beyond a burst (about
 * 30 s on an idle machine, 224 s seen on a machine loaded many times over), so that a slow machine makes a
 * burst slow rather than lossy. (Node's fetch would give up after its own 300 s, unsaid.)
 */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

/**
 * POSTs `body` as JSON on a connection of its own (no keep-alive: a reused socket the server is closing would
 * fail an event for nothing); resolves with n8n's answer, rejects when none came (the error says why).
 * @param {string} url @param {unknown} body @returns {Promise<{ status: number, text: string }>}
 */
function postJson(url, body) {
	const data = JSON.stringify(body);
	const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', headers, agent: false, timeout: ANSWER_TIMEOUT_MS }, (res) => {
			let text = '';
			res.setEncoding('utf8').on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`the client's timeout: no answer within ${seconds(ANSWER_TIMEOUT_MS)}`)));
		req.on('error', reject);
		req.end(data);
	});
}

/**
 * POSTs every body to the webhook at once; resolves when all answered (or failed).
 * @param {string} url the cluster's base URL @param {'delete' | 'update' | 'upsert'} kind @param {object[]} bodies
 * @returns {Promise<{ wallMs: number, answers: Answer[] }>}
 */
async function fire(url, kind, bodies) {
	const started = performance.now();
	const answers = await Promise.all(
		bodies.map(async (body) => {
			try {
				const { status, text } = await postJson(`${url}/webhook/${PATHS[kind]}`, body);
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				return { status, json, text, ms: performance.now() - started };
			} catch (error) {
				const code = /** @type {NodeJS.ErrnoException} */ (error).code;
				const text = `${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}`;
				return { status: 0, json: undefined, text, ms: performance.now() - started };
			}
		}),
	);
	return { wallMs: performance.now() - started, answers };
}

/** @param {Answer} a */
const answered200 = (a) => a.status === 200;

/**
 * Why an event failed, undefined when it did not: no answer (with the client's error, e.g. its timeout), the
 * node's error (the answer's `error` and `details`: the workflow continues on the node's failure), or another
 * answer than `ok` wants (default: HTTP 200), e.g. a webhook n8n has not registered yet (404) or an n8n short
 * of database connections (500 with the database's error).
 * @param {Answer} answer @param {(answer: Answer) => boolean} [ok]
 * @returns {string | undefined}
 */
function whyFailed(answer, ok = answered200) {
	const oneLine = (/** @type {string} */ text) => text.replace(/\s+/g, ' ').trim().slice(0, 200);
	if (answer.status === 0) return `no answer (client: ${answer.text})`;
	if (answer.json?.error !== undefined) return `the node failed: ${oneLine([answer.json.error, answer.json.details].filter(Boolean).join(' / '))}`;
	if (ok(answer)) return undefined;
	return `n8n answered HTTP ${answer.status}: ${oneLine(answer.text)}`;
}

/**
 * Every failed event, as "event <n> after <s>: <why>" (see whyFailed), in the order sent.
 * @param {Answer[]} answers @param {(answer: Answer) => boolean} [ok]
 * @returns {string[]}
 */
function failures(answers, ok) {
	return answers.flatMap((a, i) => {
		const why = whyFailed(a, ok);
		return why ? [`event ${i + 1} after ${seconds(a.ms)}: ${why}`] : [];
	});
}

/**
 * Which worker ran each answered event ('main' in regular mode; '?' when no worker logged the execution).
 * @param {{ executionsByWorker: () => Map<string, string>, workers: unknown[] }} cluster
 * @param {Array<{ json: any }>} answers
 */
function workerOf(cluster, answers) {
	const ranBy = cluster.executionsByWorker();
	return answers.map((a) => {
		const id = a.json?.executionId;
		if (cluster.workers.length === 0) return 'main';
		return (id !== undefined && ranBy.get(String(id))) || '?';
	});
}

/** @param {string[]} names @returns {Record<string, number>} */
function tally(names) {
	/** @type {Record<string, number>} */
	const out = {};
	for (const n of names) out[n] = (out[n] ?? 0) + 1;
	return out;
}

/**
 * The issue's burst: `events` concurrent "contact deleted" events, one per contact (the first `events` of the
 * stream), through Delete by phone. Resets the Kore server first (all contacts active, empty log, fresh rate
 * window). Reports wall time, Kore's requests and 429s, what was lost, which events failed and why (an answer
 * other than the deleted contact, or none), and which worker ran what.
 * @param {Awaited<ReturnType<typeof createLab>>} lab
 * @param {Awaited<ReturnType<typeof startCluster>>} cluster
 * @param {{ events?: number }} [options]
 */
async function deleteBurst(lab, cluster, options = {}) {
	const events = options.events ?? 300;
	if (events > lab.seeded.length) throw new Error(`deleteBurst: ${events} events need at least as many contacts (stream has ${lab.seeded.length})`);
	lab.server.reset();
	// let the server's rolling window start empty (reset() restores the limiter; be sure no earlier request counts)
	await new Promise((r) => setTimeout(r, 100));
	const targets = lab.seeded.slice(0, events);
	const { wallMs, answers } = await fire(cluster.url, 'delete', targets.map((c) => ({ phone: c.phone })));
	const after = new Map(lab.server.contacts(lab.streamId).map((c) => [c.id, c.status]));
	const targetIds = new Set(targets.map((c) => c.id));
	const notDeleted = targets.filter((c) => after.get(c.id) !== 'INACTIVE').map((c) => c.id);
	const wronglyDeleted = [...after].filter(([id, status]) => status === 'INACTIVE' && !targetIds.has(id)).map(([id]) => id);
	/** @param {Answer} a */
	const deleted = (a) => a.status === 200 && a.json?.status === 'INACTIVE';
	const requests = lab.server.requests;
	return {
		events,
		contacts: lab.seeded.length,
		workers: cluster.workers.length,
		wallMs,
		requests: requests.length,
		rateLimited: requests.filter((r) => r.status === 429 || r.rateLimited).length,
		lists: requests.filter((r) => r.method === 'GET').length,
		deletes: requests.filter((r) => r.method === 'DELETE' && r.status !== 429).length,
		notDeleted,
		wronglyDeleted,
		failedEvents: failures(answers, deleted),
		/** how many events failed for each reason (whyFailed) */
		failureReasons: tally(answers.flatMap((a) => whyFailed(a, deleted) ?? [])),
		lost: notDeleted.length + wronglyDeleted.length,
		byWorker: tally(workerOf(cluster, answers)),
	};
}

module.exports = { createLab, fire, whyFailed, failures, deleteBurst, workerOf, LIMIT, WINDOW_MS, PATHS };
