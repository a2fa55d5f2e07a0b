'use strict';
/**
 * Loads one TypeScript source module (with what it imports, n8n-workflow excepted) compiled by esbuild in memory,
 * for scripts that need a module the package's bundle does not export (the benchmark's micro-costs).
 */
const Module = require('node:module');
const path = require('node:path');

const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');

/** Modules compiled so far, by path: like require(), each is compiled once per process. */
const loaded = new Map();

/** @param {string} relativePath e.g. 'nodes/KoreContacts/transport/pacing.ts' @returns {any} its exports */
function loadSourceModule(relativePath) {
	if (!loaded.has(relativePath)) loaded.set(relativePath, compile(relativePath));
	return loaded.get(relativePath);
}

/** @param {string} relativePath @returns {any} the module's exports, compiled now */
function compile(relativePath) {
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
