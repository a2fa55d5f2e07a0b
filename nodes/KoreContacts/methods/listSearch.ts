import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { readCampaigns, readContactLists, recordId } from '../helpers/campaign';
import { forEditor } from '../helpers/editorText';
import type { ItemError } from '../helpers/items';
import { DEFAULT_SETTINGS, KoreClient } from '../transport';
import type { RequestSettings } from '../transport';
import type { CampaignType } from '../transport/campaign';

/** The editor waits on a picker: shorter waits than a workflow's (as the credential's Test). */
const PICKER_SETTINGS: RequestSettings = { ...DEFAULT_SETTINGS, timeoutMs: 20_000, maxRetries: 1, maxRateLimitWaitMs: 10_000 };

/** The operations whose campaign picker lists campaigns of the chosen Campaign Type only. */
const TYPED_OPERATIONS = ['getAll', 'start', 'stop'];

/** The stream the editor's picker reads: the node's Stream ID when it is a plain value, else the credential's. */
async function pickerStream(ctx: ILoadOptionsFunctions, client: KoreClient): Promise<string> {
	const value = ctx.getCurrentNodeParameter('streamId');
	// an expression cannot be resolved without input data: the credential's stream is used then
	if (typeof value === 'string' && value.trim() !== '' && !value.startsWith('=')) return value.trim();
	return (await client.getCredentials()).streamId;
}

function matching(records: IDataObject[], filter: string | undefined, label: (record: IDataObject) => string): INodeListSearchItems[] {
	const wanted = (filter ?? '').trim().toLowerCase();
	return records
		.map((record) => ({ name: label(record), value: recordId(record) }))
		.filter((item) => item.value !== '' && (wanted === '' || item.name.toLowerCase().includes(wanted)))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Kore's refusal of a picker's read, with the words it quotes made safe for the editor's HTML. */
async function editorSafe<T>(read: Promise<T>): Promise<T> {
	try {
		return await read;
	} catch (error) {
		throw forEditor(error as ItemError);
	}
}

/** The stream's contact lists, for the Contact List picker (one request). */
export async function searchContactLists(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = new KoreClient(this, PICKER_SETTINGS);
	const lists = await editorSafe(pickerStream(this, client).then((streamId) => readContactLists(client, streamId)));
	return { results: matching(lists, filter, (list) => `${String(list.name ?? recordId(list))} (${Number(list.totalRecordCount ?? 0)} numbers)`) };
}

/**
 * The stream's campaigns, for the Campaign picker: of the chosen Campaign Type where the operation has one, else
 * voice and SMS campaigns both (one request per 100 campaigns of each type).
 */
export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = new KoreClient(this, PICKER_SETTINGS);
	const streamId = await editorSafe(pickerStream(this, client));
	const operation = String(this.getCurrentNodeParameter('operation') ?? '');
	const chosen = this.getCurrentNodeParameter('campaignType') === 'sms' ? 'sms' : 'voice';
	const types: CampaignType[] = TYPED_OPERATIONS.includes(operation) ? [chosen] : ['voice', 'sms'];
	const campaigns: IDataObject[] = [];
	for (const type of types) {
		await editorSafe(
			readCampaigns(client, streamId, type, [], (page) => {
				campaigns.push(...page.map((campaign) => ({ ...campaign, type })));
			}),
		);
	}
	const label = (campaign: IDataObject) => `${String(campaign.name ?? recordId(campaign))} (${campaign.type === 'sms' ? 'SMS' : 'voice'}, ${String(campaign.status ?? '?')})`;
	return { results: matching(campaigns, filter, label) };
}
