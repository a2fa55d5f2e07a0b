'use strict';
/**
 * The demo data `npm start` and `npm run dev` share: the workflows in examples/, and the local Kore server's
 * seed — demoSeed()'s contacts in the stream examples/delete-contact.json names, the first one carrying the
 * id that example deletes.
 */
const fs = require('node:fs');
const path = require('node:path');

const { demoSeed } = require('../kore-server');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
/** The example both run: Manual Trigger -> Kore Contacts (Delete). */
const DELETE_EXAMPLE = 'delete-contact.json';
const KORE_NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';

/** Every workflow in examples/, by file name. @returns {Map<string, any>} */
function loadExamples() {
	const examples = new Map();
	for (const file of fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort()) examples.set(file, loadExample(file));
	return examples;
}

/** One workflow of examples/. @param {string} file */
function loadExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/** The workflow's Kore Contacts node. */
function koreNodeOf(workflow) {
	const node = workflow.nodes.find((n) => n.type === KORE_NODE_TYPE);
	if (!node) throw new Error(`examples/${DELETE_EXAMPLE} has no Kore Contacts node`);
	return node;
}

/** The demo server's seed: demoSeed() with its first contact carrying the id the example deletes. */
function localSeed(example) {
	const params = koreNodeOf(example).parameters;
	const seed = demoSeed({ streamId: params.streamId });
	seed.contacts[0] = { ...seed.contacts[0], id: params.contactId };
	return seed;
}

module.exports = { ROOT, DELETE_EXAMPLE, KORE_NODE_TYPE, loadExamples, loadExample, koreNodeOf, localSeed };
