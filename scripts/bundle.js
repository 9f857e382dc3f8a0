#!/usr/bin/env node
// Bundles crashtop with esbuild, so that start-up reads a few files instead of walking ~1,600 in node_modules.
//
//   node scripts/bundle.js          dist/crashtop.js (ESM) and its lazily loaded chunks, and dist/crashtop.cjs
//                                   with dist/code-cache.cjs, for bin/crashtop.js
//   node scripts/bundle.js --sea    dist/sea/crashtop.cjs: one CommonJS file with everything, for build-sea.js
//
// All start at src/cli/launch.ts. Each command's module is imported when the command runs (src/cli/main.ts), so
// the ESM build splits them into chunks: `crashtop --version` loads the CLI chunk only. dist/crashtop.cjs is the
// whole program as one CommonJS script, which the live view runs with a V8 code cache (src/cli/code-cache.ts):
// Node 20 can cache the compiled code of a script, not of ES modules. Node 20's single executables run one
// CommonJS script that can import nothing, so the --sea build is one file too, and what
// CommonJS cannot express is rewritten: yoga-layout's top-level await (its WebAssembly is instantiated before
// launch instead) and Ink's, which only serve its React devtools (DEV=true). Both builds inline the package
// files the program reads at run time (src/package-files.ts).
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const sea = process.argv.includes('--sea');
const readText = (path) => readFileSync(`${root}${path}`, 'utf8');

/**
 * The demo scenario as src/sim/scenario-loader.ts parses it, in JSON: parsed here, not at each `--demo` start (a
 * bad scenarios/demo.yaml fails the build). The loader is bundled into memory and imported from a data: URL.
 */
async function parsedDemoScenario() {
  const { outputFiles } = await build({
    ...common,
    entryPoints: [`${root}src/sim/scenario-loader.ts`],
    write: false,
    format: 'esm',
    // yaml is CommonJS and requires Node's modules.
    banner: {
      js: `import { createRequire } from 'node:module';\nconst require = createRequire(${JSON.stringify(root)});`,
    },
  });
  const loader = await import(
    `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`
  );
  return JSON.stringify(loader.parseScenario('scenarios/demo.yaml', readText('scenarios/demo.yaml')));
}

/** src/package-files.ts with its files' text inlined. */
const packageFiles = {
  name: 'package-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]package-files\.ts$/ }, () => ({
      loader: 'ts',
      contents: [
        `export const packageVersion = () => ${JSON.stringify(JSON.parse(readText('package.json')).version)};`,
        `export const demoScenarioYaml = () => ${JSON.stringify(readText('scenarios/demo.yaml'))};`,
        `export const demoScenarioJson = () => ${JSON.stringify(demoScenarioJson)};`,
        `export const DEMO_SCENARIO_NAME = 'scenarios/demo.yaml';`,
      ].join('\n'),
    }));
  },
};

/**
 * yoga-layout awaits its WebAssembly at the top level. For CommonJS its default export becomes an object that
 * `yogaReady` fills in, and src/ui/terminal/layout-ready.ts becomes `yogaReady`, which the live view awaits before
 * Ink draws. The entries start the launcher at once: yoga is loaded with the view's modules, after the list
 * requests are out, not in front of them.
 */
const yogaWithoutTopLevelAwait = {
  name: 'yoga-without-top-level-await',
  setup(b) {
    const index = `${root}node_modules/yoga-layout/dist/src/index.js`;
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, () => ({
      loader: 'js',
      resolveDir: `${root}node_modules/yoga-layout/dist/src`,
      contents: [
        "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
        "import wrapAssembly from './wrapAssembly.js';",
        'const Yoga = {};',
        'export const yogaReady = loadYoga().then((module) => { Object.assign(Yoga, wrapAssembly(module)); });',
        'export default Yoga;',
        "export * from './generated/YGEnums.js';",
      ].join('\n'),
    }));
    b.onLoad({ filter: /[\\/]src[\\/]ui[\\/]terminal[\\/]layout-ready\.ts$/ }, () => ({
      loader: 'js',
      contents: `export { yogaReady as layoutReady } from ${JSON.stringify(index)};`,
    }));
    // The single executable starts at once; dist/crashtop.cjs exports `start` for src/cli/code-cache.ts, and its
    // own `withStartFlags`: the launcher bundling a second heap.ts would restore that copy's flags, not the view's.
    b.onResolve({ filter: /^crashtop:(sea|cached)-entry$/ }, (args) => ({
      path: args.path.slice('crashtop:'.length),
      namespace: 'crashtop',
    }));
    b.onLoad({ filter: /^(sea|cached)-entry$/, namespace: 'crashtop' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        "import { launch } from './src/cli/launch.ts';",
        args.path === 'sea-entry'
          ? 'launch(process.argv.slice(2));'
          : "export const start = (argv) => launch(argv);\nexport { withStartFlags } from './src/cli/heap.ts';",
      ].join('\n'),
    }));
  },
};

