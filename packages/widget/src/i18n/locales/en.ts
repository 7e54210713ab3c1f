import { DEFAULT_STRINGS } from '../../strings.js';
import type { Strings } from '../catalog.js';

/** English, the element's built-in language (part of the main bundle) and the fallback for any other. */
export const en: Strings = DEFAULT_STRINGS;

export default en;
