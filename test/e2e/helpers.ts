/**
 * What a scenario of the end-to-end suite is (scenarios/*.ts, one file per operation) and the helpers its
 * assertions use. The suite runs each scenario's workflow in a REAL n8n 2.41.1 (setup.ts, on the n8n harness
 * in scripts/n8n-harness) against the local Kore-compatible server (scripts/kore-server). See README.md beside
 * this file.
 *
 * Every scenario gets its own Kore account, JWT app, credential and stream (all derived from its id), so the
 * server's request log and contacts can be attributed to one scenario even while several `n8n execute`
 * processes run at the same time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { demoSeed } from '../../scripts/kore-server';
import type { KoreContact, KoreServer, LogEntry, SeedContact } from '../../scripts/kore-server';
import type { WorkflowJson } from '../../scripts/n8n-harness';

export type { WorkflowJson };

export const ROOT = path.resolve(__dirname, '..', '..');
export const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
export const KORE_NODE_NAME = 'Kore Contacts';
export const CREDENTIAL_TYPE = 'koreContactsApi';
export const API_BASE = '/agentassist/api/v1/public';

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
