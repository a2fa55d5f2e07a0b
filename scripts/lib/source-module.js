'use strict';
/**
 * Loads one TypeScript source module (with what it imports, n8n-workflow excepted) compiled by esbuild in memory,
 * for scripts that need a module the package's bundle does not export (the benchmark's micro-costs).
 */
const Module = require('node:module');
const path = require('node:path');

const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} relativePath e.g. 'nodes/KoreContacts/transport/pacing.ts' @returns {any} its exports */
function loadSourceModule(relativePath) {
	const file = path.join(ROOT, relativePath);
	const { outputFiles } = esbuild.buildSync({
		entryPoints: [file],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['n8n-workflow'],
		write: false,
		logLevel: 'warning',
	});
	const compiled = new Module(file, module);
	compiled.filename = file;
	compiled.paths = Module._nodeModulePaths(path.dirname(file));
	compiled._compile(outputFiles[0].text, file);
	return compiled.exports;
}

module.exports = { loadSourceModule };
