package dev.musicshare.stream;

/**
 * Ogg pages as written once for every listener of a stream: the same array goes to each listener's queue.
 *
 * @param bytes   whole Ogg pages
 * @param samples audio they carry, samples per channel at 48 kHz (0 for header pages)
 */
record StreamPage(byte[] bytes, long samples) {}
