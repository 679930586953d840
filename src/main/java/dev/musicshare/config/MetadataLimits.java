package dev.musicshare.config;

/**
 * The longest metadata fields accepted, in characters.
 *
 * @param thumbnailChars base64 cover art
 * @param lyricsChars    lyrics
 * @param titleChars     title, and artist
 */
public record MetadataLimits(int thumbnailChars, int lyricsChars, int titleChars) {}
