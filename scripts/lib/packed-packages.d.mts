/** Types of `packed-packages.mjs`, for the TypeScript benchmarks that import it. */

/** A publishable package of the repository. */
export interface PublishablePackage {
  name: string;
  version: string;
  /** Its folder, absolute. */
  dir: string;
}

/** A tarball made by `pnpm pack`. */
export interface PackedTarball {
  name: string;
  version: string;
  /** The `.tgz` file, absolute. */
  file: string;
  /** Size of the tarball. */
  bytes: number;
  /** Number of files in it. */
  files: number;
}

/** The repository's root folder. */
export const repositoryRoot: string;

/** The publishable packages: every `packages/<name>` whose `package.json` is not private, sorted by folder. */
export function publishablePackages(): PublishablePackage[];

/** Packs every publishable package with `pnpm pack` into `destination` (the packages must be built). */
export function packPackages(destination: string): PackedTarball[];

/** Writes `<folder>/package.json` installing `names` from their tarballs, with every tarball as an override. */
export function writeInstallManifest(
  folder: string,
  tarballs: PackedTarball[],
  names: string[],
  extra?: { [name: string]: string },
): void;

/** Runs `npm install` in `folder` and returns how long it took, in milliseconds. */
export function npmInstall(folder: string): number;

/** Bytes under `<folder>/node_modules` and the number of packages npm installed there. */
export function installedWeight(folder: string): { bytes: number; packages: number };
