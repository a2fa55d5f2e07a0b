// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- n8n's `<NAME>_FILE` settings (Docker secrets) are files
import { readFileSync } from 'node:fs';

/**
 * The one file that reads this n8n process itself: n8n's queue settings from its environment (and the files
 * `<NAME>_FILE` names), its command, and its shutdown signals. n8n gives nodes no other way to learn that it
 * runs in queue mode or where its Redis is. (n8n Cloud's lint forbids `process` and `fs`; this package cannot
 * be verified for Cloud anyway, see docs/compatibility.)
 */

/** n8n's queue settings, as n8n reads them (packages/@n8n/config ScalingModeConfig). */
export interface QueueSettings {
	mode?: string;
	host?: string;
	port?: string;
	username?: string;
	password?: string;
	db?: string;
	tls?: string;
	clusterNodes?: string;
	prefix?: string;
	/** n8n's own Redis key prefix (N8N_REDIS_KEY_PREFIX, default n8n): its multi-main leader key uses it. */
	redisPrefix?: string;
}

/**
 * Reads each setting as n8n's config does (@n8n/config `readEnv`): the variable itself, else the file named
 * by `<NAME>_FILE` (Docker secrets), trimmed.
 */
export function queueSettingsFrom(env: Record<string, string | undefined>, readFile: (path: string) => string = unreadable): QueueSettings {
	const read = (name: string) => {
		if (name in env) return env[name];
		const file = env[`${name}_FILE`];
		return file ? readFile(file).trim() : undefined;
	};
	return {
		mode: read('EXECUTIONS_MODE'),
		host: read('QUEUE_BULL_REDIS_HOST'),
		port: read('QUEUE_BULL_REDIS_PORT'),
		username: read('QUEUE_BULL_REDIS_USERNAME'),
		password: read('QUEUE_BULL_REDIS_PASSWORD'),
		db: read('QUEUE_BULL_REDIS_DB'),
		tls: read('QUEUE_BULL_REDIS_TLS'),
		clusterNodes: read('QUEUE_BULL_REDIS_CLUSTER_NODES'),
		prefix: read('QUEUE_BULL_PREFIX'),
		redisPrefix: read('N8N_REDIS_KEY_PREFIX'),
	};
}

function unreadable(path: string): never {
	throw new Error(`cannot read ${path}`);
}

/** This process's queue settings. */
export function n8nQueueSettings(): QueueSettings {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
	const { env, argv } = process;
	// `n8n worker` and `n8n webhook` run in queue mode without EXECUTIONS_MODE in their environment
	const command = argv[2];
	return queueSettingsFrom(command === 'worker' || command === 'webhook' ? { ...env, EXECUTIONS_MODE: 'queue' } : env, (path) =>
		readFileSync(path, 'utf8'),
	);
}

/** Calls `close` when n8n shuts down (n8n stops on SIGTERM / SIGINT). */
export function onShutdown(close: () => void): void {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
		process.once(signal, close);
	}
}
