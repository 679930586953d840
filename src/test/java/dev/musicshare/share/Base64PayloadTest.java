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
            assertThat(Base64Payload.decodedLength(text)).isEqualTo(bytes.length);
            if (text.isEmpty()) continue;
            char[] corrupted = text.toCharArray();
            corrupted[random.nextInt(corrupted.length)] = "!-_ =\n\u00e9A".charAt(random.nextInt(8));
            String candidate = new String(corrupted);
            assertThat(Base64Payload.decodedLength(candidate) >= 0).as(candidate).isEqualTo(jdkAccepts(candidate));
        }
    }

    @Test
    void refuses_unpadded_and_misplaced_padding() {
        assertThat(Base64Payload.decodedLength("AAAAAA")).isEqualTo(-1);
        assertThat(Base64Payload.decodedLength("AA=A")).isEqualTo(-1);
        assertThat(Base64Payload.decodedLength("A===")).isEqualTo(-1);
        assertThat(Base64Payload.decodedLength("AAAAAAAAgD8=")).isEqualTo(8);
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
