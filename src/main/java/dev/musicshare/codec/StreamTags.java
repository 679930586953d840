package dev.musicshare.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an Ogg Opus stream says about its audio in its OpusTags header (RFC 7845 section 5.2, Vorbis comment
 * fields). Any field may be null.
 *
 * @param title     TITLE
 * @param artist    ARTIST
 * @param cover     front-cover image bytes (JPEG or PNG), written as METADATA_BLOCK_PICTURE; null for none
 * @param coverType the image's MIME type, e.g. {@code image/jpeg}
 */
public record StreamTags(String title, String artist, byte[] cover, String coverType) {
    public static final StreamTags NONE = new StreamTags(null, null, null, null);

    /** The same tags without the cover, e.g. when it is too large for the header page. */
    public StreamTags withoutCover() {
        return new StreamTags(title, artist, null, null);
    }

    /** "Artist - Title" as radio players show it (ICY StreamTitle), or whichever of the two exists. */
    public String displayTitle() {
        boolean hasTitle = title != null && !title.isBlank();
        boolean hasArtist = artist != null && !artist.isBlank();
        if (hasTitle && hasArtist) return artist + " - " + title;
        return hasTitle ? title : hasArtist ? artist : "";
    }

    /**
     * The cover as METADATA_BLOCK_PICTURE's value: base64 of a FLAC PICTURE block (picture type 3, front cover;
     * dimensions left 0, which the format allows when unknown), as the Ogg Opus tag conventions specify.
     */
    public String metadataBlockPicture() {
        if (cover == null) return null;
        byte[] mime = (coverType == null ? "image/jpeg" : coverType).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream block = new ByteArrayOutputStream(cover.length + 64);
        ByteBuffer header = ByteBuffer.allocate(4 + 4 + mime.length + 4 + 16 + 4);
        header.putInt(3).putInt(mime.length).put(mime).putInt(0); // type, MIME, empty description
        header.putInt(0).putInt(0).putInt(0).putInt(0); // width, height, colour depth, indexed colours: unknown
        header.putInt(cover.length);
        block.writeBytes(header.array());
        block.writeBytes(cover);
        return Base64.getEncoder().encodeToString(block.toByteArray());
    }
}
