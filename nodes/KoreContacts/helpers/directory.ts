import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { KoreClient } from '../transport';
import { PhoneError, phoneCandidates, storedPhone } from './phone';

/**
 * A stream's contacts, read once per execution when an operation needs to look contacts up (by phone
 * number, or to merge an update): Kore has no get-one or search endpoint, only the paged list.
 */
export class ContactDirectory {
	private readonly streams = new Map<string, Promise<IDataObject[]>>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: KoreClient,
	) {}

	async contacts(streamId: string, itemIndex: number): Promise<IDataObject[]> {
		let listing = this.streams.get(streamId);
		if (!listing) {
			listing = (async () => {
				const all: IDataObject[] = [];
				await this.client.listContacts(streamId, (page) => void all.push(...page), { itemIndex });
				return all;
			})();
			this.streams.set(streamId, listing);
			listing.catch(() => this.streams.delete(streamId));
		}
		return await listing;
	}

	/** The contact with this id, or an error saying it is not in the stream. */
	async byId(streamId: string, contactId: string, itemIndex: number): Promise<IDataObject> {
		const found = (await this.contacts(streamId, itemIndex)).find((contact) => String(contact.id) === contactId);
		if (!found) {
			throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with ID "${contactId}" in stream "${streamId}"`, {
				itemIndex,
				description: 'Kore does not list such a contact: check the Contact ID, or it was deleted.',
			});
		}
		return found;
	}

	/**
	 * The one active contact whose number is `phone` (normalised E.164-style). No match, or several, is an
	 * error that says so — never a guess.
	 */
	async byPhone(streamId: string, phone: string, countryCode: string | undefined, itemIndex: number): Promise<IDataObject> {
		let candidates: string[];
		try {
			candidates = phoneCandidates(phone, countryCode);
		} catch (error) {
			throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: "Phone Number" is not valid: ${(error as PhoneError).message}`, {
				itemIndex,
			});
		}
		const matches = (await this.contacts(streamId, itemIndex)).filter((contact) => {
			const stored = storedPhone(contact.cellPhone);
			return stored !== undefined && candidates.includes(stored);
		});
		const active = matches.filter((contact) => String(contact.status ?? 'ACTIVE').toUpperCase() !== 'INACTIVE');
		const shown = candidates.join(' or ');
		if (active.length === 1) return active[0];
		if (active.length > 1) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Item ${itemIndex}: ${active.length} contacts have phone ${shown}: ${active.map((contact) => contact.id).join(', ')}`,
				{ itemIndex, description: 'Nothing was changed. Use "Contact By: ID" with the ID of the one you mean.' },
			);
		}
		const inactive = matches.map((contact) => contact.id).join(', ');
		throw new NodeOperationError(this.ctx.getNode(), `Item ${itemIndex}: no contact with phone ${shown} in stream "${streamId}"`, {
			itemIndex,
			description: inactive
				? `Only already deleted (INACTIVE) contacts have this number: ${inactive}.`
				: 'Check the number and the Country Code.',
		});
	}
}
