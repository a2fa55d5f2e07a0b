/**
 * Types of the local Kore-compatible Contacts server (index.js and the modules it assembles). See README.md for the
 * contract.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface AccountOption {
	accountId: string;
	/** the JWT app's Client ID: tokens carry it as `appId` */
	clientId: string;
	/** the JWT app's Client Secret: the HS256 key */
	clientSecret: string;
	/** the app's "Enforce JTI" setting (default false) */
	enforceJti?: boolean;
	/** streams (bots) this app may use; omitted = any streamId is accepted */
	streams?: string[];
	/** whether the app is mapped to the "Configuration" API scope (default true); false → 401 "Permission denied. Scope is incorrect!" */
	configurationScope?: boolean;
	/** whether the app is mapped to the "Campaign Management" API scope (default true); false → the same 401 on campaign paths */
	campaignScope?: boolean;
	orgId?: string;
	/** createdBy / updatedBy */
	userId?: string;
	/** createdByAId / updatedByAId */
	aId?: string;
}

export interface RateLimitOptions {
	/** requests per window per account; 0 = off (default 60) */
	limit?: number;
	/** default 60000 */
	windowMs?: number;
	/** default 'sliding' */
	mode?: 'sliding' | 'fixed';
	/** default 429 */
	status?: number;
	/** send Retry-After (seconds, rounded up); default false */
	retryAfter?: boolean;
	/** refused requests count against the limit too; default false */
	countRejected?: boolean;
}

export interface CellPhone {
	phoneNumber: string;
	countryCode: string;
	extension?: string;
}

export interface SeedContact {
	streamId: string;
	id?: string;
	accountId?: string;
	firstName: string;
	lastName?: string;
	salutation?: string;
	fullName?: string;
	/** phoneNumber as digits, or already prefixed with the country code */
	cellPhone: CellPhone;
	status?: 'ACTIVE' | 'INACTIVE';
	createdAt?: string;
	updatedAt?: string;
	/**
	 * Taken as stored: not validated and not checked against the numbers of other contacts. For data Kore may hold
	 * that its API would refuse today (a number without a country code, one number on two contacts), so that a
	 * client's defences against it can be tried. Its id must still be new.
	 */
	asStored?: boolean;
}

/** The fields `updateContact` may change, as Update's body names them. */
export interface ContactChange {
	firstName?: string;
	lastName?: string;
	fullName?: string;
	salutation?: string;
	/** phoneNumber as digits, without the country code */
	cellPhone?: Partial<CellPhone>;
}

export interface KoreContact {
	firstName: string;
	lastName: string;
	fullName: string;
	salutation: string;
	cellPhone: { extension: string; phoneNumber: string; countryCode: string };
	status: 'ACTIVE' | 'INACTIVE';
	instanceBotId: string;
	orgId: string;
	accountId: string;
	createdBy: string;
	createdByAId: string;
	address: object[];
	twitterDetails: object[];
	createdAt: string;
	updatedAt: string;
	updatedBy?: string;
	updatedByAId?: string;
	id: string;
}

