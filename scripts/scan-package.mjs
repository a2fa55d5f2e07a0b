/**
 * n8n's own gate for community packages, run offline: `analyzePackage` from @n8n/scan-community-package, the
 * function its CLI applies (after downloading from npm) to the published tarball and to the source checkout
 * that the tarball's provenance names. Here it gets a local directory instead of a download.
 *
 *   node scripts/scan-package.mjs --tarball <dir of an unpacked npm pack tarball>
 *   node scripts/scan-package.mjs --source <repository root>
 *
 * Uses the scanner's own file patterns for each leg (as analyzePackageByName does: `**\/*.js` + package.json
 * for the tarball, SOURCE_FILE_PATTERNS for the sources) and prints JSON:
 *   { passed, message, details, findings: [{ file, line, column, severity, rule, message }] }
 * `findings` is parsed from the scanner's report (ESLint's "stylish" text, all it returns); the parse is
 * checked against the report's own problem count, so a finding can never be dropped silently.
 * Exit code 0 when the scan ran (whatever it found), 2 when it could not run.
 */
import path from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/** @param {string | undefined} details ESLint stylish output */
export function parseStylish(details) {
	const findings = [];
	if (!details) return findings;
	let file;
	for (const line of details.split('\n')) {
		const problem = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*\S)\s+(\S+)\s*$/.exec(line);
		if (problem && file) {
			const [, lineNo, column, severity, message, rule] = problem;
			findings.push({ file, line: Number(lineNo), column: Number(column), severity, rule, message });
		} else if (/^\S/.test(line) && !line.startsWith('✖')) {
			file = line.trim();
		}
	}
	const summary = /✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(details);
	const counted = summary ? Number(summary[1]) : 0;
	if (counted !== findings.length) {
		throw new Error(`parsed ${findings.length} findings from a report that counts ${counted}:\n${details}`);
	}
	return findings;
}

async function main() {
	const [mode, dir] = process.argv.slice(2);
	if (!['--tarball', '--source'].includes(mode) || !dir) {
		throw new Error('usage: node scripts/scan-package.mjs --tarball <unpacked dir> | --source <repository root>');
	}
	const root = path.resolve(dir);
	const result = await analyzePackage(root, mode === '--source' ? SOURCE_FILE_PATTERNS : TARBALL_PATTERNS);
	if (result.error) throw result.error;
	const findings = parseStylish(result.details).map((finding) => ({
		...finding,
		file: path.relative(root, finding.file).split(path.sep).join('/'),
	}));
	process.stdout.write(
		`${JSON.stringify({ passed: result.passed, message: result.message ?? null, details: result.details ?? null, findings }, null, 2)}\n`,
	);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main().catch((error) => {
		process.stderr.write(`${error?.stack ?? error}\n`);
		process.exit(2);
	});
}
