/**
 * Scenarios for what the credential brings to a run in a real n8n: the Stream ID used when the node's is empty,
 * and a credential saved with a host URL in `host` (every e2e credential is imported that way) still working.
 */
import { DEMO_IDS, expectSignedByScenario, requestLines } from '../helpers';
import type { Scenario } from '../helpers';

const [FIRST, SECOND] = DEMO_IDS;

export const scenarios: Scenario[] = [
	{
		id: 'cred-stream',
		title: 'an empty node Stream ID uses the credential\'s; an item naming a stream uses that one',
		items: [{ koreId: FIRST, stream: '' }, { koreId: SECOND, stream: 'st-e2e-cred-stream' }],
		node: { parameters: { operation: 'delete', contactBy: 'id', contactId: '={{ $json.koreId }}', streamId: '={{ $json.stream }}', options: { concurrency: 1 } } },
		expect: (run) => {
			expect(run.code).toBe(0);
			expect(run.output()!.map((c) => [c.id, c.status])).toEqual([
				[FIRST, 'INACTIVE'],
				[SECOND, 'INACTIVE'],
			]);
			expect(run.base).toContain(`/${run.streamId}/contacts`);
			expect(requestLines(run)).toEqual([`DELETE ${run.base}/${FIRST}`, `DELETE ${run.base}/${SECOND}`]);
			expectSignedByScenario(run);
		},
	},
	{
		id: 'cred-no-stream',
		title: 'no Stream ID in the node or the credential: the item fails naming both, nothing is sent',
		credential: { testStreamId: '' },
		node: { parameters: { operation: 'delete', contactBy: 'id', contactId: FIRST, streamId: '' } },
		expect: (run) => {
			expect(run.code).toBe(1);
			expect(run.errorMessage).toBe('Item 0: "Stream ID" is empty, in the node and in the credential — nothing was sent to Kore for this item');
			expect(run.requests).toEqual([]);
		},
	},
];
