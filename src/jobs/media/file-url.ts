/**
 * A path as ffmpeg and ffprobe must read and write it: through the file
 * protocol, so that a name with a colon (`concat:…`, `http:…`) or a leading
 * dash is never taken for a protocol or an option.
 */
export const fileUrl = (path: string) => `file:${path}`;
