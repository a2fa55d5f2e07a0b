/**
 * The end-to-end suite's set-up: this package packed and installed into a new n8n user folder the way the
 * Community Nodes UI installs it (the n8n harness, scripts/n8n-harness), the local Kore server in the test
 * process with every scenario's account and contacts, and each scenario's workflow run by `n8n execute`.
 * n8n itself is installed before any test starts (global-setup.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { startKoreServer } from '../../scripts/kore-server';
import type { KoreServer, SeedContact } from '../../scripts/kore-server';
import * as n8n from '../../scripts/n8n-harness';
import type { InstalledPackage, WorkflowJson } from '../../scripts/n8n-harness';

import { API_BASE, CREDENTIAL_TYPE, KORE_NODE_NAME, KORE_NODE_TYPE, demoContacts } from './helpers';
import type { Scenario, ScenarioAccount, ScenarioContext, ScenarioRun } from './helpers';

const ID_PATTERN = /^[A-Za-z0-9-]{1,16}$/;

function log(line: string): void {
	// straight to stderr: jest buffers console.* until a test ends, and the set-up takes tens of seconds
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
	installed: InstalledPackage;
	/** The scenario's run (started at most once; all are started by startAll). */
	run(scenario: Scenario): Promise<ScenarioRun>;
	/** Starts every scenario's run in the background, `concurrency` n8n processes at a time. */
	startAll(): void;
	close(): Promise<void>;
}

/**
 * Packs and installs this package into a new n8n user folder, starts the Kore server with every scenario's
 * account and contacts, imports all credentials in one CLI call and all workflows in another. n8n itself is
 * installed before any test starts (global-setup.ts), never here: this runs in a timed jest hook.
 */
export async function setUpE2E(scenarios: Scenario[], { concurrency = 2 } = {}): Promise<E2E> {
	checkScenarios(scenarios);
	n8n.installedN8n();

	const cleanup: Array<() => Promise<void> | void> = [];
	const close = async () => {
		for (const fn of cleanup.reverse()) await fn();
	};
	try {
		let t = Date.now();
		const packDir = mkdtempSync(path.join(tmpdir(), 'kore-contacts-pack-'));
		cleanup.push(() => rmSync(packDir, { recursive: true, force: true }));
		const tarball = await n8n.npmPack(packDir);
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
