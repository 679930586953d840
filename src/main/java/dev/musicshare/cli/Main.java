package dev.musicshare.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code music-share}: the server and its tools. With no sub-command it serves. */
@Command(name = "music-share", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Music Share: relays what a desktop player plays to everyone who joins its 6-digit code.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = commandLine();
        // A wrong argument, a missing token or a refusal by the server is the user's to fix: one line, not a trace.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof IllegalArgumentException) && !(e instanceof java.io.IOException)) throw e;
            String message = e.getMessage() != null ? e.getMessage() : e.toString(); // ConnectException has none
            // The whole command path ("music-share recordings get"), so the line says which command failed.
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + message);
            return 2;
        });
        return cli.execute(withDefaultCommand(args));
    }

    /** The command and its sub-commands, as run. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("serve", ServeCommand.commandLine());
        cli.addSubcommand("bench", new BenchCommand());
        cli.addSubcommand("bench-history", new HistoryBenchCommand());
        cli.addSubcommand("share", new ShareCommand());
        cli.addSubcommand("listen", new ListenCommand());
        cli.addSubcommand("recordings", new RecordingsCommand());
        return cli;
    }

    /**
     * The bare jar serves, so serving's flags work without the word: {@code music-share --port 5012} is
     * {@code music-share serve --port 5012}. The top level's own options (help, version) stay its own.
     */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) return new String[] {"serve"};
        boolean topLevelOption = java.util.Set.of("-h", "--help", "-V", "--version").contains(args[0]);
        if (!args[0].startsWith("-") || topLevelOption) return args;
        String[] served = new String[args.length + 1];
        served[0] = "serve";
        System.arraycopy(args, 0, served, 1, args.length);
        return served;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
