export * from "./diagnostic.js";
export * from "./format.js";
export * from "./positions.js";
export * from "./machine.js";
