import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { Lookups, isActive } from '../KoreContacts/lookup';
import { KoreClient } from '../KoreContacts/transport';
import { DEFAULT_SHARE, logSpacing, nextReadAt, readCost } from './budget';
import type { Budget } from './budget';
import { baseline, compare, stampOf } from './state/changes';
import type { Change, EventName } from './state/changes';
import type { TrackedField } from './state/digest';
import { Handover } from './state/handover';
import { loadState, saveState, scopeOf, storedBytes } from './state/store';

/** How many contacts "Fetch Test Event" returns: the most recent ones. */
export const SAMPLE_SIZE = 5;

interface Settings {
	events: EventName[];
	onlyFields: TrackedField[];
	streamId: string;
	budget: Budget;
}

/** The node's parameters and the credential's stream and rate limit, checked. */
async function readSettings(ctx: IPollFunctions, client: KoreClient): Promise<Settings> {
	const events = ctx.getNodeParameter('events', []) as EventName[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const credentials = await client.getCredentials();
	const own = ctx.getNodeParameter('streamId', '') as unknown;
	const streamId = (typeof own === 'string' || typeof own === 'number' ? String(own).trim() : '') || credentials.streamId;
	if (streamId === '' || streamId === '.' || streamId === '..') {
		throw new NodeOperationError(ctx.getNode(), streamId ? `"Stream ID" cannot be "${streamId}"` : '"Stream ID" is empty, in the node and in the credential', {
			description: 'Set the Stream ID of the Kore bot (it starts with "st-") in the node or in the credential.',
		});
	}
	if (events.length === 0) throw new NodeOperationError(ctx.getNode(), 'Choose at least one of the "Events"');
	const percent = typeof options.maxBudgetPercent === 'number' && options.maxBudgetPercent > 0 ? Math.min(100, options.maxBudgetPercent) : DEFAULT_SHARE * 100;
	return {
		events,
		onlyFields: (options.onlyFields as TrackedField[] | undefined) ?? [],
		streamId,
		budget: { ...(await client.pacedLimit()), windowMs: credentials.rateLimitWindowMs, share: percent / 100 },
	};
}

/** One complete read of the stream, shared with the lookups of concurrent executions (and their pacing). */
async function readStream(ctx: IPollFunctions, client: KoreClient, streamId: string): Promise<IDataObject[]> {
	const lookups = new Lookups(ctx, client);
	try {
		return await lookups.readStream(streamId);
	} finally {
		lookups.close();
	}
}

/** Whether the chosen events (and, for updates, fields) include this change. */
function wanted(change: Change, settings: Settings): boolean {
	if (!settings.events.includes(change.event)) return false;
	if (change.event !== 'updated' || settings.onlyFields.length === 0) return true;
	return (change.changedFields ?? []).some((field) => settings.onlyFields.includes(field));
}

function toItem({ event, contact, changedFields, detectedBy }: Omit<Change, 'key'>): INodeExecutionData {
	return { json: { event, ...(changedFields ? { changedFields } : {}), ...(detectedBy ? { detectedBy } : {}), contact } };
}

/**
 * "Fetch Test Event": the most recent contacts that match the chosen events (by their stamps: INACTIVE is
 * deleted, updated after its creation is updated), without touching the trigger's saved state.
 */
async function sample(ctx: IPollFunctions, client: KoreClient, settings: Settings): Promise<INodeExecutionData[][]> {
	const contacts = await readStream(ctx, client, settings.streamId);
	const eventOf = (contact: IDataObject): EventName =>
		!isActive(contact) ? 'deleted' : new Date(String(contact.updatedAt)).getTime() > new Date(String(contact.createdAt)).getTime() ? 'updated' : 'created';
	const recent = contacts
		.map((contact) => ({ event: eventOf(contact), contact, stamp: stampOf(contact) }))
		.filter(({ event }) => settings.events.includes(event))
		.sort((a, b) => (b.stamp || 0) - (a.stamp || 0))
		.slice(0, SAMPLE_SIZE);
	if (recent.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `No contact in stream "${settings.streamId}" matches the chosen Events (${contacts.length} contacts listed)`, {
			description: settings.events.includes('deleted') ? 'Kore may not list deleted contacts: a deletion is then seen only by an active trigger.' : undefined,
		});
	}
	return [recent.map(toItem)];
}

/** One poll: see README "Kore Contacts Trigger" and docs/trigger.md. */
export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const client = new KoreClient(this);
	const settings = await readSettings(this, client);
	if (this.getMode() === 'manual') return await sample(this, client, settings);

	const { host, accountId } = await client.getCredentials();
	const scope = scopeOf(host, accountId, settings.streamId);
	const data = this.getWorkflowStaticData('node');
	const state = loadState(data, scope);
	const trigger = `${this.getWorkflow().id ?? ''} ${this.getNode().id}`;
	if (state && Date.now() < nextReadAt(state.readAt, state.readCost, settings.budget)) {
		logSpacing(this.logger, trigger, { streamId: settings.streamId, readAt: state.readAt, cost: state.readCost }, settings.budget);
		return null;
	}

	const handover = await Handover.begin(await client.shared(), trigger);
	const readAt = Date.now();
	// only a complete read comes back: a read that fails half way throws here, and the state stays as it was
	const contacts = await readStream(this, client, settings.streamId);
	const cost = readCost(contacts.length);
	if (!state) {
		saveState(data, scope, { ...baseline(contacts), seq: 0, readAt, readCost: cost });
		this.logger.info(
			`Kore Contacts Trigger: recorded where stream ${settings.streamId} stands (${contacts.length} contacts, ${storedBytes(data)} bytes of static data); changes from now on start the workflow`,
		);
		return null;
	}
	const { changes, next, adopted } = compare(state, contacts);
	return await handover.commit(
		changes.filter((change) => wanted(change, settings)),
		async ({ stillLeading, unseen, emit }) => {
			if (!stillLeading) {
				this.logger.warn(`Kore Contacts Trigger: n8n's leader changed during this poll of stream ${settings.streamId}; the new leader reports its changes`);
				return null;
			}
			// remembered as emitted first: if that fails, the poll fails and the state stays where it was
			await emit();
			saveState(data, scope, { ...next, seq: state.seq + 1, readAt, readCost: cost });
			const counts = (['created', 'updated', 'deleted'] as const).map((event) => `${changes.filter((c) => c.event === event).length} ${event}`);
			this.logger.info(
				`Kore Contacts Trigger: stream ${settings.streamId}: ${contacts.length} contacts read (${cost} requests); ${counts.join(', ')}; ${unseen.length} reported${adopted ? `; ${adopted} older contacts seen for the first time` : ''}`,
			);
			return unseen.length > 0 ? [unseen.map(toItem)] : null;
		},
	);
}
