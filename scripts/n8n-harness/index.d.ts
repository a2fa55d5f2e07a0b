/**
 * Types of the n8n harness (index.js): what the e2e suite, test/helpers/redis.ts and any TypeScript caller
 * import. The functions are documented where they are written (the module named beside each group).
 */
import type { IDataObject } from 'n8n-workflow';

import type { KoreServer } from '../kore-server';

export type LogFn = (message: string) => void;

/** A command run to its end. */
export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

// ---------------------------------------------------------------------------------- install.js

export const N8N_VERSION: string;
/** `$N8N_E2E_CACHE`, or `<repo>/.cache/n8n-<version>`. */
export function resolveCacheDir(env?: NodeJS.ProcessEnv): string;
export interface N8nBins {
	n8nBin: string;
	nodeBin: string;
	cacheDir: string;
}
/** Installs n8n into the cache (first use only; minutes), under a lock. */
export function ensureN8n(options?: { log?: LogFn }): Promise<N8nBins>;
/** Where the installed n8n is; throws when ensureN8n() has not installed it. */
export function installedN8n(env?: NodeJS.ProcessEnv): N8nBins;

// ------------------------------------------------------------------------------ user-folder.js

export const ENCRYPTION_KEY: string;
export function createUserFolder(): string;
export function baseEnv(userFolder: string): NodeJS.ProcessEnv;

// --------------------------------------------------------------------------- cli.js, cli-output.js

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: Array<IDataObject & { name: string; type: string; parameters: IDataObject }>;
	connections: IDataObject;
	settings?: IDataObject;
	pinData?: IDataObject;
	[key: string]: unknown;
}

export interface CredentialJson {
	id?: string;
	name: string;
	type: string;
	/** plain; n8n encrypts it on import */
	data: IDataObject;
}

/** What `n8n execute --rawOutput` printed, parsed (see README.md beside index.js). */
export interface ExecuteResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** the whole IRun; null when n8n failed before running the workflow */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	result: any | null;
	/** the workflow's error message, or n8n's own when it failed before running; undefined for exit code 0 */
	errorMessage: string | undefined;
	durationMs: number;
}

export function runN8n(env: NodeJS.ProcessEnv, args: string[], options?: { timeoutMs?: number; onOutput?: (chunk: string) => void }): Promise<RunResult>;
export function importCredentials(env: NodeJS.ProcessEnv, credentials: CredentialJson[]): Promise<RunResult>;
export function importWorkflow(env: NodeJS.ProcessEnv, workflows: WorkflowJson | WorkflowJson[]): Promise<RunResult & { ids: string[] }>;
export function publishWorkflow(env: NodeJS.ProcessEnv, id: string): Promise<RunResult>;
export function executeWorkflow(env: NodeJS.ProcessEnv, id: string, options?: { timeoutMs?: number }): Promise<ExecuteResult>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function extractRunJson(text: string): any | null;
/** json of a node's output in an IRun; undefined if the node did not run */
export function nodeOutput(result: unknown, nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[] | undefined;

// ------------------------------------------------------------------------ community-package.js

export interface InstalledPackage {
	packageName: string;
	version: string;
	author?: { name?: string; email?: string };
	/** <userFolder>/.n8n/nodes/node_modules/<packageName> */
	packageDir: string;
	/** `<package>.<node>`, guessed from the node files' names */
	nodeTypes: string[];
}
export interface PackageNode {
	displayName: string;
	name: string;
	version: number;
}
/** `npm pack` of this project into `destination`; the tarball's path. */
export function npmPack(destination: string): Promise<string>;
export function installCommunityPackage(userFolder: string, tarballPath: string): Promise<InstalledPackage>;
export function recordCommunityPackage(userFolder: string, pkg: Pick<InstalledPackage, 'packageName' | 'version' | 'author'>, nodes: PackageNode[]): Promise<void>;
/** This package's nodes, from dist/. */
export function packageNodes(): PackageNode[];

// ----------------------------------------------------------------------------------- editor.js

export interface Owner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}
export const DEFAULT_OWNER: Readonly<Required<Owner>>;
export interface Editor {
	url: string;
	port: number;
	pid: number | undefined;
	owner: { email: string; password: string } | null;
	output(): string;
	stop(): Promise<void>;
}
export function startEditor(env: NodeJS.ProcessEnv, options?: { port?: number; owner?: false | Owner; timeoutMs?: number; log?: LogFn }): Promise<Editor>;

// ---------------------------------------------------------------------------------- cluster.js

