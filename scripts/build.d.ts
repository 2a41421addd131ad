// Types of scripts/build.js (plain JS, so that `npm install` can run it before anything is compiled).
export declare const DIST: string;
export declare const MANIFEST: string;
export declare function buildCli(options?: { quiet?: boolean }): Promise<void>;
