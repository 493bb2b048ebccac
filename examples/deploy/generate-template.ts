// Writes template.yaml from the example chains: pnpm --filter @stepwise/example-deploy generate
import { writeFileSync } from 'node:fs';
import { buildTemplate } from './build-template';

const file = new URL('./template.yaml', import.meta.url);
writeFileSync(file, buildTemplate());
process.stdout.write(`wrote ${file.pathname}\n`);
