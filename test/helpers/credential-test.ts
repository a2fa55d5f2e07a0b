/**
 * Runs the credential's Test the way n8n's CredentialsTester does (n8n 2.41,
 * packages/cli/src/services/credentials-tester.service.ts): the credential type has no `test` of its own, so
 * the tester finds the node that lists the credential with a `testedBy` name, takes that function from the
 * node's `methods.credentialTest`, fills in the credential's defaults (CredentialsHelper.
 * applyDefaultsAndOverwrites) and calls it on n8n-core's CredentialTestContext. Only the database look-ups
 * are left out.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialType,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

import { KoreContactsApi } from '../../credentials/KoreContactsApi.credentials';
import { KoreContacts } from '../../nodes/KoreContacts/KoreContacts.node';
import { applyCredentialDefaults } from '../../scripts/lib/engine';

/** The function n8n would pick for the credential, found as CredentialsTester.getCredentialTestFunction does. */
export function credentialTestFunction(): ICredentialTestFunction {
	const credentialType: ICredentialType = new KoreContactsApi();
	if (credentialType.test) throw new Error('the credential has its own test, which n8n would use instead');
	const node: INodeType = new KoreContacts();
	for (const { name, testedBy } of node.description.credentials ?? []) {
		if (name === credentialType.name && typeof testedBy === 'string') {
			const fn = node.methods?.credentialTest?.[testedBy];
			if (fn) return fn;
		}
	}
	throw new Error('no node names a credentialTest for the credential');
}

export async function runCredentialTest(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const credentialType = new KoreContactsApi();
	const credentials: ICredentialsDecrypted = {
		id: 'test',
		name: 'test',
		type: credentialType.name,
		data: applyCredentialDefaults(credentialType, data),
	};
	const context = new CredentialTestContext();
	return await credentialTestFunction().call(context, credentials);
}