/** What esbuild resolves `args` to without these plugins' redirections (which skip `inner` look-ups). */
async function resolveAsUsual(b, args) {
  const resolved = await b.resolve(args.path, {
    importer: args.importer,
    kind: args.kind,
    resolveDir: args.resolveDir,
    pluginData: { inner: true },
  });
  return resolved.errors.length > 0 ? undefined : resolved;
}

/**
 * client-node's index re-exports its whole generated API (≈ 740 modules) and its package.json does not say it has
 * no import-time side effects, so esbuild would keep all of it; crashtop uses KubeConfig and Exec only.
 */
const clientNodeWithoutSideEffects = {
  name: 'client-node-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.inner || !`${args.importer}/${args.path}`.includes('@kubernetes/client-node'))
        return;
      const resolved = await resolveAsUsual(b, args);
      if (!resolved?.path.includes('/@kubernetes/client-node/dist/')) return;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/**
 * In one CommonJS file each module reached by an `import()` (a command's module, the live view's Ink) is wrapped to
 * run on first use, and esbuild then keeps everything a wrapped module re-exports: client-node's index and its
 * generated API (≈ 730 modules, 80–120 ms to evaluate before the first request) came back. So the CommonJS builds
 * take crashtop's two client-node classes, and config.js its two generated ones, from the modules that define them.
 */
const clientNodeDirect = {
  name: 'client-node-direct',
  setup(b) {
    const dist = `${root}node_modules/@kubernetes/client-node/dist`;
    // Exec (with the WebSocket library and zlib under it) apart from KubeConfig: src/kube/exec.ts is loaded on
    // the first shell, and a module that exported both made the live view's start-up evaluate them.
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) => ({
      path: /[\\/]src[\\/]kube[\\/]exec\.ts$/.test(args.importer) ? 'client-node-exec' : 'client-node',
      namespace: 'crashtop',
    }));
    b.onLoad({ filter: /^client-node(-exec)?$/, namespace: 'crashtop' }, (args) => ({
      loader: 'js',
      resolveDir: dist,
      contents:
        args.path === 'client-node-exec'
          ? "export { Exec } from './exec.js';"
          : "export { KubeConfig } from './config.js';",
    }));
    b.onLoad({ filter: /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = "import { createConfiguration, ServerConfiguration, } from './gen/index.js';";
      if (!source.includes(from)) throw new Error(`${args.path}: no "${from}"; update clientNodeDirect`);
      return {
        loader: 'js',
        contents: source.replace(
          from,
          "import { createConfiguration } from './gen/configuration.js';\nimport { ServerConfiguration } from './gen/servers.js';",
        ),
      };
    });
  },
};

/**
 * client-node's config.js imports node-fetch (for one `new Headers()`) and socks-proxy-agent (for a `socks5://`
 * proxy-url) at the top: with what they pull in (whatwg-url and tr46's Unicode tables, ip-address, socks) that is
 * 620 KB of the 900 KB client-node chunk, all parsed and evaluated before the live view's first request (~50 ms).
 * crashtop sends its own requests (src/kube/http.ts), so both are loaded only when client-node really uses them
 * (exec's WebSocket, a SOCKS proxy): each import becomes a stand-in that requires the package on first use. The
 * ESM build keeps the packages out of its chunks, in dist/chunks/lazy-NAME.cjs (`lazyFiles` writes them); the
 * single executable can read no file, so there they stay inside the one bundle, still evaluated only on use.
 * Each stand-in exports only what client-node imports: anything else fails the build.
 */
const lazyPackages = {
  'node-fetch': [
    'export default function fetch(...args) { return load().default(...args); }',
    'export class Headers { constructor(...args) { return new (load().Headers)(...args); } }',
  ],
  'socks-proxy-agent': [
    'export class SocksProxyAgent { constructor(...args) { return new (load().SocksProxyAgent)(...args); } }',
  ],
};
const lazyFile = (name) => `lazy-${name}.cjs`;

