/**
 * The end-to-end harness: a REAL n8n 2.41.1 process (scripts/e2e/n8n.js) with this package installed from an
 * `npm pack` tarball the way the Community Nodes UI installs it, talking to the local Kore-compatible server
 * (scripts/kore-server) that runs in the test process. See README.md beside this file.
 *
 * Every scenario gets its own Kore account, JWT app, credential and stream (all derived from its id), so the
 * server's request log and contacts can be attributed to one scenario even while several `n8n execute`
 * processes run at the same time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import type { IDataObject } from 'n8n-workflow';

import { demoSeed, startKoreServer } from '../../scripts/kore-server';
import type { KoreContact, KoreServer, LogEntry, SeedContact } from '../../scripts/kore-server';

export const ROOT = path.resolve(__dirname, '..', '..');
export const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
export const KORE_NODE_NAME = 'Kore Contacts';
export const CREDENTIAL_TYPE = 'koreContactsApi';
export const API_BASE = '/agentassist/api/v1/public';

// ------------------------------------------------------------------------------------------ n8n.js types

/** What `n8n execute --rawOutput` printed, parsed (see scripts/e2e/README.md). */
export interface ExecuteResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** the whole IRun; null when n8n failed before running the workflow */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	result: any | null;
	errorMessage: string | undefined;
	durationMs: number;
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: Array<IDataObject & { name: string; type: string; parameters: IDataObject }>;
	connections: IDataObject;
	settings?: IDataObject;
	pinData?: IDataObject;
	[key: string]: unknown;
}

