package dev.hostevents.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the tool in-process, in a working folder of the test's choosing, with captured output. */
final class CliRun {
    private CliRun() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return lines(out);
        }

        List<String> errLines() {
            return lines(err);
        }

        private static List<String> lines(String text) {
            return text.lines().toList();
        }

        /** The value of a top-level string or number field of the JSON printed on stdout. */
        String json(String field) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\]]+)").matcher(out);
            if (!m.find()) {
                throw new AssertionError("no field " + field + " in " + out);
            }
            return m.group(2) != null ? m.group(2) : m.group(1);
        }

        /** Every value of a field in the JSON printed on stdout, in order. */
        List<String> jsonAll(String field) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}\\]]+)").matcher(out);
            List<String> values = new ArrayList<>();
            while (m.find()) {
                values.add(m.group(2) != null ? m.group(2) : m.group(1));
            }
            return values;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code hostevents args...} with {@code dir} as the working folder and no environment. */
    static Result in(Path dir, String... args) {
        return in(dir, Map.of(), args);
    }

    /** Runs {@code hostevents args...} with {@code dir} as the working folder and the given environment. */
    static Result in(Path dir, Map<String, String> env, String... args) {
        return withStdin(dir, env, "", args);
    }

    /** Runs {@code hostevents args...} with the given environment and {@code stdin} as standard input. */
    static Result withStdin(Path dir, Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HostEventsCli.commandLine(dir, env::get, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
