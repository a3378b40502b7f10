// Bundles src/main.js into server/penholder/web/static/app.js (and the editor's CSS into
// app.css) and copies index.html and the icon next to it. The output is not committed: `make install` builds it.
import { build } from 'esbuild'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', 'server', 'penholder', 'web', 'static')
await mkdir(out, { recursive: true })
await build({
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  logLevel: 'warning'
})
await copyFile(join(here, 'index.html'), join(out, 'index.html'))
await copyFile(join(here, 'favicon.svg'), join(out, 'favicon.svg'))
