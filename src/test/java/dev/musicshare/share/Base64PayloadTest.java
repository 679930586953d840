package dev.musicshare.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64PayloadTest {

    @Test
    void agrees_with_the_jdk_decoder_on_random_valid_and_corrupted_input() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            String text = Base64.getEncoder().encodeToString(bytes);
            assertThat(length(text)).isEqualTo(bytes.length);
            if (text.isEmpty()) continue;
            char[] corrupted = text.toCharArray();
            corrupted[random.nextInt(corrupted.length)] = "!-_ =\n\u00e9A".charAt(random.nextInt(8));
            String candidate = new String(corrupted);
            assertThat(length(candidate) >= 0).as(candidate).isEqualTo(jdkAccepts(candidate));
        }
    }

    @Test
    void refuses_unpadded_and_misplaced_padding() {
        assertThat(length("AAAAAA")).isEqualTo(-1);
        assertThat(length("AA=A")).isEqualTo(-1);
        assertThat(length("A===")).isEqualTo(-1);
        assertThat(length("AAAAAAAAgD8=")).isEqualTo(8);
    }

    /** Checks the text as a span in the middle of a larger array, as the parser hands it over. */
    private static long length(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] framed = new byte[utf8.length + 4];
        framed[0] = '"';
        framed[1] = '!';
        System.arraycopy(utf8, 0, framed, 2, utf8.length);
        framed[utf8.length + 2] = '=';
        framed[utf8.length + 3] = '"';
        return Base64Payload.decodedLength(framed, 2, utf8.length + 2);
    }

    private static boolean jdkAccepts(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
