import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterEach, describe, expect, it } from "vitest";
import sequrity from "../../src/plugin/vite.js";
import { asJson, cliJson, pluginProject, type HeadersModule } from "./project.js";

let server: ViteDevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A dev server without a port or a websocket: requests go through its API only. */
async function devServer(dir: string): Promise<ViteDevServer> {
  server = await createServer({ root: dir, configFile: false, logLevel: "silent", server: { middlewareMode: true, ws: false }, plugins: [sequrity()] });
  return server;
}

/** Polls (bounded) until `ready` holds; the watcher reports changes on its own schedule. */
async function until(ready: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the Vite dev server", { timeout: 60_000 }, () => {
  it("serves the module again, from the edited file, after a policy file changes", async () => {
    const dir = pluginProject();
    const dev = await devServer(dir);
    const load = async () => asJson((await dev.ssrLoadModule("virtual:sequrity-headers")) as HeadersModule);
    const before = await load();
    expect(before).toBe(await cliJson(dir));
    writeFileSync(path.join(dir, "policies/base.sqrt"), 'tool "send_email" { hard deny when to.value in {str like w"*@example.com"}; }\n');
    let now = before;
    await until(async () => (now = await load()) !== before);
    expect(now).toBe(await cliJson(dir));
    expect(now).toContain("*@example.com");
  });

  it("tells the page to reload when a config that failed to load is fixed", async () => {
    const dir = pluginProject();
    const file = path.join(dir, "sequrity.config.yaml");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace("dual-llm", "triple-llm"));
    const dev = await devServer(dir);
    const client = dev.environments.client;
    const sent: unknown[] = [];
    const send = client.hot.send.bind(client.hot) as (payload: unknown) => void;
    client.hot.send = ((payload: unknown) => {
      sent.push(payload);
      send(payload);
    }) as typeof client.hot.send;
    await expect(client.transformRequest("virtual:sequrity-headers")).rejects.toThrow(
      'sequrity.config.yaml:3:27: error: defaults.features.agent_arch: the string "triple-llm" is not allowed; expected one of "single-llm", "dual-llm" (environments dev, prod)',
    );
    writeFileSync(file, good);
    await until(() => sent.length > 0);
    expect(sent[0]).toEqual({ type: "full-reload", triggeredBy: file });
    expect((await client.transformRequest("virtual:sequrity-headers"))?.code).toContain("export const SEQURITY_HEADERS = {");
  });
});
