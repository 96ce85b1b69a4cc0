/** A malformed policy or test file; the message names the file and the place in it. */
export class MalformedFile extends Error {}
