/**
 * Import boundaries (docs/architecture.md "Rules that check themselves"); `npm run check:boundaries`, run by .ci/run.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-isomorphic',
      comment: 'shared/ runs in the browser and on the server: nothing from server/ or client/, no Node API.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client)/' },
    },
    {
      name: 'shared-no-node',
      comment: 'shared/ uses no Node built-in (shared/tsconfig.json also leaves out the Node and DOM types).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'embedded-mongo-is-sealed',
      comment: 'The embedded database imports nothing from the app.',
      severity: 'error',
      from: { path: '^server/embedded-mongo/' },
      to: { path: '^(server/(?!embedded-mongo/)|shared/|client/)' },
    },
    {
      name: 'cross-cutting-knows-no-feature',
      comment: 'server/http and server/realtime serve the features and import none of them.',
      severity: 'error',
      from: { path: '^server/(http|realtime)/' },
      to: { path: '^server/features/' },
    },
    {
      name: 'areas-meet-at-their-front-door',
      comment: 'An area imports another area only through its public index.ts.',
      severity: 'error',
      from: { path: '^server/features/([^/]+)/' },
      to: { path: '^server/features/', pathNot: ['^server/features/$1/', '^server/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'only-the-root-knows-the-features',
      comment: 'Outside the features, only the composition root (server/app.ts, server/main.ts) imports them.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/features/', '^server/(app|main)\\.ts$'] },
      to: { path: '^server/features/' },
    },
    {
      name: 'no-loops',
      comment: 'No import loops in the app (type-only imports included).',
      severity: 'error',
      from: { path: '^(server|shared|client/src)/', pathNot: '^server/embedded-mongo/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|client/dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
