package dev.musicshare.cli;

import dev.musicshare.client.RetryPolicy;
import java.io.PrintStream;

/**
 * Shows a {@link RetryPolicy}'s pauses on stderr: on a terminal one line counting down in place; in a log or a pipe
 * one line per pause, so the file is not filled with a line a second.
 */
final class RetryCountdown implements RetryPolicy.Countdown {
    private final PrintStream err = System.err;
    private final boolean terminal = System.console() != null;

    @Override
    public void waiting(String target, String cause, int secondsLeft, int nextAttempt, int attempts) {
        String line = "Cannot reach " + target + ": " + cause + "; retrying in " + secondsLeft + " s (attempt "
                + nextAttempt + " of " + attempts + ")";
        if (terminal) {
            err.print("\r" + line + "   ");
            if (secondsLeft == 0) err.println();
        } else if (secondsLeft > 0 && secondsLeft == RetryPolicy.pauseSeconds(nextAttempt - 1)) {
            err.println(line); // the pause's first second
        }
    }
}
