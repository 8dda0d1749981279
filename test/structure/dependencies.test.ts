import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN } from './dependencyRules.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Cruises `paths` (relative to the repo root) with the rules of dependencyRules.ts. */
async function cruiseRepo(paths: string[]): Promise<{ modules: string[]; violations: string[] }> {
  const cwd = process.cwd();
  process.chdir(repoRoot); // dependency-cruiser reports and matches paths relative to the cwd
  try {
    const { output } = await cruise(paths, {
      validate: true,
      ruleSet: { forbidden: FORBIDDEN },
      tsPreCompilationDeps: true, // type-only imports count: they are dependencies too
      tsConfig: { fileName: 'client/tsconfig.json' },
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '\\.as\\.ts$' }, // AssemblyScript (the bake's WebAssembly twins): asc builds it, not tsc
      combinedDependencies: true,
      // Follow @mixroom/shared/* through the package's exports map, so client -> shared edges
      // are real paths the rules can match rather than unresolved names.
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'], extensions: ['.ts', '.js'] },
    });
    const result = output as ICruiseResult;
    return {
      modules: result.modules.map((m) => m.source),
      violations: (result.summary.violations as IViolation[]).map(
        (v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`,
      ),
    };
  } finally {
    process.chdir(cwd);
  }
}

describe('import structure', () => {
  it('client: ui -> features -> audio/media/lit, no cycles; shared stays pure', async () => {
    const { modules, violations } = await cruiseRepo(['client/src', 'shared/src']);
    // It really read the app: every layer folder and its elements.
    expect(modules).toEqual(expect.arrayContaining(['client/src/main.ts', 'client/src/ui/mr-room.ts', 'client/src/mix/heard/bindEngine.ts']));
    expect(modules.filter((m) => m.startsWith('client/src/')).length).toBeGreaterThan(80);
    expect(violations).toEqual([]);
  });

  it('resolves the client\'s @mixroom/shared imports to files in shared/src', async () => {
    const cwd = process.cwd();
    process.chdir(repoRoot);
    try {
      const { output } = await cruise(['client/src/main.ts'], {
        tsPreCompilationDeps: true,
        tsConfig: { fileName: 'client/tsconfig.json' },
        doNotFollow: { path: 'node_modules' },
        exclude: { path: '\\.as\\.ts$' },
        enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'], extensions: ['.ts', '.js'] },
      });
      const deps = (output as ICruiseResult).modules.flatMap((m) => m.dependencies);
      const shared = deps.filter((d) => d.module.startsWith('@mixroom/shared'));
      expect(shared.length).toBeGreaterThan(0);
      // Every such import reached a file of the shared package (otherwise the rules never saw it).
      expect(shared.filter((d) => !d.resolved.startsWith('shared/src/')).map((d) => `${d.module} -> ${d.resolved}`)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
