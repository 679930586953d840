package dev.musicshare.testing;

/**
 * Where a test server keeps its embedded history database ({@code HISTORY_DIR}) when the test does not care: one
 * folder per test JVM, since the suite runs in two JVMs at once (pom.xml sets {@code test.history.dir} per fork) and
 * two processes must not migrate or write one database file together.
 */
public final class TestHistory {
    private TestHistory() {}

    /** The folder for this JVM; {@code target/test-history} outside surefire (an IDE's runner). */
    public static String dir() {
        return System.getProperty("test.history.dir", "target/test-history");
    }
}
