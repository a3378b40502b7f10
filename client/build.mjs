// Bundles src/main.js into server/penholder/web/static/app.js (and the editor's CSS into
// app.css), src/console/main.js into console.js, and copies index.html, console.html and
// the icon next to them. The output is not committed: `make install` builds it.
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
// The facilitator's console: a page of its own (console.html), with no editor in it.
await build({
  entryPoints: [join(here, 'src', 'console', 'main.js')],
  outfile: join(out, 'console.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  logLevel: 'warning'
})
await copyFile(join(here, 'console.html'), join(out, 'console.html'))
// The sign-in, administration and upload review pages: their own small modules and stylesheets.
await build({
  entryPoints: ['signin', 'admin', 'upload'].map((name) => join(here, 'src', 'account', `${name}.js`)),
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  logLevel: 'warning'
})
for (const file of ['signin.html', 'admin.html', 'upload.html', 'account.css', 'upload.css']) await copyFile(join(here, file), join(out, file))
