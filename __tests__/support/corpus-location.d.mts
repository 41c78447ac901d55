export declare const DEFAULT_CORPUS_DIR: string;
export declare const CORPUS_SKIP_LINE: string;
export declare function corpusDir(env?: NodeJS.ProcessEnv): string | null;