export interface N8nProcess {
	name: string;
	pid: number | undefined;
	output(): string;
	onLine(fn: (line: string) => void): void;
	readonly exited: boolean;
	stop(signal?: NodeJS.Signals): Promise<void>;
}
export interface Cluster {
	url: string;
	port: number;
	main: N8nProcess;
	workers: N8nProcess[];
	/** execution id -> worker name, for every execution a worker started */
	executionsByWorker(): Map<string, string>;
	stop(): Promise<void>;
}
export function postgresEnv(postgres: { host: string; port: number; user: string; password?: string }, database: string): NodeJS.ProcessEnv;
export function queueEnv(redis: { host: string; port: number }, prefix?: string): NodeJS.ProcessEnv;
export function startCluster(
	env: NodeJS.ProcessEnv,
	options?: { workers?: number; concurrency?: number; webhookPaths?: string[]; port?: number; log?: LogFn; timeoutMs?: number },
): Promise<Cluster>;

// --------------------------------------------------------------------------------- services.js

export interface Redis {
	host: string;
	port: number;
	url: string;
	pid: number | undefined;
	/** one command in Redis' protocol; the raw reply */
	command(args: string[]): Promise<string>;
	output(): string;
	stop(): Promise<void>;
}
export interface Postgres {
	host: string;
	port: number;
	user: string;
	password: string;
	pid: number | undefined;
	psql(sql: string, database?: string): string;
	/** a new, empty database; its name */
	createDatabase(name: string): string;
	output(): string;
	stop(): Promise<void>;
}
export function startRedis(options?: { log?: LogFn }): Promise<Redis>;
export function startPostgres(options?: { log?: LogFn }): Promise<Postgres>;
export function startServices(options?: { log?: LogFn }): Promise<{ redis: Redis; postgres: Postgres; stop(): Promise<void> }>;
/** Throws, naming how to install it, when redis-server is missing. */
export function findRedis(): string;
/** Throws, naming how to install it, when PostgreSQL is missing. */
export function findPostgresBinDir(): string;

// -------------------------------------------------------------------------------- queue-lab.js

export type EventKind = 'delete' | 'update' | 'upsert';

/** An event's answer; `status` 0 when none came (then `text` is the client's error, e.g. its timeout). */
export interface Answer {
	status: number;
	json: { executionId?: string; action?: string; status?: string; error?: string; details?: string; [key: string]: unknown } | undefined;
	text: string;
	/** from the burst's start until the answer (or the client's error) came */
	ms: number;
}

export interface SeededContact {
	id: string;
	/** E.164 */
	phone: string;
	firstName: string;
	lastName?: string;
}

export interface Lab {
	server: KoreServer;
	services: { redis: Redis; postgres: Postgres; stop(): Promise<void> };
	env: NodeJS.ProcessEnv;
	streamId: string;
	seeded: SeededContact[];
	/** n8n on the lab's DB: `workers: 0` = one process in regular mode; K > 0 = main + K workers. */
	startCluster(options: { workers: number; concurrency?: number }): Promise<Cluster>;
	close(): Promise<void>;
}

export interface Burst {
	events: number;
	contacts: number;
	workers: number;
	wallMs: number;
	requests: number;
	rateLimited: number;
	lists: number;
	deletes: number;
	notDeleted: string[];
	wronglyDeleted: string[];
	/** "event <n> after <s>: <why>" for each event that did not answer with its contact deleted */
	failedEvents: string[];
	/** how many events failed for each reason */
	failureReasons: Record<string, number>;
	lost: number;
	byWorker: Record<string, number>;
}

export interface QueueLab {
	LIMIT: number;
	WINDOW_MS: number;
	PATHS: Record<EventKind, string>;
	createLab(options?: { contacts?: number; latencyMs?: number; log?: LogFn }): Promise<Lab>;
	fire(url: string, kind: EventKind, bodies: object[]): Promise<{ wallMs: number; answers: Answer[] }>;
	/** why an event failed (no answer, the node's error, or an answer `ok` refuses; default: not HTTP 200); undefined if it did not */
	whyFailed(answer: Answer, ok?: (answer: Answer) => boolean): string | undefined;
	failures(answers: Answer[], ok?: (answer: Answer) => boolean): string[];
	deleteBurst(lab: Lab, cluster: Cluster, options?: { events?: number }): Promise<Burst>;
	/** which worker ran each event ('main' in regular mode, '?' when unknown) */
	workerOf(cluster: Pick<Cluster, 'executionsByWorker' | 'workers'>, answers: Array<Pick<Answer, 'json'>>): string[];
}
export const queueLab: QueueLab;