function clientNodeLazyDependencies({ separateFiles }) {
  return {
    name: 'client-node-lazy-dependencies',
    setup(b) {
      // The modules crashtop's bundle holds (index.js re-exports node-fetch's errors, unused and tree-shaken).
      const importers =
        /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/](config|gen[\\/]http[\\/]isomorphic-fetch)\.js$/;
      b.onResolve({ filter: /^(node-fetch|socks-proxy-agent)$/ }, async (args) => {
        if (args.pluginData?.inner || !importers.test(args.importer)) return;
        const resolved = await resolveAsUsual(b, args);
        if (resolved === undefined) return;
        return { path: resolved.path, namespace: 'lazy-dependency', pluginData: { name: args.path } };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-dependency' }, (args) => ({
        loader: 'js',
        resolveDir: root,
        contents: [
          'let loaded;',
          separateFiles
            ? // Next to the chunk holding this stand-in (the build checks that it is one of dist/chunks).
              `import { fileURLToPath } from 'node:url';\nconst load = () => (loaded ??= require(fileURLToPath(new URL(${JSON.stringify(`./${lazyFile(args.pluginData.name)}`)}, import.meta.url))));`
            : `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
          ...lazyPackages[args.pluginData.name],
        ].join('\n'),
      }));
    },
  };
}

/** dist/chunks/lazy-NAME.cjs for the ESM build: each lazily loaded package as one CommonJS file. */
async function lazyFiles() {
  await build({
    ...common,
    // Resolved from client-node's folder, as its own imports are.
    absWorkingDir: `${root}node_modules/@kubernetes/client-node`,
    entryPoints: Object.fromEntries(
      Object.keys(lazyPackages).map((name) => [lazyFile(name).replace(/\.cjs$/, ''), name]),
    ),
    outdir: `${root}dist/chunks`,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    plugins: [optionalModulesAbsent],
  });
}

/**
 * restore-cursor (cli-cursor's, which Ink hides the cursor with) writes "show the cursor" to stderr at exit,
 * whatever stderr is: `crashtop 2>errors.log` found an escape sequence after the error line in its file. It is
 * written where a terminal is, the live view's stdout first.
 */
const restoreCursorOnTerminal = {
  name: 'restore-cursor-on-terminal',
  setup(b) {
    b.onLoad({ filter: /[\\/]restore-cursor[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = "process.stderr.write('\\u001B[?25h');";
      if (!source.includes(from))
        throw new Error(`${args.path}: no "${from}"; update restoreCursorOnTerminal`);
      const to =
        "(process.stdout.isTTY ? process.stdout : process.stderr.isTTY ? process.stderr : undefined)?.write('\\u001B[?25h');";
      return { loader: 'js', contents: source.replace(from, to) };
    });
  },
};

/**
 * yoga-layout's Emscripten loader reads its WebAssembly (a base64 data: URL) with fetch() when fetch exists, and
 * Node's fetch first loads undici: 100–250 ms of the live view's start-up, for a string already in memory. The
 * loader's own fallback decodes the base64 directly.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replaceAll('"function"!=typeof fetch', 'true');
      if (contents === source) throw new Error(`${args.path}: no fetch test; update yogaWithoutFetch`);
      return { loader: 'js', contents };
    });
  },
};

/**
 * What the packages that measure and cut text make when they are loaded, made when first used instead:
 * - each makes an Intl.Segmenter, and the first a process makes costs 20–35 ms (ICU's break data), while the
 *   live view's first frames need none (src/ui/graphemes.ts): they share its one segmenter, made on first use,
 *   and Ink's tokenizer takes `graphemes`, which segments ASCII styling (all it tokenizes before the first
 *   crash-looping row) without it;
 * - string-width 8 (Ink's, widest-line's and cli-truncate's copies) makes `/^\p{RGI_Emoji}$/v`, and V8 parses a
 *   regular expression when it makes one: this one, every emoji sequence Unicode lists, cost 25–65 ms. It tests
 *   only text that is not plainly narrow (inkLineCache's fast path answers the rest).
 * Each replacement must match, or the build fails; test/e2e/start-order.test.ts checks the first frame.
 */
const textMeasureOnUse = {
  name: 'text-measure-on-use',
  setup(b) {
    const graphemes = JSON.stringify(`${root}src/ui/graphemes.ts`);
    const onUse = 'segment: (text) => graphemeSegmenter().segment(text)';
    const patches = [
      {
        file: /[\\/]string-width[\\/]index\.js$/,
        imports: 'graphemeSegmenter',
        swaps: [
          ['const segmenter = new Intl.Segmenter();', `const segmenter = { ${onUse} };`],
          [
            'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
            'let rgiEmoji;\nconst rgiEmojiRegex = { test: (text) => (rgiEmoji ??= /^\\p{RGI_Emoji}$/v).test(text) };',
            // string-width 7 (crashtop's own) tests emoji with emoji-regex, made on each call.
            (source) => source.includes('RGI_Emoji}$/v'),
          ],
        ],
      },
      {
        file: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/,
        imports: 'graphemeSegmenter',
        swaps: [
          [
            "const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});",
            `const GRAPHEME_SEGMENTER = { ${onUse} };`,
          ],
        ],
      },
      {
        file: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/,
        imports: 'graphemes',
        swaps: [
          [
            'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });',
            'const segmenter = { segment: graphemes };',
          ],
        ],
      },
    ];
    for (const { file, imports, swaps } of patches) {
      b.onLoad({ filter: file }, (args) => {
        let contents = readFileSync(args.path, 'utf8');
        for (const [from, to, applies = () => true] of swaps) {
          if (!applies(contents)) continue;
          if (!contents.includes(from))
            throw new Error(`${args.path}: no "${from}"; update textMeasureOnUse`);
          contents = contents.replace(from, () => to);
        }
        return { loader: 'js', contents: `${contents}\nimport { ${imports} } from ${graphemes};` };
      });
    }
  },
};

/**
 * Ink draws each frame from scratch, and that was most of the live view's idle CPU: src/ui/terminal/ink-patches.ts
 * says what these changes do (the same output, computed once per distinct line, and string-width's answer for
 * plainly narrow text without its per-grapheme regexes) and its test checks them against Ink's own code;
 * test/cli/bundle.test.ts checks that the bundle has them.
 */
const inkLineCache = {
  name: 'ink-line-cache',
  setup(b) {
    const patches = JSON.stringify(`${root}src/ui/terminal/ink-patches.ts`);
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.inner || !/[\\/]node_modules[\\/]/.test(args.importer)) return;
      const resolved = await resolveAsUsual(b, args);
      if (resolved === undefined) return;
      return { path: resolved.path, namespace: 'narrow-fast-path' };
    });
    b.onLoad({ filter: /.*/, namespace: 'narrow-fast-path' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      contents: [
        `import stringWidth from ${JSON.stringify(args.path)};`,
        `import { withNarrowFastPath } from ${patches};`,
        'export default withNarrowFastPath(stringWidth);',
      ].join('\n'),
    }));
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]measure-text\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace('const cache = new Map();', 'const cache = measureTextCache();');
      if (contents === source) throw new Error(`${args.path}: no cache Map; update inkLineCache`);
      return {
        loader: 'js',
        contents: `${contents}\nimport { measureTextCache } from ${patches};`,
      };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace('export default class Output', 'class Output');
      if (contents === source) throw new Error(`${args.path}: no Output class; update inkLineCache`);
      return {
        loader: 'js',
        contents: [
          contents,
          `import { lineCachedOutput } from ${patches};`,
          'export default lineCachedOutput(Output, (line) => styledCharsToString(styledCharsFromTokens(tokenize(line))), stringWidth);',
        ].join('\n'),
      };
    });
  },
};

/**
 * Ink marks a text's Yoga node dirty whenever its text changes, so each tick laid out every row again for a
 * countdown that never changes a row's size. keepsMeasure (src/ui/terminal/ink-patches.ts) says when the size
 * Yoga measured still holds; test/ui/ink-patches.test.ts checks it against Ink's own layout.
 */
const inkTextKeepsMeasure = {
  name: 'ink-text-keeps-measure',
  setup(b) {
    const patches = JSON.stringify(`${root}src/ui/terminal/ink-patches.ts`);
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]dom\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = '    node.nodeValue = text;\n    markNodeAsDirty(node);\n';
      if (!source.includes(from))
        throw new Error(`${args.path}: no setTextNodeValue; update inkTextKeepsMeasure`);
      const to =
        '    const before = node.nodeValue;\n    node.nodeValue = text;\n    if (!keepsMeasure(node, before, text)) markNodeAsDirty(node);\n';
      return {
        loader: 'js',
        contents: `${source.replace(from, to)}\nimport { keepsMeasure } from ${patches};`,
      };
    });
  },
};

/**
 * Ink's Text makes a new style object and transform function on each render, and its reconciler diffs every
 * prop of every element a commit updates: each tick re-renders every row's Text for its countdown, and that
 * diffing was a tenth of the garbage a frame makes. Text keeps both while the props they are made from are the
 * same (useKeptTextProps), and an element whose props differ only in `children` skips the diff (sameHostProps;
 * src/ui/terminal/ink-patches.ts). test/ui/ink-same-props.test.tsx checks both; test/cli/bundle.test.ts that both
 * builds have them.
 */
function inkSameProps({ withoutDevtools }) {
  return {
    name: 'ink-same-props',
    setup(b) {
      const patches = JSON.stringify(`${root}src/ui/terminal/ink-patches.ts`);
      const patch = (path, edits, name) => {
        let contents = readFileSync(path, 'utf8');
        for (const [from, to] of edits) {
          if (!contents.includes(from)) throw new Error(`${path}: no "${from}"; update inkSameProps`);
          contents = contents.replace(from, to);
        }
        return { loader: 'js', contents: `${contents}\nimport { ${name} } from ${patches};` };
      };
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]components[\\/]Text\.js$/ }, (args) =>
        patch(
          args.path,
          [
            [
              'const inheritedBackgroundColor = useContext(backgroundContext);',
              'const inheritedBackgroundColor = useContext(backgroundContext);\n    const kept = useKeptTextProps([dimColor, color, backgroundColor, inheritedBackgroundColor, bold, italic, underline, strikethrough, inverse, wrap]);',
            ],
            [
              "style: { flexGrow: 0, flexShrink: 1, flexDirection: 'row', textWrap: wrap }, internal_transform: transform }",
              "style: kept('style', { flexGrow: 0, flexShrink: 1, flexDirection: 'row', textWrap: wrap }), internal_transform: kept('transform', transform) }",
            ],
          ],
          'useKeptTextProps',
        ),
      );
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) =>
        patch(
          args.path,
          [
            [
              'const props = diff(oldProps, newProps);',
              'if (sameHostProps(oldProps, newProps)) return;\n        const props = diff(oldProps, newProps);',
            ],
            // Ink's devtools bridge, cut out where its top-level awaits would stop the CommonJS build.
            ...(withoutDevtools
              ? [
                  ["await import('./devtools.js');", ''],
                  ['? await loadPackageJson()', '? {}'],
                ]
              : []),
          ],
          'sameHostProps',
        ),
      );
    },
  };
}

/**
 * Ink draws at most one frame per 33 ms (maxFps 30, leading and trailing edge), and a commit that changes nothing
 * on screen counts as a frame: a key is two commits (the key queued, then handled: hooks/use-key-queue.ts), so
 * the first, drawing nothing, held the key's frame back to the trailing edge, 33 ms later. A frame that writes
 * nothing now leaves the next commit on the leading edge. (A render draws the tree as it is, so nothing that a
 * pending trailing render waited for is lost.) test/cli/bundle-frames.test.ts checks the key's frame.
 */
const inkUnchangedFramesFree = {
  name: 'ink-unchanged-frames-free',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]ink\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from =
        /(\n {8}else if \(output !== this\.lastOutput \|\| this\.log\.isCursorDirty\(\)\) \{\n[^}]*\n {8}\})\n/;
      if (!from.test(source))
        throw new Error(`${args.path}: no unchanged-frame test; update inkUnchangedFramesFree`);
      return {
        loader: 'js',
        contents: source.replace(
          from,
          '$1\n        else {\n            this.throttledOnRender?.cancel();\n        }\n',
        ),
      };
    });
  },
};

/**
 * Optional dependencies that CommonJS packages try to require in a try/catch (ws: bufferutil, utf-8-validate;
 * debug: supports-color; node-fetch: encoding). Inside the single executable such a require would print Node's
 * warning that only built-in modules can be required, so there they fail quietly as not installed.
 */
const optionalModulesAbsent = {
  name: 'optional-modules-absent',
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate|supports-color|encoding)$/ }, (args) => ({
      path: args.path,
      namespace: 'absent',
    }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      loader: 'js',
      contents: `throw Object.assign(new Error("Cannot find module '${args.path}'"), { code: 'MODULE_NOT_FOUND' });`,
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // React's development build checks far more and costs twice the CPU (reference/ink-notes.md §3).
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads its React devtools bridge only with DEV=true, and does not ship it.
  external: ['react-devtools-core'],
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
};

/**
 * The whole program as one CommonJS file, `outfile`, starting at `crashtop:sea-entry` or `crashtop:cached-entry`;
 * `sourcemap` for the one `--debug` runs (bin/crashtop.js): a map without the sources' text, which stack traces do
 * not need.
 */
const oneScript = (entry, outfile, sourcemap = false) =>
  build({
    ...common,
    entryPoints: [entry],
    outfile,
    format: 'cjs',
    minifyWhitespace: true,
    minifySyntax: true,
    ...(sourcemap ? { sourcemap: 'linked', sourcesContent: false } : {}),
    plugins: [
      packageFiles,
      clientNodeDirect,
      clientNodeLazyDependencies({ separateFiles: false }),
      clientNodeWithoutSideEffects,
      yogaWithoutTopLevelAwait,
      yogaWithoutFetch,
      restoreCursorOnTerminal,
      inkSameProps({ withoutDevtools: true }),
      inkLineCache,
      textMeasureOnUse,
      inkTextKeepsMeasure,
      inkUnchangedFramesFree,
      optionalModulesAbsent,
    ],
  });

/**
 * The live view's script is read as latin1 (src/cli/code-cache.ts), which is UTF-8 only for ASCII. esbuild
 * escapes the non-ASCII characters of strings, not of regular expressions: one there fails the build here.
 */
function assertAscii(file) {
  const bytes = readFileSync(file);
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at >= 0)
    throw new Error(
      `${file}: a non-ASCII character at byte ${at} (${JSON.stringify(bytes.subarray(Math.max(0, at - 40), at + 20).toString('utf8'))}): write it as an escape in a string`,
    );
}

const demoScenarioJson = await parsedDemoScenario();

if (sea) {
  await rm(`${root}dist/sea`, { recursive: true, force: true });
  await oneScript('crashtop:sea-entry', `${root}dist/sea/crashtop.cjs`);
} else {
  await rm(`${root}dist`, { recursive: true, force: true });
  const result = await build({
    ...common,
    // dist/lib: the simulator and the live view as modules, for the benchmarks (bench/sim.js, bench/tui.js).
    entryPoints: {
      crashtop: `${root}src/cli/launch.ts`,
      'lib/sim': `${root}src/sim/index.ts`,
      'lib/run-tui': `${root}src/ui/run-tui.tsx`,
    },
    outdir: `${root}dist`,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    // CommonJS dependencies (react, ws …) call require() for Node's own modules; ESM has no require.
    banner: {
      js: "import { createRequire as __crashtopRequire } from 'node:module';\nconst require = __crashtopRequire(import.meta.url);",
    },
    plugins: [
      packageFiles,
      clientNodeLazyDependencies({ separateFiles: true }),
      clientNodeWithoutSideEffects,
      yogaWithoutFetch,
      restoreCursorOnTerminal,
      inkSameProps({ withoutDevtools: false }),
      inkLineCache,
      textMeasureOnUse,
      inkTextKeepsMeasure,
      inkUnchangedFramesFree,
    ],
    metafile: true,
  });
  // The stand-ins require their files from the chunk's folder: make sure they landed in one.
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const holdsStandIn = Object.keys(output.inputs).some((input) => input.startsWith('lazy-dependency:'));
    if (holdsStandIn && !file.startsWith('dist/chunks/'))
      throw new Error(
        `${file} holds a lazy-dependency stand-in, but only dist/chunks/ has the lazy-*.cjs files`,
      );
  }
  await lazyFiles();
  await oneScript('crashtop:cached-entry', `${root}dist/crashtop.cjs`, true);
  assertAscii(`${root}dist/crashtop.cjs`);
  // The live view's launcher, CommonJS as bin/crashtop.js is: an ES module on the way cost every start Node's ES
  // module loader (7 ms of 64 to this point, against 57 for CommonJS, with `node -e 0` at 53).
  await build({
    ...common,
    entryPoints: [`${root}src/cli/code-cache.ts`],
    outfile: `${root}dist/code-cache.cjs`,
    format: 'cjs',
    plugins: [packageFiles],
  });
}
