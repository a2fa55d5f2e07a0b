// n8n-core keeps instance settings in N8N_USER_FOLDER (default ~/.n8n); tests get a throw-away one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'kore-contacts-test-'));
