/**
 * A throwaway redis-server for the queue-mode tests (n8n's queue mode keeps its queue in Redis; the node shares
 * its budget and locks there): the e2e suite's own starter, scripts/n8n-harness/services.js. `npm test` installs
 * Debian's redis-server when it is missing (.ci/install-services); without it these tests fail, never skip.
 */
import { startRedis } from '../../scripts/n8n-harness';
import type { Redis } from '../../scripts/n8n-harness';

export type TestRedis = Pick<Redis, 'port' | 'stop'>;

export { startRedis };
