import { toolVersion } from "../emit/paths.js";

/** The package version (package.json), as --version prints it. */
export const VERSION: string = toolVersion();
