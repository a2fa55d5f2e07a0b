'use strict';
/**
 * What `n8n execute --rawOutput` printed, read: the run's JSON (an IRun), the error of a failed run, and the
 * items a node produced. Plain functions on text and JSON; see README.md beside this file for the IRun's shape.
 */

/** @typedef {import('./processes').RunResult} RunResult */

/**
 * Finds the pretty-printed IRun JSON that `n8n execute` prints via logger.info. With N8N_LOG_FORMAT=text
 * it appears verbatim, multi-line, starting with a line that is exactly "{" and ending with a line that
 * is exactly "}" (JSON.stringify(data, null, 2)); log lines come before (and, on failure, after) it.
 * Picks the largest such block that parses and looks like an IRun (has data.resultData).
 * @param {string} text
 * @returns {any | null}
 */
function extractRunJson(text) {
	const lines = text.split(/\r?\n/);
	/** @type {number[]} */
	const starts = [];
	/** @type {number[]} */
	const ends = [];
	lines.forEach((line, i) => {
		if (line === '{') starts.push(i);
		else if (line === '}') ends.push(i);
	});
	for (const s of starts) {
		for (let k = ends.length - 1; k >= 0; k--) {
			const e = ends[k];
			if (e <= s) break;
			try {
				const value = JSON.parse(lines.slice(s, e + 1).join('\n'));
				if (value && typeof value === 'object' && value.data && value.data.resultData) return value;
			} catch {
				/* not this pair */
			}
		}
	}
	return null;
}

/**
 * The error of a failed `n8n execute`: the workflow's error when it ran, else what n8n printed after its
 * last "====" line (e.g. "Unrecognized node type: …", "Missing node to start execution"), else the last line.
 * @param {RunResult} r @param {any} result @returns {string}
 */
function cliErrorMessage(r, result) {
	const fromRun = result?.data?.resultData?.error?.message;
	if (typeof fromRun === 'string') return fromRun;
	const lines = (r.stdout + '\n' + r.stderr).split(/\r?\n/).map((l) => l.trim());
	const sep = lines.lastIndexOf('====================================');
	const after = sep >= 0 ? lines.slice(sep + 1).find(Boolean) : undefined;
	return after ?? lines.filter(Boolean).pop() ?? `exit code ${r.code}`;
}

/**
 * The items a node produced in an IRun (`result` of executeWorkflow).
 * @param {any} result @param {string} nodeName @param {number} [outputIndex] @param {number} [runIndex]
 * @returns {Array<Record<string, unknown>> | undefined} the items' `json`, undefined if the node did not run
 */
function nodeOutput(result, nodeName, outputIndex = 0, runIndex = 0) {
	const task = result?.data?.resultData?.runData?.[nodeName]?.[runIndex];
	if (!task) return undefined;
	const items = task.data?.main?.[outputIndex];
	return (items ?? []).map((/** @type {{ json: Record<string, unknown> }} */ item) => item.json);
}

module.exports = { extractRunJson, cliErrorMessage, nodeOutput };
