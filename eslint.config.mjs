// n8n's community-node lint: the same composition as `@n8n/node-cli/eslint` (0.48), built from its
// plugins directly so the package does not pull in node-cli's AI tool chain just to lint.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// The full rule set, n8n Cloud's restrictions included (node-cli's default config, the one
// @n8n/scan-community-package applies): no rule of @n8n/eslint-plugin-community-nodes is switched off. The
// package has no runtime dependencies (the build bundles jose), so `no-runtime-dependencies` holds, and
// `no-restricted-imports` accepts the source's `jose` import because jose is a devDependency.
const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	globalIgnores(['dist', 'node_modules', 'coverage', '.cache', 'scripts', 'test', 'examples', '*.js', '*.mjs']),
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: {
			...n8nNodesBase.configs.community.rules,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	// The eslint-plugin-n8n-nodes-base overrides below are n8n's own: node-cli's config and the scanner's
	// (@n8n/scan-community-package buildScanConfig) switch off exactly these.
	{
		files: ['./credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
