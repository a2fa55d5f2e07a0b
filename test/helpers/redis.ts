/**
 * A throwaway redis-server for the queue-mode tests (n8n's queue mode keeps its queue in Redis; the node shares
 * its budget and locks there): the e2e suite's own starter, scripts/e2e/services.js. `npm test` installs
 * Debian's redis-server when it is missing (.ci/install-services); without it these tests fail, never skip.
 */
export interface TestRedis {
	port: number;
	stop(): Promise<void>;
}

// a plain JS module without type declarations: the one export used here, typed
const services = require('../../scripts/e2e/services') as { startRedis(): Promise<TestRedis> };

export async function startRedis(): Promise<TestRedis> {
	return await services.startRedis();
}
