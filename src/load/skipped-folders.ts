/**
 * Folders that no search of the tool descends into: installed packages and hidden folders (`.git`,
 * caches, editor state). One rule for `--all` discovery, `policy check DIR` and `**` in test globs
 * (many-configs.md, policy-checking.md, policy-tests.md say so), so the three cannot drift apart.
 */
export function isSkippedFolder(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}
