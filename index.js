'use strict';
// Lets the package be required as a library too; n8n itself loads the files listed in package.json "n8n".
const { KoreContacts } = require('./dist/nodes/KoreContacts/KoreContacts.node.js');
const { KoreContactsTrigger } = require('./dist/nodes/KoreContactsTrigger/KoreContactsTrigger.node.js');
const { KoreContactsApi } = require('./dist/credentials/KoreContactsApi.credentials.js');

module.exports = { KoreContacts, KoreContactsTrigger, KoreContactsApi };
