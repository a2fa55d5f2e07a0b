/**
 * jest's globalSetup for `npm run test:e2e`: installs n8n 2.41.1 into its cache (the first time: several
 * minutes; then a marker check of milliseconds) BEFORE any test file starts, so no timed hook waits for an
 * install. `N8N_E2E_CACHE` chooses the cache folder (default `.cache/n8n-2.41.1`). When the install fails, jest
 * stops here and no test runs: the suite never passes without a real n8n.
 */
import { ensureN8n } from '../../scripts/n8n-harness';

export default async function installN8n(): Promise<void> {
	// straight to stderr: a first install takes minutes, and jest shows nothing of its own meanwhile
	await ensureN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
}
