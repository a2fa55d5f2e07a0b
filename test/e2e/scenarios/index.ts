/**
 * Every scenario of the e2e suite: the `scenarios` export of each other file in this folder (one file per
 * operation, e.g. delete.ts, create.ts), in file-name order. A new file is picked up without editing this one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { Scenario } from '../helpers';

export function loadScenarios(): Scenario[] {
	return readdirSync(__dirname)
		.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts') && file !== 'index.ts')
		.sort()
		.flatMap((file) => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const loaded = require(path.join(__dirname, file)) as { scenarios?: Scenario[] };
			if (!Array.isArray(loaded.scenarios)) throw new Error(`test/e2e/scenarios/${file} must export \`scenarios: Scenario[]\``);
			return loaded.scenarios;
		});
}
