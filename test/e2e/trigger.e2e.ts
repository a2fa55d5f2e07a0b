/**
 * End-to-end: the Kore Contacts Trigger in a REAL `n8n start` (n8n 2.41.1), polling the local Kore server
 * every minute (n8n's shortest Poll Time), with the package installed from its npm pack tarball. Two active
 * workflows on one stream: examples/kore-contact-created-to-crm.json (Contact Created → "Create lead in CRM"),
 * and the same trigger with all three events. Executions are read back through n8n's REST API.
 *
 * The check: 3 contacts created, 2 changed and 1 deleted yield exactly those 6 events, once each,
 * across a restart of n8n in between (the changes and the delete are made while n8n is down). The example sees
 * one execution per created contact (each created in its own poll interval). Takes about 5 minutes.
 *
 * Env: N8N_E2E_CACHE (where n8n is installed), E2E_KEEP=1 (keep the n8n user folder), E2E_VERBOSE=1 (n8n's output).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { KoreServer } from '../../scripts/kore-server';
import { STREAM, TRIGGER_APP, TRIGGER_TYPE, startStream, writer } from '../helpers/trigger';
import * as n8n from '../../scripts/n8n-harness';
import type { Editor } from '../../scripts/n8n-harness';
import { CREDENTIAL_TYPE, fromExample } from './helpers';
import type { WorkflowJson } from './helpers';

const EXAMPLE_ID = 'exKoreCreatedToCrm';
const ALL_ID = 'e2eTriggerAll';
const TRIGGER_NAME = 'Kore contact created';
const BROWSER = 'e2e-trigger-browser';

const log = (line: string) => process.stderr.write(`[e2e trigger] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}

/** Waits until `check` returns a value (not undefined), or fails after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
		await sleep(2000);
	}
}

/** n8n's REST API as the editor uses it (owner login). */
class Rest {
	private cookie = '';

	constructor(
		private readonly url: string,
		private readonly parse: (text: string) => IDataObject,
	) {}

	private async call(method: string, route: string, body?: unknown): Promise<IDataObject> {
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER, cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${method} /rest${route}: HTTP ${response.status} ${await response.text()}`);
		this.cookie = /n8n-auth=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? this.cookie;
		const json = (await response.json()) as IDataObject;
		return (json.data ?? json) as IDataObject;
	}

	async login(): Promise<void> {
		await this.call('POST', '/login', { emailOrLdapLoginId: n8n.DEFAULT_OWNER.email, password: n8n.DEFAULT_OWNER.password });
	}

	/** The workflow's finished executions, oldest first: status and each node's output items (json). */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; output: Record<string, IDataObject[]> }>> {
		const list = await this.call('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
		const results = ((list.results ?? []) as IDataObject[]).filter((entry) => entry.status !== 'running' && entry.status !== 'new');
		const runs = [];
		for (const entry of results.sort((a, b) => Number(a.id) - Number(b.id))) {
			const one = await this.call('GET', `/executions/${String(entry.id)}`);
			const runData = ((this.parse(String(one.data)).resultData as IDataObject).runData ?? {}) as Record<string, Array<{ data?: { main: Array<Array<{ json: IDataObject }>> } }>>;
			const output = Object.fromEntries(Object.entries(runData).map(([node, tasks]) => [node, (tasks[0]?.data?.main[0] ?? []).map((item) => item.json)]));
			runs.push({ id: String(entry.id), status: String(entry.status), output });
		}
		return runs;
	}
}

/** `event id` of every item the trigger emitted in these executions. */
const eventsOf = (runs: Array<{ output: Record<string, IDataObject[]> }>) =>
	runs.flatMap((run) => (run.output[TRIGGER_NAME] ?? []).map((item) => `${String(item.event)} ${String((item.contact as IDataObject).id)}`));

let server: KoreServer;
let env: NodeJS.ProcessEnv;
let port: number;
let editor: Editor | undefined;
let rest: Rest;
const cleanup: Array<() => Promise<void> | void> = [];

/** `n8n start` (again), and an owner login to its REST API. */
async function startN8n(): Promise<void> {
	// a busy 2-core machine: n8n's start (DB migrations, node loading) has taken over 2 minutes here
	editor = await n8n.startEditor(env, { port, timeoutMs: 600_000, log: process.env.E2E_VERBOSE ? log : undefined });
	await rest.login();
}

beforeAll(async () => {
	// installed before any test file started (global-setup.ts)
	const { cacheDir } = n8n.installedN8n();
	// n8n's own copy of flatted reads the execution data its REST API sends
	const { parse } = require(path.join(cacheDir, 'node_modules', 'flatted')) as { parse: (text: string) => IDataObject };
	const packDir = mkdtempSync(path.join(tmpdir(), 'kore-trigger-pack-'));
	cleanup.push(() => rmSync(packDir, { recursive: true, force: true }));
	const userFolder = n8n.createUserFolder();
	if (!process.env.E2E_KEEP) cleanup.push(() => rmSync(userFolder, { recursive: true, force: true }));
	const installed = await n8n.installCommunityPackage(userFolder, await n8n.npmPack(packDir));
	expect(installed.nodeTypes).toContain(TRIGGER_TYPE);

	// Kore's rate limit as documented (60 a minute per account); 20 contacts: one request per read
	server = await startStream(20, { rateLimit: { limit: 60, windowMs: 60_000 } });
	cleanup.push(() => server.close());
	env = n8n.baseEnv(userFolder);
	const credential = { id: 'cred-e2e-trigger', name: 'Kore trigger e2e' };
	await n8n.importCredentials(env, [{ ...credential, type: CREDENTIAL_TYPE, data: { host: server.url, ...TRIGGER_APP, testStreamId: STREAM } }]);
	const example = fromExample('kore-contact-created-to-crm.json');
	for (const node of example.nodes.filter((entry) => entry.type === TRIGGER_TYPE)) {
		node.parameters.streamId = '';
		node.credentials = { [CREDENTIAL_TYPE]: credential };
	}
	const all: WorkflowJson = structuredClone(example);
	all.id = ALL_ID;
	all.name = 'e2e: every contact event';
	all.nodes.find((node) => node.type === TRIGGER_TYPE)!.parameters.events = ['created', 'updated', 'deleted'];
	await n8n.importWorkflow(env, [example, all]);
	for (const id of [EXAMPLE_ID, ALL_ID]) await n8n.publishWorkflow(env, id);

	port = await freePort();
	rest = new Rest(`http://localhost:${port}`, parse);
	cleanup.push(() => editor?.stop());
	await startN8n();
	// each activation reads the stream once and records where it stands
	await until('both triggers to record the stream', 120_000, () => ((editor!.output().match(/Kore Contacts Trigger: recorded where stream/g) ?? []).length >= 2 ? true : undefined));
}, 20 * 60_000);

