import type { SeededRandom } from './seeded-random.js';

// Every way of writing a path that a router or a proxy might read as the same route, or trip over.
const SPELLINGS: Array<(path: string, random: SeededRandom) => string> = [
  (path) => path.toUpperCase(),
  (path, random) => [...path].map((character) => (random.chance(0.5) ? character.toUpperCase() : character)).join(''),
  (path) => `${path}/`,
  (path) => `${path}//`,
  (path) => `/${path}`,
  (path, random) => replaceSlash(path, random, '//'),
  (path, random) => replaceSlash(path, random, '/./'),
  (path, random) => replaceSlash(path, random, '/x/../'),
  (path, random) => replaceSlash(path, random, '/%2e/'),
  (path, random) => replaceSlash(path, random, '/%2E%2E/'),
  (path, random) => replaceSlash(path, random, '%2F'),
  (path, random) => replaceSlash(path, random, '\\'),
  (path, random) => replaceSlash(path, random, '/;x=1/'),
  (path, random) => encodeOneLetter(path, random),
  (path, random) => encodeOneLetter(path, random).toLowerCase(),
  (path) => `${path}%00`,
  (path) => `${path}%`,
  (path) => `${path}%zz`,
  (path) => `${path}%E0%A4%A`,
  (path) => `${path}%C0%AF`,
  (path) => `${path};jsessionid=0`,
  (path) => `${path}.json`,
  (path) => `${path}#fragment`,
  (path) => `${path}/${'a'.repeat(5000)}`,
  (path) => `http://127.0.0.1${path}`,
  (path) => `${path}%20`,
  (path) => path.replace('/api', '/API'),
  (path) => path.replace('/api', '/Api'),
  (path) => path.replace('/api', '/api/v1'),
  (path) => path.replace('/api', ''),
  (path) => path.replace(/\/[^/]*$/, ''),
];

/** A respelling of `path`: case, doubled or trailing slashes, dot segments, encoded or broken characters, … */
export function respellPath(path: string, random: SeededRandom): string {
  return random.pick(SPELLINGS)(path, random);
}

function replaceSlash(path: string, random: SeededRandom, replacement: string): string {
  const positions = [...path].flatMap((character, index) => (character === '/' && index > 0 ? [index] : []));
  if (positions.length === 0) return `${path}${replacement}`;
  const at = random.pick(positions);
  return `${path.slice(0, at)}${replacement}${path.slice(at + 1)}`;
}

function encodeOneLetter(path: string, random: SeededRandom): string {
  const positions = [...path].flatMap((character, index) => (/[a-z]/i.test(character) ? [index] : []));
  if (positions.length === 0) return path;
  const at = random.pick(positions);
  return `${path.slice(0, at)}%${path.charCodeAt(at).toString(16).toUpperCase()}${path.slice(at + 1)}`;
}
