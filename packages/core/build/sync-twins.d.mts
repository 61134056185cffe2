/** Declarations of sync-twins.mjs, for the configs that import it. */
export function isKernelModule(file: string): boolean;
export function addSyncTwins(source: string, file: string): string | undefined;
export function syncTwinsEsbuild(): { name: string; setup(build: unknown): void };
export function syncTwinsVite(): { name: string; enforce: 'pre'; transform(code: string, id: string): { code: string; map: null } | undefined };
