/**
 * The files `npm run test:packages` writes into its empty project: what a user would write after
 * reading the README's Install section, and nothing that reaches into this repository.
 */

/** Seeded vectors for `squash build`: JSONL rows `doc-<i>`, 16-d, attribute `group = i % 4`. */
export function sampleVectorsJsonl(rows: number, dim: number): string {
  let state = 1;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const vector = Array.from({ length: dim }, next);
    lines.push(JSON.stringify({ id: `doc-${i}`, vector, attributes: { group: i % 4 } }));
  }
  return `${lines.join('\n')}\n`;
}

/** Queries index `demo` at argv[2] with row `argv[3]`'s vector, filtered to its group; prints JSON. */
export const QUERY_SCRIPT = `import { readFileSync } from 'node:fs';
import { SquashClient } from '@squash/client';

const [url, rowText] = process.argv.slice(2);
const row = JSON.parse(readFileSync('vectors.jsonl', 'utf8').split('\\n')[Number(rowText)]);
const client = new SquashClient({ url });
const answer = await client.query('demo', {
  vector: row.vector,
  topK: 3,
  filter: { group: { $eq: row.attributes.group } },
});
console.log(JSON.stringify(answer));
`;

/** A CDK app that adds the construct to a stack of its own and synthesises it offline. */
export const SYNTH_SCRIPT = `import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SquashVectorSearch } from '@squash/cdk';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ExistingApp');
const search = new SquashVectorSearch(stack, 'Search', { indexNames: ['demo'], partitions: 2 });
const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
search.grantQuery(role);
app.synth();
`;

/**
 * A TypeScript consumer of both libraries' declarations. The \`@ts-expect-error\` lines fail the
 * check if the declarations resolve to \`any\` (a missing module would, under skipLibCheck).
 */
export const TYPES_CHECK = `import { App, Stack } from 'aws-cdk-lib';
import { SquashVectorSearch, type SquashVectorSearchProps } from '@squash/cdk';
import { SquashApiError, SquashClient } from '@squash/client';

const props: SquashVectorSearchProps = { indexNames: ['demo'], partitions: 2 };
const search = new SquashVectorSearch(new Stack(new App(), 'Typed'), 'Search', props);
const client = new SquashClient({ url: 'http://127.0.0.1:9' });
export const answer: Promise<{ matches: readonly { id: string; distance: number }[] }> = client.query('demo', {
  vector: [0, 1],
  topK: 1,
});
export const isApiError = (error: unknown): boolean => error instanceof SquashApiError;
export const construct = search;
// @ts-expect-error topK is a number
client.query('demo', { vector: [0], topK: 'three' });
// @ts-expect-error partitions is a number
export const wrong: SquashVectorSearchProps = { partitions: 'two' };
`;

/** Compiler options of the consumer check: a strict NodeNext project, as \`tsc --init\` makes. */
export function typesCheckTsconfig(typeRoots: string): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [typeRoots],
    },
    files: ['check.ts'],
  });
}
