/**
 * The Contact List and Campaign operations run inside n8n's engine (helpers/engine.ts) against the local Kore
 * server (scripts/kore-server) seeded with contact lists and campaigns: what each run sent is read from the
 * server's request log.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { KoreContacts } from '../../nodes/KoreContacts/KoreContacts.node';
import { startKoreServer } from '../../scripts/kore-server';
import type { KoreServer, LogEntry, ServerOptions } from '../../scripts/kore-server';
import { searchList } from '../../scripts/lib/engine';
import { KORE_NODE_TYPE, loadWorkflow, runWorkflow } from './engine';
import type { RunResult } from './engine';

export const STREAM = 'st-campaign-test-0001';
export const ACCOUNT = { accountId: 'acc-campaign-0001', clientId: 'cs-campaign-app', clientSecret: 'campaign-test-secret-0123456789abcdef', streams: [STREAM] };
/** An app of the same account that is not mapped to the "Campaign Management" scope. */
export const UNSCOPED = { ...ACCOUNT, clientId: 'cs-campaign-unscoped', clientSecret: 'unscoped-secret-0123456789abcdefghij', campaignScope: false };

export const LIST = { id: 'cl-renewal-0001', name: 'Renewal Due - July 2025' };
export const EMPTY_LIST = { id: 'cl-cold-0002', name: 'Leads Gone Cold' };
/** 250 members: three pages of 100. */
export const BIG_LIST = { id: 'cl-big-0003', name: 'Everyone' };
export const VOICE = { id: 'cd-voice-0001', name: 'Renewal Reminder' };
export const SMS = { id: 'cd-sms-0002', name: 'Renewal Text' };
export const BIG_NUMBERS = Array.from({ length: 250 }, (_, n) => String(14155550000 + n));

/** 250 outcomes for the voice campaign: three pages of 100. */
export const OUTCOMES = BIG_NUMBERS.map((phoneNumber, n) => ({
	phoneNumber,
	uniqueId: '',
	dialerOutcome: n % 3 === 0 ? 'noAnswer' : 'completed',
	numberOfAttemptsSoFar: 1 + (n % 3),
	botSessionId: `session-${n}`,
	agentDispositionCodes: n % 5 === 0 ? ['Callback Requested'] : [],
	botOutboundStatus: 'userHangUp',
	botOutboundStatusDetail: 'user_hangup',
}));

/** The server, its rate limit off, adds applied `addDelayMs` after they are accepted. */
export async function startCampaignServer(options: ServerOptions = {}): Promise<KoreServer> {
	return await startKoreServer({
		accounts: [ACCOUNT, UNSCOPED],
		contacts: [],
		rateLimit: { limit: 0 },
		...options,
		campaign: {
			addDelayMs: 50,
			contactLists: [
				{ streamId: STREAM, _id: LIST.id, name: LIST.name, description: 'Plans renewing in July', members: ['919876543210', '447700900123'] },
				{ streamId: STREAM, _id: EMPTY_LIST.id, name: EMPTY_LIST.name },
				{ streamId: STREAM, _id: BIG_LIST.id, name: BIG_LIST.name, members: BIG_NUMBERS },
			],
			campaigns: [
				{ streamId: STREAM, _id: VOICE.id, name: VOICE.name, type: 'voice', contactLists: [LIST.name], outcomes: OUTCOMES },
				{ streamId: STREAM, _id: SMS.id, name: SMS.name, type: 'sms', contactLists: [EMPTY_LIST.name] },
			],
			...options.campaign,
		},
	});
}

/** The credential for `server` (pacing effectively off: the tests are about requests, not time). */
export function credentialsFor(server: KoreServer, app: { clientId: string; clientSecret: string } = ACCOUNT): ICredentialDataDecryptedObject {
	return {
		host: 'custom',
		customHost: server.url,
		accountId: ACCOUNT.accountId,
		clientId: app.clientId,
		clientSecret: app.clientSecret,
		testStreamId: STREAM,
		requestsPerMinute: 1_000_000,
	};
}

export interface CampaignRun extends RunResult {
	/** What the server logged during the run. */
	requests: LogEntry[];
	/** `METHOD path?query` lines of `requests`, the stream as `{stream}`: `GET /campaign/api/v2/public/{stream}/campaign/contactList/cl-1?accountId=…` */
	lines: string[];
	/** The Kore node's main output, json only. */
	json: IDataObject[];
}

/** `METHOD <path with the stream as {stream}>`, plus the query in a stable order. */
function line(entry: LogEntry): string {
	const path = entry.path.split(`/${STREAM}/`).join('/{stream}/');
	const query = new URLSearchParams(Object.entries(entry.query).sort(([a], [b]) => a.localeCompare(b))).toString();
	return `${entry.method} ${path}${query ? `?${query}` : ''}`;
}

/** Runs the Kore node with `parameters` (resource, operation, …) over `items`. */
export async function run(
	server: KoreServer,
	parameters: IDataObject,
	{ items, onError, app }: { items?: IDataObject[]; onError?: string; app?: { clientId: string; clientSecret: string } } = {},
): Promise<CampaignRun> {
	const before = server.requests.length;
	const result = await runWorkflow('campaign.json', {
		credentials: credentialsFor(server, app),
		items,
		node: { parameters, onError },
	});
	const requests = server.requests.slice(before);
	return { ...result, requests, lines: requests.map(line), json: (result.outputs[0] ?? []).map((item) => item.json) };
}

/** The editor's picker (`searchContactLists` / `searchCampaigns`) for a node set to `parameters`, and what it sent. */
export async function pick(server: KoreServer, method: string, parameters: IDataObject, filter?: string) {
	const workflow = loadWorkflow('campaign.json');
	Object.assign(workflow.nodes.find((node) => node.type === KORE_NODE_TYPE)!.parameters, parameters);
	const before = server.requests.length;
	const result = await searchList(workflow, 'Kore Contacts', method, filter, {
		nodeTypes: { [KORE_NODE_TYPE]: new KoreContacts() },
		credentialType: new KoreContactsApi(),
		credentials: credentialsFor(server),
	});
	return { results: result.results, lines: server.requests.slice(before).map(line) };
}
