/**
 * Loads a large generated CommonJS file (the bundled CLI, the precompiled validators) through
 * V8's code cache, which the build writes beside it as FILE.cache: parsing and compiling ~1 MB
 * of JavaScript at every start is most of a cold start. A cache from another Node version is
 * rejected by V8 and the file is simply compiled as usual.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

type Wrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

export interface LoadedScript<T> {
  exports: T;
  script: vm.Script;
}

export function loadCommonJs<T>(file: string, cachedData?: Buffer): LoadedScript<T> {
  const source = readFileSync(file, "utf8");
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  (script.runInThisContext() as Wrapper)(module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports as T, script };
}

export function loadWithCodeCache<T>(file: string): T {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file + ".cache");
  } catch {
    cachedData = undefined;
  }
  return loadCommonJs<T>(file, cachedData).exports;
}