/** Answers that status at once; without a body, a Kore-shaped error. */
export interface StatusAction {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type FaultAction =
	| 'reset'
	| 'hang'
	| { reset: 'before' | 'after' }
	| { rateLimitMessage: true; status?: number }
	| StatusAction;

export interface FaultRule {
	method?: string;
	/** prefix of, or RegExp tested against, the raw request path (without the query) */
	path?: string | RegExp;
	/** default 1; Infinity allowed */
	times?: number;
	action: FaultAction;
}

/** An API request as a hook sees it: after its body was read, before it is authenticated or applied. */
export interface HookedRequest {
	method: string;
	/** raw path as received, still percent-encoded, without the query */
	path: string;
	/** which endpoint it is for, as matchRoute() answers */
	route: RouteMatch;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** the parsed JSON body, or the raw bytes (empty when there is no body) */
	body: unknown;
}

/**
 * Sees each API request (admin ones excepted) and may hold it back (return a promise) or answer it: a FaultAction
 * returned is applied as a fault rule's would be, and replaces a fault rule taken for the request; undefined lets
 * it go on. A hook that throws makes the answer a 500.
 */
export type RequestHook = (request: HookedRequest) => FaultAction | undefined | void | Promise<FaultAction | undefined | void>;

export interface ServerOptions {
	/** default '127.0.0.1' */
	host?: string;
	/** default 0 (random) */
	port?: number;
	/** default: the demo account of demoSeed() */
	accounts?: AccountOption[];
	contacts?: SeedContact[];
	rateLimit?: RateLimitOptions;
	/** fixed delay or [min, max] per API request; default 0 */
	latencyMs?: number | [number, number];
	/** Get All `limit` when none is given; default 10 */
	pageSize?: number;
	/** larger `limit` values are clamped; default 100 */
	maxPageSize?: number;
	/** most items per Create / Import / Update Bulk / Delete Bulk; default 10000 */
	maxBulk?: number;
	/** default 16 MiB */
	maxBodyBytes?: number;
	/** Get All lists INACTIVE contacts too; default false */
	listInactive?: boolean;
	/** Get All's answer carries totalPages and totalResults, as Kore's sample does; default true */
	listTotals?: boolean;
	/** Update / Delete of an INACTIVE contact's id: 'notFound' (default) or 'ok' */
	inactiveIds?: 'notFound' | 'ok';
	/** default 404 */
	notFoundStatus?: number;
	/** default 409 */
	duplicateStatus?: number;
	/** default 'msg' */
	errorKey?: 'msg' | 'message';
	/** Create / Import require all six documented fields; default true */
	requireAllFields?: boolean;
	/** default 10000; 0 = no log */
	logLimit?: number;
	/** default true */
	logBodies?: boolean;
	/** the id of each contact Create or Import makes; default 24 hex characters, like Kore's ids */
	newId?: () => string;
	/** the Campaign Management API: seed contact lists and campaigns, and how long an add takes */
	campaign?: CampaignOptions;
}

// ------------------------------------------------------------------ Campaign Management API (campaigns.js)

export interface SeedContactList {
	streamId: string;
	_id?: string;
	name: string;
	/** default: the name */
	description?: string;
	/** default false */
	allowDuplicates?: boolean;
	/** phone numbers already in the list */
	members?: string[];
}

export interface CampaignOutcome {
	phoneNumber: string;
	uniqueId?: string;
	dialerOutcome?: string;
	numberOfAttemptsSoFar?: number;
	botSessionId?: string;
	agentDispositionCodes?: string[];
	botOutboundStatus?: string;
	botOutboundStatusDetail?: string;
}

export interface SeedCampaign {
	streamId: string;
	_id?: string;
	name: string;
	/** default 'voice' */
	type?: 'voice' | 'sms';
	/** default 'Ready' */
	status?: string;
	/** the NAMES of the lists it dials */
	contactLists?: string[];
	/** per-contact results (Start adds one, "completed", for each member that has none) */
	outcomes?: CampaignOutcome[];
}

export interface CampaignSeed {
	contactLists?: SeedContactList[];
	campaigns?: SeedCampaign[];
}

export interface CampaignOptions extends CampaignSeed {
	/** how long after Kore's "in progress" answer added numbers appear in the list; default 1000 */
	addDelayMs?: number;
	/** most numbers one add request takes; default 10000 */
	maxAdd?: number;
}

/** A contact list as Get Contact List Details renders it, plus its members' numbers. */
export interface ServerContactList {
	_id: string;
	name: string;
	description: string;
	totalRecordCount: number;
	allowDuplicates: boolean;
	isListInUse: boolean;
	members: string[];
	[key: string]: unknown;
}

export interface ServerCampaign {
	_id: string;
	name: string;
	type: 'voice' | 'sms';
	status: string;
	contactLists: string[];
	campaignInstanceId?: string;
	outcomes: CampaignOutcome[];
	createdAt: string;
	updatedAt: string;
}

export interface CampaignSnapshot {
	streams: Record<string, { contactLists: unknown[]; campaigns: ServerCampaign[] }>;
	/** adds accepted and not yet applied */
	pendingAdds: number;
	/** entries an add dropped (not phone numbers) */
	rejected: Array<{ streamId: string; list: string; phoneNumber: unknown }>;
	addDelayMs: number;
}

/** The handle's `campaigns`: arrange and inspect contact lists and campaigns in-process (no request, no log entry). */
export interface CampaignHandle {
	/** adds lists and campaigns (and sets addDelayMs when given); reset() drops them again */
	seed(seed: CampaignSeed & { addDelayMs?: number }): CampaignSnapshot;
	contactLists(streamId: string): ServerContactList[];
	campaigns(streamId: string): ServerCampaign[];
	setAddDelay(ms: number): void;
	snapshot(): CampaignSnapshot;
}

/** Options setOptions() may change while the server runs (reset() restores the starting ones). */
export type ChangeableOptions = Pick<
	ServerOptions,
	'pageSize' | 'maxPageSize' | 'listInactive' | 'listTotals' | 'inactiveIds' | 'notFoundStatus' | 'duplicateStatus' | 'errorKey' | 'requireAllFields'
>;

export interface LogEntry {
	at: number;
	method: string;
	/** raw path as received, still percent-encoded, without the query */
	path: string;
	query: Record<string, string>;
	accountId: string | null;
	appId: string | null;
	jti: string | null;
	status: number | null;
	body?: unknown;
	fault?: 'status' | 'reset-before' | 'reset-after' | 'hang' | 'rate-limit-message';
	authError?: string;
	rateLimited?: boolean;
	durationMs?: number;
}

export interface Stats {
	total: number;
	byStatus: Record<string, number>;
	rateLimited: number;
	faults: Record<string, number>;
	logged: number;
	dropped: number;
}

export interface KoreServer {
	url: string;
	port: number;
	/** the live log (the same array across reset()) */
	requests: LogEntry[];
	/** every contact of the stream, INACTIVE included, in creation order */
	contacts(streamId: string): KoreContact[];
	/** the Campaign Management API's state: contact lists, campaigns, pending adds */
	campaigns: CampaignHandle;
	/** back to the start: the seed contacts, empty log and counters, no faults or hooks, the starting rate limit, latency and options */
	reset(): void;
	addFault(rule: FaultRule): void;
	clearFaults(): void;
	/** adds a hook (after the ones already there); returns the function that removes it */
	intercept(hook: RequestHook): () => void;
	setRateLimit(opts: RateLimitOptions): void;
	setLatency(ms: number | [number, number]): void;
	setOptions(changes: ChangeableOptions): void;
	/**
	 * Changes made in this process as another system using the same Kore account would make them: no request, no
	 * log entry; Kore's rules apply and a change the API would refuse throws. reset() drops them.
	 */
	addContacts(contacts: SeedContact[]): KoreContact[];
	/** changes the fields given of an ACTIVE contact, as Update does */
	updateContact(streamId: string, id: string, fields: ContactChange): KoreContact;
	/** deletes an ACTIVE contact, as Delete does: it becomes INACTIVE and its number is free */
	deleteContact(streamId: string, id: string): KoreContact;
	stats(): Stats;
	close(): Promise<void>;
}

export interface DemoSeed {
	accountId: string;
	clientId: string;
	clientSecret: string;
	streamId: string;
	accounts: AccountOption[];
	contacts: SeedContact[];
	/** a contact list and a voice and an SMS campaign dialing it */
	campaign: CampaignOptions;
}

export function startKoreServer(options?: ServerOptions): Promise<KoreServer>;
export function demoSeed(opts?: {
	count?: number;
	accountId?: string;
	clientId?: string;
	clientSecret?: string;
	streamId?: string;
	enforceJti?: boolean;
}): DemoSeed;
/** Which endpoint a request is for: its kind and the path's parameters (see routes.js). */
export type RouteMatch =
	| { kind: 'notFound' }
	| { kind: 'methodNotAllowed'; allow: string }
	| { kind: 'list' | 'create' | 'import' | 'bulkUpdate' | 'bulkDelete'; streamId: string }
	| { kind: 'contactListCreate' | 'contactListList' | 'contactListAdd' | 'campaignList'; streamId: string }
	| { kind: 'contactListGet' | 'contactListUpdate' | 'contactListDelete' | 'contactListMembers'; streamId: string; contactListId: string }
	| { kind: 'campaignGet' | 'campaignTriggerSms' | 'campaignTriggerVoice' | 'campaignStatus'; streamId: string; campaignId: string }
	| { kind: 'update' | 'delete'; streamId: string; id: string };

export function matchRoute(rawPath: string, method: string): RouteMatch;
export const RATE_LIMIT_MESSAGE: string;
export const VALIDATION_MESSAGE: string;
