// Writes the OpenAPI document of the built server (dist/) to a file, for the linters: the
// same document /openapi.json serves, built without opening a database or a port.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SERVER_VERSION } from '../dist/app.js';
import { defaultPublicUrl } from '../dist/config.js';
import { REST_DIALECTS } from '../dist/rest/index.js';
import { buildOpenApiDocument } from '../dist/rest/openapi.js';

const out = process.argv[2] ?? 'dist/openapi.json';
const document = buildOpenApiDocument(REST_DIALECTS, {
  version: SERVER_VERSION,
  publicUrl: defaultPublicUrl('127.0.0.1', 3000),
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
