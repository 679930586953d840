package dev.musicshare.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules on which part may use which (STYLE.md, "Layout shows the architecture"), checked on the compiled
 * main classes: the domain knows no transport or storage technology, the HTTP and push layers reach storage only
 * through the domain, only the Redis package (and the backend factory choosing it) uses the Redis client, only the
 * command line wires in the load tool and the reference client, and no two packages
 * depend on each other.
 */
class LayeringTest {
    private static final String[] HTTP = {"io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "java.net.http.."};
    private static final String[] REDIS = {"io.lettuce..", "io.netty..", "dev.musicshare.redis.."};
    private static final String[] JSON = {"com.fasterxml.jackson.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The build's own output only: scanning the classpath for the package would read every jar on it too.
        main = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    @Test
    void the_domain_uses_no_http_redis_or_json_library() {
        noClasses().that().resideInAPackage("dev.musicshare.share..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(HTTP, REDIS, JSON))
                .because("share holds the rules of sharing; transports and storage plug in from outside")
                .check(main);
    }

    @Test
    void the_http_api_and_push_layers_use_no_redis_class() {
        noClasses().that().resideInAnyPackage("dev.musicshare.api..", "dev.musicshare.live..")
                .should().dependOnClassesThat().resideInAnyPackage(REDIS)
                .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Redis")
                .because("they reach storage only through the domain, whichever store is configured")
                .check(main);
    }

    @Test
    void only_the_redis_package_and_the_backend_factory_use_the_redis_client() {
        noClasses().that().resideOutsideOfPackages("dev.musicshare.redis..", "dev.musicshare.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..")
                .because("everything Redis (store, events, keys, scripts, connections) is one package, "
                        + "and the backend factory is the one place that chooses it")
                .check(main);
    }

    @Test
    void only_the_command_line_uses_the_load_tool_and_the_reference_client() {
        noClasses().that().resideOutsideOfPackages("dev.musicshare.cli..", "dev.musicshare.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.musicshare.bench..")
                .because("the load tool is a command of its own, not part of the server")
                .check(main);
        noClasses().that().resideOutsideOfPackages("dev.musicshare.cli..", "dev.musicshare.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.musicshare.client..")
                .because("the reference client is a command of its own, not part of the server")
                .check(main);
    }

    @Test
    void no_two_packages_depend_on_each_other() {
        slices().matching("dev.musicshare.(*)..").should().beFreeOfCycles().check(main);
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
