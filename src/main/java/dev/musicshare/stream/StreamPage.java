package dev.musicshare.stream;

/**
 * A batch of Ogg pages kept for the burst a joining listener gets: the same batch every live listener was sent.
 *
 * @param pages   whole Ogg pages
 * @param samples audio they carry, samples per channel at 48 kHz
 */
record StreamPage(PageBatch pages, long samples) {}
