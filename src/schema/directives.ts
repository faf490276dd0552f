/** The merge directives of product.md; a mapping with one of these as its only key replaces a value. */
export const DIRECTIVES = ["$append", "$prepend", "$remove", "$merge", "$replace"] as const;
export type Directive = (typeof DIRECTIVES)[number];
