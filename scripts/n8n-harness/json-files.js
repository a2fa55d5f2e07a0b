'use strict';
/** JSON files the harness keeps (the cache's marker and package.json, n8n's nodes ledger). Node built-ins only. */
const fs = require('node:fs');

/** @param {string} file @returns {any} the parsed file, undefined when it is missing or not JSON */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Atomic write: a crash never leaves a half-written file behind. @param {string} file @param {unknown} data */
function writeJsonAtomic(file, data) {
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
	fs.renameSync(tmp, file);
}

module.exports = { readJson, writeJsonAtomic };
