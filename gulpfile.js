// Copies what tsc does not emit — icons and the codex .node.json files — next to the compiled code,
// keeping the folder layout, so n8n finds `file:kore.svg` and the codex beside each .node.js.
const { src, dest, task } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png,json}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:assets', buildAssets);