interface N8nModule {
	N8N_VERSION: string;
	ensureN8n(options?: { log?: (line: string) => void }): Promise<{ n8nBin: string; nodeBin: string; cacheDir: string }>;
	createUserFolder(): string;
	baseEnv(userFolder: string): NodeJS.ProcessEnv;
	installCommunityPackage(
		userFolder: string,
		tarball: string,
	): Promise<{ packageName: string; version: string; packageDir: string; nodeTypes: string[] }>;
	importCredentials(
		env: NodeJS.ProcessEnv,
		credentials: Array<{ id: string; name: string; type: string; data: IDataObject }>,
	): Promise<{ durationMs: number }>;
	importWorkflow(env: NodeJS.ProcessEnv, workflows: WorkflowJson | WorkflowJson[]): Promise<{ ids: string[]; durationMs: number }>;
	executeWorkflow(env: NodeJS.ProcessEnv, id: string, options?: { timeoutMs?: number }): Promise<ExecuteResult>;
	nodeOutput(result: unknown, nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[] | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const n8n: N8nModule = require('../../scripts/e2e/n8n.js');

// ------------------------------------------------------------------------------------------- scenarios

/** A contact seeded into a scenario's stream (streamId and accountId are filled in). */
export type ScenarioContact = Omit<SeedContact, 'streamId'> & { id: string };

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface Scenario {
	/**
	 * Unique, 1–16 characters of [A-Za-z0-9-]. It is the workflow id for `n8n execute --id` and names the
	 * scenario's stream (`st-e2e-<id>`), account, JWT app and credential.
	 */
	id: string;
	/** The test's title. */
	title: string;
	/**
	 * Items fed to the Kore Contacts node by a Code node ("Items") after the Manual Trigger: `n8n execute`
	 * ignores pinned data. Without `items` the Manual Trigger feeds the node one empty item.
	 */
	items?: IDataObject[];
	/** Items with binary data instead (`{ json, binary: { data: { data: <base64>, mimeType, fileName } } }`), e.g. a CSV file. */
	binaryItems?: Array<{ json: IDataObject; binary: IDataObject }>;
	/** The Kore Contacts node: its parameters (`resource: 'contact'` and the scenario's `streamId` are defaults) and On Error. */
	node?: { parameters: IDataObject; onError?: OnError };
	/**
	 * A whole workflow instead (e.g. `fromExample('delete-contact.json')`): its Kore Contacts node gets the
	 * scenario's credential, and its literal Stream ID is replaced by the scenario's stream.
	 */
	workflow?: WorkflowJson;
	/** Contacts in the scenario's stream. Default: the six demo contacts with ids DEMO_IDS. */
	contacts?: ScenarioContact[];
	/** Changes to the scenario's credential, e.g. `{ clientSecret: 'wrong' }` (the server keeps the right one). */
	credential?: IDataObject;
	/** Runs before the workflow, e.g. `ctx.server.addFault({ path: ctx.base, action: { status: 503 } })`. */
	setup?: (ctx: ScenarioContext) => void | Promise<void>;
	/** The assertions, on n8n's output and on what the Kore server saw. */
	expect: (run: ScenarioRun) => void | Promise<void>;
}

export interface ScenarioAccount {
	accountId: string;
	clientId: string;
	clientSecret: string;
}

export interface ScenarioContext {
	server: KoreServer;
	/** `st-e2e-<id>` */
	streamId: string;
	/** `/agentassist/api/v1/public/st-e2e-<id>/contacts` (raw, as the server logs paths) */
	base: string;
	/** The account and JWT app the server knows (the credential uses these unless `credential` changes them). */
	account: ScenarioAccount;
	credentialId: string;
}

export interface ScenarioRun extends ScenarioContext {
	scenario: Scenario;
	/**
	 * `n8n execute`'s exit code. When n8n printed its complete result and then crashed on exit (a signal, see
	 * README.md), the code n8n sets for that result: 0 for success, 1 for a workflow error.
	 */
	code: number | null;
	stdout: string;
	stderr: string;
	/** the IRun n8n printed; null if n8n failed before running */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	result: any | null;
	/** the workflow's error message (or n8n's own, e.g. "Unrecognized node type: …") when code != 0 */
	errorMessage: string | undefined;
	/** `result.data.resultData.error` */
	error: (IDataObject & { message?: string; description?: string | null; httpCode?: string | null; context?: IDataObject }) | undefined;
	durationMs: number;
	/** json of the Kore Contacts node's output: 0 = main (success) output, 1 = error output; undefined if it did not run */
	output(index?: number): IDataObject[] | undefined;
	/** what the server logged for this scenario's JWT app (or, without a token, its stream), in arrival order */
	requests: LogEntry[];
	/** the scenario's stream now, by contact id (INACTIVE included) */
	contacts: Record<string, KoreContact>;
}

/** Ids of the demo contacts in each scenario's stream; the first is the contact examples/delete-contact.json deletes. */
export const DEMO_IDS = [1, 2, 3, 4, 5, 6].map((n) => `69609027c1746a61429a000${n}`);

/** The six contacts of the server's demoSeed(), with ids DEMO_IDS. */
export function demoContacts(): ScenarioContact[] {
	return demoSeed().contacts.map(({ streamId: _streamId, ...contact }, i) => ({ ...contact, id: DEMO_IDS[i] }));
}

/** A workflow from examples/ (what users import). */
export function fromExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
}

/** The server's answer text for an unknown contact id (Kore's documented error shape, the server's words). */
export const notFoundMessage = (id: string) => `Contact not found: ${id} (HTTP 404)`;

/** Every log entry is a request the scenario expected: `METHOD path` strings, in order. */
export function requestLines(run: ScenarioRun): string[] {
	return run.requests.map((r) => `${r.method} ${r.path}`);
}

/** Asserts that every logged request of the run carried a token the server accepted for the scenario's app and account. */
export function expectSignedByScenario(run: ScenarioRun): void {
	for (const r of run.requests) {
		expect({ authError: r.authError, appId: r.appId, accountId: r.accountId, hasJti: typeof r.jti === 'string' }).toEqual({
			authError: undefined,
			appId: run.account.clientId,
			accountId: run.account.accountId,
			hasJti: true,
		});
	}
}

/** Statuses of the scenario's contacts by id, e.g. `{ '…0001': 'INACTIVE', … }`. */
export function statuses(run: ScenarioRun): Record<string, string> {
	return Object.fromEntries(Object.entries(run.contacts).map(([id, c]) => [id, c.status]));
}

// ------------------------------------------------------------------------------------------ the harness

const ID_PATTERN = /^[A-Za-z0-9-]{1,16}$/;

function log(line: string): void {
	// straight to stderr: jest buffers console.* until a test ends, and a cold n8n install takes minutes
	process.stderr.write(`[e2e] ${line}\n`);
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function accountOf(id: string): ScenarioAccount {
	return {
		accountId: `acc-e2e-${id}`,
		clientId: `cs-e2e-${id}`,
		clientSecret: `e2e-secret-${id}-0123456789abcdef`,
	};
}

function contextOf(server: KoreServer, id: string): ScenarioContext {
	const streamId = `st-e2e-${id}`;
	return {
		server,
		streamId,
		base: `${API_BASE}/${streamId}/contacts`,
		account: accountOf(id),
		credentialId: `cred-e2e-${id}`,
	};
}

const START = 'When clicking \u2018Execute workflow\u2019';

/** The workflow n8n imports for a scenario. */
export function buildWorkflow(scenario: Scenario, ctx: Pick<ScenarioContext, 'streamId' | 'credentialId'>): WorkflowJson {
	const credentials = { [CREDENTIAL_TYPE]: { id: ctx.credentialId, name: `e2e ${scenario.id}` } };
	if (scenario.workflow) {
		const workflow: WorkflowJson = structuredClone(scenario.workflow);
		const koreNodes = workflow.nodes.filter((node) => node.type === KORE_NODE_TYPE);
		if (koreNodes.length === 0) throw new Error(`scenario ${scenario.id}: its workflow has no Kore Contacts node`);
		for (const node of koreNodes) {
			node.credentials = credentials;
			const streamId = node.parameters.streamId;
			if (typeof streamId !== 'string' || !streamId.startsWith('=')) node.parameters.streamId = ctx.streamId;
		}
		return { ...workflow, id: scenario.id, name: `e2e ${scenario.id}: ${scenario.title}` };
	}

	const kore: WorkflowJson['nodes'][number] = {
		id: `${scenario.id}-kore`,
		name: KORE_NODE_NAME,
		type: KORE_NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: { resource: 'contact', streamId: ctx.streamId, ...(scenario.node?.parameters ?? {}) },
		credentials,
	};
	if (scenario.node?.onError) kore.onError = scenario.node.onError;
	const trigger = { id: `${scenario.id}-start`, name: START, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodes: WorkflowJson['nodes'] = [trigger];
	const connections: IDataObject = {};
	let previous = START;
	const items = scenario.binaryItems ?? scenario.items?.map((json) => ({ json }));
	if (items) {
		nodes.push({
			id: `${scenario.id}-items`,
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: { jsCode: `return ${JSON.stringify(items)};` },
		});
		connections[previous] = { main: [[{ node: 'Items', type: 'main', index: 0 }]] };
		previous = 'Items';
	}
	nodes.push(kore);
	connections[previous] = { main: [[{ node: KORE_NODE_NAME, type: 'main', index: 0 }]] };
	return {
		id: scenario.id,
		name: `e2e ${scenario.id}: ${scenario.title}`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

function checkScenarios(scenarios: Scenario[]): void {
	const seen = new Set<string>();
	for (const s of scenarios) {
		if (!ID_PATTERN.test(s.id)) throw new Error(`scenario id "${s.id}" must be 1-16 characters of A-Z, a-z, 0-9, "-"`);
		if (seen.has(s.id.toLowerCase())) throw new Error(`two scenarios have the id "${s.id}"`);
		seen.add(s.id.toLowerCase());
	}
}

/** `npm pack` of the project (dist/ must be built: `npm run test:e2e` builds first) into `destination`. */
export async function npmPack(destination: string): Promise<string> {
	const { stdout } = await promisify(execFile)('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
		cwd: ROOT,
		maxBuffer: 16 * 1024 * 1024,
	});
	const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
	return path.join(destination, filename);
}

/** Runs at most `limit` tasks at a time, in the order they were queued. */
function limiter(limit: number) {
	let active = 0;
	const queue: Array<() => void> = [];
	const next = () => {
		if (active >= limit) return;
		const start = queue.shift();
		if (start) {
			active++;
			start();
		}
	};
	return <T>(task: () => Promise<T>): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			queue.push(() => {
				task()
					.then(resolve, reject)
					.finally(() => {
						active--;
						next();
					});
			});
			next();
		});
}

export interface E2E {
	server: KoreServer;
	userFolder: string;
	/** the package as installed into <userFolder>/.n8n/nodes/node_modules/<packageName> (packageDir) */
	installed: { packageName: string; version: string; packageDir: string; nodeTypes: string[] };
	/** The scenario's run (started at most once; all are started by startAll). */
	run(scenario: Scenario): Promise<ScenarioRun>;
	/** Starts every scenario's run in the background, `concurrency` n8n processes at a time. */
	startAll(): void;
	close(): Promise<void>;
}

/**
 * Installs n8n (first time only), packs and installs this package into a new n8n user folder, starts the
 * Kore server with every scenario's account and contacts, imports all credentials in one CLI call and all
 * workflows in another.
 */
export async function setUpE2E(scenarios: Scenario[], { concurrency = 2 } = {}): Promise<E2E> {
	checkScenarios(scenarios);
		await n8n.ensureN8n({ log });

	const cleanup: Array<() => Promise<void> | void> = [];
	const close = async () => {
		for (const fn of cleanup.reverse()) await fn();
	};
	try {
		let t = Date.now();
		const packDir = mkdtempSync(path.join(tmpdir(), 'kore-contacts-pack-'));
		cleanup.push(() => rmSync(packDir, { recursive: true, force: true }));
		const tarball = await npmPack(packDir);
		const userFolder = n8n.createUserFolder();
		if (!process.env.E2E_KEEP) cleanup.push(() => rmSync(userFolder, { recursive: true, force: true }));
		const installed = await n8n.installCommunityPackage(userFolder, tarball);
		log(`packed and installed ${path.basename(tarball)} into ${userFolder} (${seconds(Date.now() - t)})`);

		const contexts = new Map<string, ScenarioContext>();
		const accounts = scenarios.map((s) => ({ ...accountOf(s.id), streams: [`st-e2e-${s.id}`] }));
		const contacts: SeedContact[] = scenarios.flatMap((s) =>
			(s.contacts ?? demoContacts()).map((c) => ({ ...c, streamId: `st-e2e-${s.id}`, accountId: accountOf(s.id).accountId })),
		);
		const server = await startKoreServer({ host: '127.0.0.1', port: 0, accounts, contacts });
		cleanup.push(() => server.close());
		for (const s of scenarios) contexts.set(s.id, contextOf(server, s.id));

		const env = n8n.baseEnv(userFolder);
		t = Date.now();
		await n8n.importCredentials(
			env,
			scenarios.map((s) => {
				const ctx = contexts.get(s.id)!;
				return {
					id: ctx.credentialId,
					name: `e2e ${s.id}`,
					type: CREDENTIAL_TYPE,
					data: { host: server.url, ...ctx.account, testStreamId: ctx.streamId, ...(s.credential ?? {}) },
				};
			}),
		);
		log(`imported ${scenarios.length} credentials (${seconds(Date.now() - t)})`);
		t = Date.now();
		await n8n.importWorkflow(
			env,
			scenarios.map((s) => buildWorkflow(s, contexts.get(s.id)!)),
		);
		log(`imported ${scenarios.length} workflows (${seconds(Date.now() - t)})`);

		const limit = limiter(concurrency);
		const runs = new Map<string, Promise<ScenarioRun>>();
		const run = (scenario: Scenario): Promise<ScenarioRun> => {
			let promise = runs.get(scenario.id);
			if (!promise) {
				promise = limit(() => runScenario(env, scenario, contexts.get(scenario.id)!));
				promise.catch(() => {}); // reported by the test that awaits it
				runs.set(scenario.id, promise);
			}
			return promise;
		};
		return {
			server,
			userFolder,
			installed,
			run,
			startAll: () => scenarios.forEach((s) => void run(s)),
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

async function runScenario(env: NodeJS.ProcessEnv, scenario: Scenario, ctx: ScenarioContext): Promise<ScenarioRun> {
	await scenario.setup?.(ctx);
	const r = await n8n.executeWorkflow(env, scenario.id);
	let { code, errorMessage } = r;
	const finished = r.result?.data?.resultData !== undefined && typeof r.result?.stoppedAt === 'string';
	if (code === null && finished && !/timed out after/.test(r.stderr)) {
		// n8n 2.41.1 printed the whole run and then died from a signal on its way out (seen: SIGSEGV, mostly
		// with two n8n processes busy at once, never with N8N_EXPRESSION_ENGINE=legacy: the 'vm' expression
		// engine's isolated-vm teardown). The run is complete: take the exit code n8n sets for it.
		code = r.result.data.resultData.error ? 1 : 0;
		if (code === 0) errorMessage = undefined;
		log(`${scenario.id}: n8n printed its complete result, then crashed on exit (signal); exit code taken from the result: ${code}`);
	} else {
		log(`${scenario.id}: n8n execute exited ${r.code} after ${seconds(r.durationMs)}`);
		if (r.code === null) log(`${scenario.id}: n8n was killed by a signal before it finished; its last output:\n${(r.stdout + r.stderr).split('\n').slice(-15).join('\n')}`);
	}
	const requests = ctx.server.requests.filter((entry) =>
		entry.appId !== null ? entry.appId === ctx.account.clientId : entry.path.includes(`/${ctx.streamId}/`),
	);
	const contacts = Object.fromEntries(ctx.server.contacts(ctx.streamId).map((c) => [c.id, c]));
	return {
		...ctx,
		scenario,
		code,
		stdout: r.stdout,
		stderr: r.stderr,
		result: r.result,
		errorMessage,
		error: r.result?.data?.resultData?.error,
		durationMs: r.durationMs,
		output: (index = 0) => n8n.nodeOutput(r.result, KORE_NODE_NAME, index),
		requests,
		contacts,
	};
}
