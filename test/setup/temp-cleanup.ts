// setupFile of both projects: the temp folders a test file made with freshDir() / tempProject() are
// removed once its tests are done.
import { afterAll } from "vitest";
import { removeTempFolders } from "../helpers.js";

afterAll(removeTempFolders);
