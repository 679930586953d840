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
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("serve", ServeCommand.commandLine());
        cli.addSubcommand("bench", new BenchCommand());
        cli.addSubcommand("share", new ShareCommand());
        cli.addSubcommand("listen", new ListenCommand());
        return cli.execute(args.length == 0 ? new String[] {"serve"} : args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
