import type { IForbiddenRuleType } from 'dependency-cruiser';

/**
 * The client's layers, lowest first. A module may import its own folder and any layer
 * below its own, never one above: elements (ui/) sit on the features, the features on the
 * engine and the lit helpers, and no feature reaches into ui/. Folders on one layer are
 * peers and may not import each other. main.ts, the composition root, may import anything.
 * api/ (the server's typed client) sits at the bottom with the engine.
 */
export const CLIENT_LAYERS: readonly (readonly string[])[] = [
  ['audio', 'lit', 'api'],
  ['media'],
  ['stems', 'upload'],
  ['mix'],
  ['transport', 'review'],
  ['automation'],
  ['ui'],
];

const folder = (names: readonly string[]) => `^client/src/(${names.join('|')})/`;

function clientLayerRules(): IForbiddenRuleType[] {
  return CLIENT_LAYERS.flatMap((layer, i) => {
    const above = CLIENT_LAYERS.slice(i + 1).flat();
    return layer.map((name): IForbiddenRuleType => {
      const peers = layer.filter((p) => p !== name);
      const banned = [...above, ...peers];
      return {
        name: `client-${name}-layer`,
        comment: `client/src/${name}/ may import only itself and the layers below it (test/structure/dependencyRules.ts)`,
        severity: 'error',
        from: { path: `^client/src/${name}/` },
        to: { path: [`^client/src/main\\.ts$`, ...(banned.length ? [folder(banned)] : [])] },
      };
    });
  });
}

/** What `pnpm test` enforces about imports (see test/structure/dependencies.test.ts). */
export const FORBIDDEN: IForbiddenRuleType[] = [
  {
    name: 'no-cycles',
    comment: 'no import cycles (DESIGN.md), type-only imports included',
    severity: 'error',
    from: { path: '^(client|shared)/src/' },
    to: { circular: true },
  },
  ...clientLayerRules(),
  {
    name: 'client-server-apart',
    comment: 'the client and the server never import each other (the API type aside, below)',
    severity: 'error',
    from: { path: '^(client|server)/src/', pathNot: '^client/src/api/' },
    to: { path: '^(client|server)/src/', pathNot: '^$1/src/' },
  },
  {
    name: 'client-api-type-only',
    comment: "client/src/api/ takes from the server only the chained app type hc needs (server/src/http/MixroomApi.ts), type-only: erased from the bundle",
    severity: 'error',
    from: { path: '^client/src/api/' },
    to: { path: '^server/src/', pathNot: '^server/src/http/MixroomApi\\.ts$' },
  },
  {
    name: 'client-api-type-import',
    comment: 'the API type is imported with `import type`, so no server code reaches the browser',
    severity: 'error',
    from: { path: '^client/src/api/' },
    to: { path: '^server/src/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'shared-is-pure',
    comment: 'shared/ imports no app code',
    severity: 'error',
    from: { path: '^shared/src/' },
    to: { path: '^(client|server|test)/' },
  },
  {
    name: 'shared-own-dependencies',
    comment: 'shared/ (tests included) imports only the packages its package.json declares (vitest aside): no playwright, no sockets',
    severity: 'error',
    from: { path: '^shared/src/' },
    to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev'], pathNot: 'node_modules/vitest/' },
  },
  {
    name: 'shared-no-node',
    comment: 'shared/ (tests included) imports no Node built-in module',
    severity: 'error',
    from: { path: '^shared/src/' },
    to: { dependencyTypes: ['core'] },
  },
];
