import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageFacts {
  readonly id: string;
  readonly license: string;
  readonly text: string;
}

/**
 * `THIRD_PARTY_NOTICES.md` for code copied into a packed package (the CLI's bundle, the handler
 * bundles): every third-party package whose files were bundled, with its declared license and
 * its license file. Packages sharing one license text (the AWS SDK's Apache-2.0 copies) are
 * listed together under a single copy of the text.
 *
 * @param packageDirs absolute `node_modules/<package>` directories.
 */
export function thirdPartyNotices(packageName: string, packageDirs: readonly string[]): string {
  const facts = new Map<string, PackageFacts>();
  for (const dir of packageDirs) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const id = `${manifest.name}@${manifest.version}`;
    facts.set(id, { id, license: manifest.license ?? 'see the package', text: licenseText(dir) });
  }
  const byText = new Map<string, PackageFacts[]>();
  for (const fact of [...facts.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    byText.set(fact.text, [...(byText.get(fact.text) ?? []), fact]);
  }
  const sections = [...byText.entries()].map(
    ([text, group]) =>
      `## ${group.map((fact) => `${fact.id} (${fact.license})`).join(', ')}\n\n` +
      (text === '' ? '(no license file in the package)\n' : `\`\`\`\n${text.trim()}\n\`\`\`\n`),
  );
  return `# Third-party notices\n\n${packageName} bundles code of the following packages.\n\n${sections.join('\n')}`;
}

function licenseText(dir: string): string {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file !== undefined && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';
}
