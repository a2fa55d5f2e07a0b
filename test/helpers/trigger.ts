/**
 * The Kore Contacts Trigger in n8n's engine (scripts/lib/poller.js, n8n-core's PollTriggerExecutor) against the
 * local Kore server (scripts/kore-server): a stream, a writer that changes it through Kore's public API (its
 * own JWT app, so its requests are told apart from the trigger's), and pollers that share n8n's static data
 * the way n8n's database does (a restart starts a new poller from `saved`).
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { KoreContactsTrigger } from '../../nodes/KoreContactsTrigger/KoreContactsTrigger.node';
import { Poller } from '../../scripts/lib/poller';
import type { PollOutcome } from '../../scripts/lib/poller';
import { ACCOUNT, BASE, STREAM, call, demoSeed, startKoreServer, token } from '../kore-server/helpers';
import type { KoreServer } from '../kore-server/helpers';
import type { ServerOptions } from '../../scripts/kore-server';

export { BASE, STREAM };
export const TRIGGER_TYPE = 'n8n-nodes-kore-contacts.koreContactsTrigger';

/** The trigger's JWT app (the writer is ACCOUNT, the Kore server tests' app). */
export const TRIGGER_APP = {
	accountId: '65f7d49a5dd06e2cefa00002',
	clientId: 'cs-trigger-app-0002',
	clientSecret: 'trigger-secret-0002-abcdefghijklmnopqrstuvwxyz',
	streams: [STREAM],
};

/** A Kore server with `count` generated contacts in STREAM; no rate limit unless `options` set one. */
export async function startStream(count: number, options: Partial<ServerOptions> = {}): Promise<KoreServer> {
	const contacts = count > 0 ? demoSeed({ count, streamId: STREAM }).contacts : [];
	return await startKoreServer({ accounts: [ACCOUNT, TRIGGER_APP], contacts, rateLimit: { limit: 0 }, logBodies: false, logLimit: 100_000, ...options });
}

export function credentialsFor(server: KoreServer, extra: IDataObject = {}): ICredentialDataDecryptedObject {
	return { host: server.url, ...TRIGGER_APP, testStreamId: STREAM, requestsPerMinute: 1_000_000, ...extra };
}

/** Changes STREAM through Kore's public API, as an agent or another system would. */
export function writer(server: KoreServer) {
	const send = async (method: string, path: string, body?: unknown) => {
		const answer = await call(server, method, path, { body, token: await token() });
		if (answer.status !== 200) throw new Error(`${method} ${path}: HTTP ${answer.status} ${answer.text}`);
		return answer.json as IDataObject;
	};
	let phones = 0;
	return {
		async create(firstName: string): Promise<IDataObject> {
			const cellPhone = { phoneNumber: String(5550000000 + phones++), countryCode: '+1', extension: '+' };
			const [created] = (await send('POST', BASE, [{ firstName, lastName: 'New', salutation: 'Ms', cellPhone }])) as unknown as IDataObject[];
			return created;
		},
		update: async (id: string, fields: IDataObject) => await send('PUT', `${BASE}/${id}`, fields),
		remove: async (id: string) => await send('DELETE', `${BASE}/${id}`),
	};
}

export interface TriggerOptions {
	parameters?: IDataObject;
	/** The workflow's static data as n8n's database holds it (a restart). */
	staticData?: IDataObject;
	/** Changes to the credential. */
	credentials?: IDataObject;
	/** The node class to run (default: this package's; another module copy stands for another n8n process). */
	nodeType?: INodeType;
}

/** A trigger on STREAM (all three events unless `parameters` say otherwise). */
export function trigger(server: KoreServer, { parameters = {}, staticData = {}, credentials = {}, nodeType }: TriggerOptions = {}): Poller {
	return new Poller({
		node: {
			id: 'a1b2c3d4-0000-4000-8000-000000000001',
			name: 'Kore Contacts Trigger',
			type: TRIGGER_TYPE,
			parameters: { events: ['created', 'updated', 'deleted'], pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
			credentials: { koreContactsApi: { id: 'cred-1', name: 'Kore' } },
		},
		nodeType: nodeType ?? new KoreContactsTrigger(),
		credentialType: new KoreContactsApi(),
		credentials: credentialsFor(server, credentials),
		staticData,
		print: process.env.TRIGGER_DEBUG ? (level, message) => process.stderr.write(`${level} ${message}\n`) : undefined,
	});
}

/** The same trigger after a restart of n8n (or on another main process): a new poller on what n8n saved. */
export function restarted(server: KoreServer, before: Poller, options: TriggerOptions = {}): Poller {
	return trigger(server, { parameters: before.node.parameters as IDataObject, staticData: JSON.parse(before.saved) as IDataObject, ...options });
}

/** What a poll emitted, as `event id` lines (sorted), with the changed fields of updates. */
export function events(outcome: PollOutcome): string[] {
	if (outcome.error) throw outcome.error;
	const items = outcome.emitted?.[0] ?? [];
	return items
		.map(({ json }) => {
			const fields = json.changedFields ? ` [${(json.changedFields as string[]).join(',')}]` : '';
			return `${String(json.event)} ${String((json.contact as IDataObject).id)}${fields}`;
		})
		.sort();
}

/** The list (Get All) requests the trigger's app sent since `from` (an index into server.requests). */
export function listRequests(server: KoreServer, from = 0): number {
	return server.requests.slice(from).filter((entry) => entry.appId === TRIGGER_APP.clientId && entry.method === 'GET').length;
}

/**
 * A fault path (the server tests a RegExp against the raw path) that matches the list requests of STREAM
 * after the first `pass` of them: a read that fails half way.
 */
export function afterPages(pass: number): RegExp {
	const rule = new RegExp(`^${BASE}$`);
	const test = rule.test.bind(rule);
	let seen = 0;
	rule.test = (path: string) => test(path) && ++seen > pass;
	return rule;
}

/**
 * A fault path that never matches but notes when the first list request of STREAM arrives (the server tests
 * fault paths as a request arrives, before its latency): `arrived` resolves then.
 */
export function listArrival(): { path: RegExp; arrived: Promise<void> } {
	const rule = new RegExp(`^${BASE}$`);
	const test = rule.test.bind(rule);
	let seen!: () => void;
	const arrived = new Promise<void>((resolve) => (seen = resolve));
	rule.test = (path: string) => {
		if (test(path)) seen();
		return false;
	};
	return { path: rule, arrived };
}
