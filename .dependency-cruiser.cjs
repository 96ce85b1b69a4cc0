// Enforces the layering of ARCHITECTURE.md: imports point down only.
// A lower layer importing a higher one fails `npm test`.
const layer = (name, path, mayImport) => ({
  name: `${name}-imports-downward-only`,
  comment: `${path} may import only: ${mayImport.join(', ') || 'nothing of ours'}`,
  severity: 'error',
  from: { path: `^src/${path}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${path}/`, ...mayImport.map((p) => `^src/${p}/`)],
  },
});

module.exports = {
  forbidden: [
    layer('datalog', 'datalog', ['common']),
    layer('bus', 'bus', ['common']),
    layer('db', 'db', ['common']),
    layer('common', 'common', []),
    layer('engine', 'services/engine', ['datalog', 'bus', 'db', 'common', 'services/common']),
    layer('datasources', 'services/datasources', ['bus', 'db', 'datalog', 'common', 'services/common']),
    layer('library', 'services/library', ['datalog', 'db', 'common', 'services/common']),
    layer('services-common', 'services/common', ['bus', 'db', 'datalog', 'common']),
    layer('api', 'api', ['bus', 'services', 'datalog', 'common']),
    layer('cli', 'cli', ['datalog', 'api', 'common']),
    {
      name: 'datalog-is-pure',
      comment: 'src/datalog does no I/O: no node built-ins and no third-party modules',
      severity: 'error',
      from: { path: '^src/datalog/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
