/**
 * End-to-end: this package in a REAL n8n 2.41.1 process. See README.md beside this file, and the scenario
 * tables in scenarios/ (one file per operation).
 *
 * Env: E2E_ONLY=<id>[,<id>] runs only those scenarios; E2E_CONCURRENCY (default: the number of
 * CPUs, at most 4) is how many
 * `n8n execute` processes run at once; E2E_KEEP=1 keeps the n8n user folder for a look afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8N_VERSION } from '../../scripts/n8n-harness';

import { KORE_NODE_NAME, KORE_NODE_TYPE } from './helpers';
import type { ScenarioRun } from './helpers';
import { loadScenarios } from './scenarios';
import { setUpE2E } from './setup';
import type { E2E } from './setup';

const only = (process.env.E2E_ONLY ?? '')
	.split(',')
	.map((id) => id.trim())
	.filter(Boolean);
const all = loadScenarios();
const scenarios = only.length ? all.filter((s) => only.includes(s.id)) : all;
if (only.length && scenarios.length !== only.length) {
	throw new Error(`E2E_ONLY=${only.join(',')}: unknown scenario id(s); known: ${all.map((s) => s.id).join(', ')}`);
}

let e2e: E2E | undefined;

/** The last lines of n8n's output, each prefixed with "| " (so jest does not take n8n's stack lines for the test's). */
function tail(text: string, lines = 30): string {
	return text
		.trimEnd()
		.split('\n')
		.slice(-lines)
		.map((line) => `| ${line}`)
		.join('\n');
}

/** The run, after checking that n8n really ran the workflow with our node in it. */
async function ranInN8n(id: string): Promise<ScenarioRun> {
	// no e2e means beforeAll failed (e.g. n8n could not be installed): fail, never skip
	if (!e2e) throw new Error('the e2e set-up failed (see the beforeAll error above): n8n did not run');
	const run = await e2e.run(scenarios.find((s) => s.id === id)!);
	if (run.result === null) {
		throw new Error(`n8n did not run the workflow (exit ${run.code}): ${run.errorMessage}\n--- n8n output (tail)\n${tail(run.stdout + run.stderr)}`);
	}
	return run;
}

describe(`n8n ${N8N_VERSION} with this package installed from its npm pack tarball`, () => {
	// pack, install into a user folder, two n8n imports: about 30 s (n8n itself was installed by global-setup.ts)
	beforeAll(async () => {
		const concurrency = Number(process.env.E2E_CONCURRENCY) || Math.max(1, Math.min(4, os.cpus().length));
		e2e = await setUpE2E(scenarios, { concurrency });
		e2e.startAll();
	}, 10 * 60_000);

	afterAll(async () => {
		await e2e?.close();
	});

	test('installing the tarball installs nothing else: no dependency, and the bundle is what n8n loads', () => {
		if (!e2e) throw new Error('the e2e set-up failed (see the beforeAll error above): n8n did not run');
		const { packageDir } = e2e.installed;
		// n8n's install ran `npm install` in the package folder: with no dependencies it adds no node_modules
		expect(existsSync(path.join(packageDir, 'node_modules'))).toBe(false);
		const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		expect(pkg.dependencies).toBeUndefined();
		expect(existsSync(path.join(packageDir, 'dist/bundle.js'))).toBe(true);
		expect(readFileSync(path.join(packageDir, pkg.n8n.nodes[0]), 'utf8')).toMatch(/require\("\.\.\/\.\.\/bundle\.js"\)/);
	});

	test('the package loads: n8n runs the Kore Contacts node (no "Unrecognized node type")', async () => {
		expect(e2e?.installed.nodeTypes).toContain(KORE_NODE_TYPE);
		const run = await ranInN8n(scenarios[0].id);
		expect(run.stdout).not.toContain('Unrecognized node type');
		expect(run.result.data.resultData.runData[KORE_NODE_NAME]).toBeDefined();
	});

	for (const scenario of scenarios) {
		test(`${scenario.id}: ${scenario.title}`, async () => {
			const run = await ranInN8n(scenario.id);
			try {
				await scenario.expect(run);
			} catch (error) {
				if (error instanceof Error) {
					error.message += `\n\nn8n exit code ${run.code}, error: ${run.errorMessage ?? '-'}\nKore server saw:\n${
						run.requests.map((r) => `  ${r.method} ${r.path} -> ${r.status}${r.authError ? ` (${r.authError})` : ''}`).join('\n') || '  nothing'
					}\n--- n8n output (tail)\n${tail(run.stdout + run.stderr)}`;
				}
				throw error;
			}
		});
	}

	test('the Kore server got no request that is not one of the scenarios\' own', async () => {
		if (!e2e) throw new Error('the e2e set-up failed: n8n did not run');
		const runs = await Promise.all(scenarios.map((s) => e2e!.run(s)));
		const attributed = new Set(runs.flatMap((run) => run.requests));
		const stray = e2e.server.requests.filter((r) => !attributed.has(r)).map((r) => `${r.method} ${r.path} app=${r.appId}`);
		expect(stray).toEqual([]);
	});
});