afterAll(async () => {
	for (const fn of cleanup.reverse()) await fn();
}, 120_000);

test('3 created, 2 changed, 1 deleted: exactly those 6 events, once each, across a restart of n8n; the example runs once per created contact', async () => {
	const kore = writer(server);
	const [changedA, changedB, deleted] = server.contacts(STREAM).map((contact) => contact.id);
	const created: string[] = [];
	for (let n = 1; n <= 3; n++) {
		created.push(String((await kore.create(`Lead${n}`)).id));
		await until(`the example's execution for contact ${n}`, 150_000, async () => ((await rest.executions(EXAMPLE_ID)).length >= n ? true : undefined));
		log(`contact ${n} created and reported`);
	}
	await until('the every-event workflow to report the 3 contacts', 150_000, async () => (eventsOf(await rest.executions(ALL_ID)).length >= 3 ? true : undefined));

	// n8n stops; while it is down two contacts change and one is deleted
	await editor!.stop();
	await kore.update(changedA, { firstName: 'ChangedA' });
	await kore.update(changedB, { cellPhone: { phoneNumber: '7770003333', countryCode: '+1', extension: '+' } });
	await kore.remove(deleted);
	await startN8n();
	log('n8n restarted');

	const expected = [...created.map((id) => `created ${id}`), `updated ${changedA}`, `updated ${changedB}`, `deleted ${deleted}`].sort();
	await until('the 6 events', 200_000, async () => (eventsOf(await rest.executions(ALL_ID)).length >= 6 ? true : undefined));
	// two more polls of each workflow after that report nothing more
	const reads = () => server.requests.filter((entry) => entry.appId === TRIGGER_APP.clientId && entry.method === 'GET').length;
	const readsNow = reads();
	await until('two more polls of each trigger', 200_000, () => (reads() >= readsNow + 4 ? true : undefined));

	const everything = await rest.executions(ALL_ID);
	expect(everything.map((run) => run.status)).toEqual(everything.map(() => 'success'));
	expect(eventsOf(everything).sort()).toEqual(expected);

	const examples = await rest.executions(EXAMPLE_ID);
	expect(examples.map((run) => run.status)).toEqual(['success', 'success', 'success']);
	expect(examples.map((run) => eventsOf([run]))).toEqual(created.map((id) => [`created ${id}`]));
	expect(examples.map((run) => run.output['Create lead in CRM'].map((lead) => lead.koreContactId))).toEqual(created.map((id) => [id]));
	expect(server.stats().rateLimited).toBe(0);
}, 20 * 60_000);
