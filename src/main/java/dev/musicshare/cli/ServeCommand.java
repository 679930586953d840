package dev.musicshare.cli;

import dev.musicshare.MusicShareServer;
import dev.musicshare.config.InvalidSettingException;
import dev.musicshare.config.Setting;
import dev.musicshare.config.Settings;
import dev.musicshare.store.StoreUnavailableException;
import java.net.BindException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code music-share serve}: runs the server until SIGTERM/Ctrl-C. Every {@link Setting} is an environment variable
 * and a flag of the same name ({@code MAX_SESSIONS} / {@code --max-sessions}); a flag wins over the environment.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the Music Share server. Each option mirrors the environment variable named in it.",
        footer = {"", "Without REDIS_URL the server keeps everything in memory (a single node)."})
final class ServeCommand implements Callable<Integer> {
    static final int EXIT_BAD_SETTING = 2;
    static final int EXIT_STORE_UNREACHABLE = 3;

    @Spec
    private CommandSpec spec;

    static CommandLine commandLine() {
        CommandLine command = new CommandLine(new ServeCommand());
        for (Setting setting : Setting.values()) {
            String fallback = setting.defaultValue() == null ? "unset" : setting.defaultValue();
            command.getCommandSpec().addOption(OptionSpec.builder(setting.flag())
                    .paramLabel("<" + setting.variable().toLowerCase() + ">")
                    .type(String.class)
                    .description(setting.description() + " Env " + setting.variable() + "; default: " + fallback + ".")
                    .build());
        }
        return command;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings;
        try {
            settings = Settings.from(values());
        } catch (InvalidSettingException e) {
            System.err.println("music-share: " + e.getMessage());
            return EXIT_BAD_SETTING;
        }
        // Logback reads LOG_FORMAT when the first logger is made, which is after this line.
        System.setProperty("LOG_FORMAT", settings.logFormat());
        if (settings.tokenGenerated()) {
            System.out.println("No BEARER_TOKEN set; generated one for this run (set BEARER_TOKEN to choose your own):");
            System.out.println("  " + settings.bearerToken());
        }
        MusicShareServer server;
        try {
            server = MusicShareServer.start(settings, Clock.systemUTC());
        } catch (StoreUnavailableException e) {
            System.err.println("music-share: cannot reach Redis at start-up: " + e.getMessage());
            return EXIT_STORE_UNREACHABLE;
        } catch (RuntimeException e) {
            BindException bind = bindFailure(e);
            if (bind == null) throw e;
            System.err.println("music-share: cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": "
                    + bind.getMessage() + hint(bind.getMessage()));
            return EXIT_BAD_SETTING;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The socket's own refusal, under Javalin's wrapper (whose message calls every refusal "port already in use"). */
    private static BindException bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) return bind;
        }
        return null;
    }

    private static String hint(String reason) {
        String lower = String.valueOf(reason).toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("in use")) return " (another process has this port: stop it or choose another PORT)";
        if (lower.contains("assign")) return " (BIND_ADDRESS must be an address of this machine, or 0.0.0.0 for all)";
        if (lower.contains("permission")) return " (ports below 1024 need privileges: choose a PORT above 1023)";
        return "";
    }

    /** The environment, overlaid by the flags given on the command line. */
    private Map<String, String> values() {
        Map<String, String> values = new HashMap<>(System.getenv());
        for (Setting setting : Setting.values()) {
            OptionSpec option = spec.findOption(setting.flag());
            if (option != null && option.getValue() != null) values.put(setting.variable(), option.getValue());
        }
        return values;
    }
}
