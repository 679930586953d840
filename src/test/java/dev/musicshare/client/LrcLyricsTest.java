package dev.musicshare.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LrcLyricsTest {
    @Test
    void lines_are_sorted_multi_tags_expand_and_the_offset_applies() {
        LrcLyrics lyrics = LrcLyrics.parse("[ti:Song]\n[offset:+500]\n[00:10.00][00:30.50]Chorus\n[00:01.20]Intro\n"
                + "plain line\n[01:02:50]Colon millis\n");
        assertThat(lyrics.lines()).extracting(LrcLyrics.Line::text)
                .containsExactly("Intro", "Chorus", "Chorus", "Colon millis");
        assertThat(lyrics.lines()).extracting(LrcLyrics.Line::seconds).containsExactly(0.7, 9.5, 30.0, 62.0);
        assertThat(lyrics.lineAt(0.5)).isEqualTo(-1);
        assertThat(lyrics.lineAt(0.7)).isEqualTo(0);
        assertThat(lyrics.lineAt(20)).isEqualTo(1);
        assertThat(lyrics.lineAt(1_000)).isEqualTo(3);
        assertThat(LrcLyrics.isSynced("just words")).isFalse();
        assertThat(LrcLyrics.isSynced("[00:01.00]x")).isTrue();
    }
}
