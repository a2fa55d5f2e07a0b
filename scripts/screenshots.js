'use strict';
/**
 * `node scripts/screenshots.js [folder]`: screenshots of the Kore Contacts node in a running n8n editor, as a
 * first-time user meets it — the Operation list, the Create or Update form, Create's Dialing Prefix, the
 * credential Test with an address that does not exist, and the error popup of a phone number without its
 * country code. Start the editor with `npm run dev` first; the PNGs go to `folder` (default .cache/screenshots).
 *
 * A browser is not a dependency of this package: install Chromium (e.g. `apt-get install chromium`) and
 * playwright-core outside the repository (e.g. `npm install --prefix /tmp/pw playwright-core`), then
 *   PLAYWRIGHT_CORE=/tmp/pw/node_modules/playwright-core node scripts/screenshots.js
 * Environment: EDITOR_URL (default http://localhost:5678, as `npm run dev` prints it), CHROMIUM (default
 * /usr/bin/chromium), PLAYWRIGHT_CORE (default: resolved as usual). The workflows and the credential it
 * creates in the editor are deleted again at the end.
 */
const fs = require('node:fs');
const path = require('node:path');

const { DEFAULT_OWNER } = require('./n8n-harness');

const EDITOR_URL = (process.env.EDITOR_URL || 'http://localhost:5678').replace(/\/+$/, '');
const OUT = path.resolve(process.argv[2] || path.join(__dirname, '..', '.cache', 'screenshots'));
const NODE_TYPE = 'n8n-nodes-kore-contacts.koreContacts';
/** The credential `npm run dev` imports (it points at the local Kore server). */
const DEMO_CREDENTIAL = { id: 'koreDemo', name: 'Kore (local demo)' };
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function say(text) {
	process.stdout.write(`${text}\n`);
}

/** A workflow of a Manual Trigger and one Kore Contacts node with `parameters`. */
function workflow(name, parameters) {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: 'When clicking', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'kore',
				name: 'Kore Contacts',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				parameters: { resource: 'contact', ...parameters },
				credentials: { koreContactsApi: DEMO_CREDENTIAL },
			},
		],
		connections: { 'When clicking': { main: [[{ node: 'Kore Contacts', type: 'main', index: 0 }]] } },
	};
}

/** The editor's REST API, with the browser context's session. */
function restApi(request) {
	const call = async (method, url, data) => {
		const response = await request.fetch(`${EDITOR_URL}/rest${url}`, { method, data });
		if (!response.ok()) throw new Error(`${method} /rest${url}: HTTP ${response.status()} ${(await response.text()).slice(0, 300)}`);
		const text = await response.text();
		return text ? JSON.parse(text).data : undefined;
	};
	return {
		login: () => call('POST', '/login', { emailOrLdapLoginId: DEFAULT_OWNER.email, password: DEFAULT_OWNER.password }),
		createWorkflow: (data) => call('POST', '/workflows', data),
		deleteWorkflow: async (id) => {
			await call('POST', `/workflows/${id}/archive`, {}).catch(() => undefined);
			await call('DELETE', `/workflows/${id}`);
		},
		createCredential: (data) => call('POST', '/credentials', data),
		deleteCredential: (id) => call('DELETE', `/credentials/${id}`),
	};
}

async function main() {
	const { chromium, selectors } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
	selectors.setTestIdAttribute('data-test-id'); // n8n's
	fs.mkdirSync(OUT, { recursive: true });
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_FLAGS });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	// generous: the editor is slow to load on a busy machine
	page.setDefaultTimeout(120_000);
	const api = restApi(context.request);
	const made = { workflows: [], credentials: [] };
	const shot = async (name, target = page) => {
		const file = path.join(OUT, `${name}.png`);
		await target.screenshot({ path: file });
		say(`  ${path.relative(process.cwd(), file)}`);
	};
	/** Scrolls the node's parameters to their end. */
	const scrollParameters = async () => {
		await page.getByTestId('parameter-input-streamId').hover();
		await page.mouse.wheel(0, 2000);
		await page.waitForTimeout(500);
	};
	/** Opens a workflow with the Kore Contacts node's panel open. */
	const openNode = async (name, parameters) => {
		const { id } = await api.createWorkflow(workflow(name, parameters));
		made.workflows.push(id);
		await page.goto(`${EDITOR_URL}/workflow/${id}/kore`);
		await page.getByTestId('parameter-input-operation').waitFor();
		await page.waitForTimeout(500);
		return id;
	};
	try {
		await api.login();
		say(`Screenshots of ${EDITOR_URL} in ${OUT}:`);

		// 1. The Operation list, in three parts (n8n clamps each description to two lines).
		await openNode('Screenshots: operations', { operation: 'create' });
		await page.getByTestId('parameter-input-operation').click();
		const options = page.locator('.el-select-dropdown__item:visible');
		await options.first().waitFor();
		await shot('1-operations-top');
		await options.filter({ has: page.locator('.option-headline', { hasText: /^Get$/ }) }).scrollIntoViewIfNeeded();
		await page.waitForTimeout(300);
		await shot('1-operations-middle');
		await options.last().scrollIntoViewIfNeeded();
		await page.waitForTimeout(300);
		await shot('1-operations-bottom');
		await page.keyboard.press('Escape');

		// 2. The Create or Update form, down to its Options.
		await openNode('Screenshots: Create or Update', { operation: 'upsert' });
		await scrollParameters();
		await shot('2-create-or-update-form');

		// 3. Create's form with its Dialing Prefix, and the tooltip of its label.
		await openNode('Screenshots: Create', { operation: 'create' });
		await scrollParameters();
		const label = page.getByTestId('parameter-item').filter({ has: page.getByTestId('parameter-input-extension') }).getByText('Dialing Prefix');
		await label.hover(); // shows the (?) beside it, whose tooltip is the description
		const box = await label.boundingBox();
		await page.mouse.move(box.x + box.width + 10, box.y + box.height / 2);
		await page.waitForTimeout(1000);
		await shot('3-dialing-prefix');

		// 4. The credential Test with an address that does not exist.
		const credential = await api.createCredential({
			name: 'Screenshots: unknown address',
			type: 'koreContactsApi',
			data: { host: 'custom', customHost: 'https://kore.example.invalid', accountId: 'acc-1', clientId: 'cs-1', clientSecret: 'not-a-real-secret-0123456789abcdef', testStreamId: 'st-1' },
		});
		made.credentials.push(credential.id);
		await page.goto(`${EDITOR_URL}/home/credentials/${credential.id}`);
		await page.getByTestId('credential-save-button').click();
		await page.getByText('More details').first().click(); // n8n folds the Test's message away
		await page.getByText('Could not reach Kore', { exact: false }).first().waitFor();
		await page.waitForTimeout(500);
		await shot('4-credential-test-unknown-address');

		// 5. The error popup of a phone number written without its country code.
		await openNode('Screenshots: phone error', { operation: 'get', contactBy: 'phone', phoneNumber: '98765 43210', countryCode: '' });
		await page.getByTestId('node-execute-button').click();
		await page.locator('.el-notification').first().waitFor();
		await page.waitForTimeout(800);
		await shot('5-phone-error');
	} catch (error) {
		await shot('failed').catch(() => undefined);
		throw error;
	} finally {
		for (const id of made.workflows) await api.deleteWorkflow(id).catch((error) => say(`  (could not delete workflow ${id}: ${error.message})`));
		for (const id of made.credentials) await api.deleteCredential(id).catch((error) => say(`  (could not delete credential ${id}: ${error.message})`));
		await browser.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
