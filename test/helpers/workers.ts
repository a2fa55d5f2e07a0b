/**
 * n8n's queue mode in one jest process: each `worker()` is a fresh copy of the node's modules
 * (jest.isolateModules) standing for one `n8n worker` process — its own pacer, lookup layer and Redis
 * connection, as a separate process would have — and they share one real redis-server, as n8n's workers share
 * n8n's Redis. Outside queue mode (no `queueMode()` call), each copy is one n8n process on its own.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { Redis } from 'ioredis';

import { queueEnv } from '../../scripts/n8n-harness';
import { runWorkflow } from './engine';
import { CREDENTIALS } from './kore';
import { startRedis } from './redis';
import type { TestRedis } from './redis';

type Queue = typeof import('../../nodes/KoreContacts/queue');
type Lookup = typeof import('../../nodes/KoreContacts/lookup');
type Locks = typeof import('../../nodes/KoreContacts/lookup/locks');

/** How to close each "worker"'s Redis connection (as n8n's shutdown does) and drop the streams it keeps. */
const shutdowns: Array<() => Promise<void>> = [];
const forgets: Array<() => void> = [];

export interface WorkerOptions {
	/** The lease of its locks, how long it waits for Redis and for a lock (ms); production values otherwise. */
	leaseMs?: number;
	redisWaitMs?: number;
	lockWaitMs?: number;
}

/** A fresh copy of the node's modules: one "worker process". */
export function worker(options: WorkerOptions = {}): INodeType {
	let node!: INodeType;
	jest.isolateModules(() => {
		const { KoreContacts } = require('../../nodes/KoreContacts/KoreContacts.node') as typeof import('../../nodes/KoreContacts/KoreContacts.node');
		const queue = require('../../nodes/KoreContacts/queue') as Queue;
		if (options.leaseMs) queue.queueTiming.leaseMs = options.leaseMs;
		if (options.redisWaitMs) queue.queueTiming.redisWaitMs = options.redisWaitMs;
		if (options.lockWaitMs) (require('../../nodes/KoreContacts/lookup/locks') as Locks).lockTiming.waitMs = options.lockWaitMs;
		shutdowns.push(queue.closeSharedState);
		forgets.push((require('../../nodes/KoreContacts/lookup') as Lookup).dropIdleStreams);
		node = new KoreContacts();
	});
	return node;
}

export interface RunOptions {
	items?: IDataObject[];
	credentials?: IDataObject;
	executionId?: string;
	/** When it resolves, the execution is cancelled. */
	cancel?: Promise<unknown>;
}

/** Runs a fixture on `node` with its Kore Contacts node's parameters changed by `parameters`. */
export async function run(node: INodeType, fixture: string, parameters: IDataObject, { items = [{}], credentials = {}, executionId, cancel }: RunOptions = {}) {
	return await runWorkflow(fixture, {
		nodeType: node,
		node: { parameters },
		credentials: { ...CREDENTIALS, ...credentials },
		items,
		executionId,
		cancel,
		print: process.env.DEBUG_WORKERS ? (level, message) => console.log(`[${executionId ?? '-'}] ${level}: ${message}`) : undefined,
	});
}

export const update = (node: INodeType, contactId: string, updateFields: IDataObject, options?: RunOptions) =>
	run(node, 'update-contact.json', { contactBy: 'id', contactId, updateFields }, options);

export const upsert = (node: INodeType, phone: string, first: string, options?: RunOptions) =>
	run(node, 'update-contact.json', { operation: 'upsert', firstName: first, lastName: 'Same', salutation: 'Mx', phoneNumber: phone, countryCode: '+91' }, options);

/** Execution `executionId` deletes by phone: contact c<i>'s number (fakeStream's numbering), or the number given. */
export const deleteByPhone = (node: INodeType, contact: number | string, executionId?: string, options?: RunOptions) =>
	run(node, 'delete-by-phone.json', {}, { ...options, items: [{ phone: typeof contact === 'number' ? String(9000000000 + contact) : contact }], executionId });

const saved = { ...process.env };

/** Puts the next workers in n8n's queue mode on the Redis at `port`, with its own key prefix. */
function queueMode(prefix: string, port: number): void {
	Object.assign(process.env, queueEnv({ host: '127.0.0.1', port }, prefix));
}

/** What n8n's main process leaves in Redis (Bull 4's keys) when it queues execution `executionId` as job `jobId`. */
async function queueExecution(port: number, prefix: string, jobId: number, executionId: string): Promise<void> {
	const client = new Redis({ host: '127.0.0.1', port });
	try {
		await client.set(`${prefix}:jobs:id`, jobId);
		await client.hset(`${prefix}:jobs:${jobId}`, 'data', JSON.stringify({ workflowId: 'wf', executionId, loadStaticData: false }));
	} finally {
		await client.quit();
	}
}

/** After each test: back to the environment before it, and no stream kept for queued executions. */
export function resetWorkers(): void {
	process.env = { ...saved };
	forgets.forEach((forget) => forget());
}

/** After all tests: every worker's Redis connection closed. */
async function closeWorkers(): Promise<void> {
	await Promise.all(shutdowns.map((close) => close()));
}

export interface QueueRedis {
	/** The port of the file's redis-server (read it inside a test or hook: the server starts in `beforeAll`). */
	readonly port: number;
	/** Puts the next workers in n8n's queue mode on this Redis (or on `port`, e.g. a proxy's), with its own key prefix. */
	queueMode(prefix: string, port?: number): void;
	/** What n8n's main process leaves in this Redis (Bull 4's keys) when it queues execution `executionId` as job `jobId`. */
	queueExecution(prefix: string, jobId: number, executionId: string): Promise<void>;
}

/**
 * The set-up of a file of queue-mode tests (this registers its hooks): one throwaway redis-server for the
 * file; after each test, resetWorkers(); after all, every worker's Redis connection closed, then the server
 * stopped.
 */
export function queueRedis(): QueueRedis {
	let redis: TestRedis;
	beforeAll(async () => {
		redis = await startRedis();
	});
	afterEach(() => resetWorkers());
	afterAll(async () => {
		await closeWorkers();
		await redis.stop();
	});
	return {
		get port() {
			return redis.port;
		},
		queueMode: (prefix, port = redis.port) => queueMode(prefix, port),
		queueExecution: (prefix, jobId, executionId) => queueExecution(redis.port, prefix, jobId, executionId),
	};
}
